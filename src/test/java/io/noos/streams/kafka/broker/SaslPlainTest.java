package io.noos.streams.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import java.util.List;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

class SaslPlainTest {
    private static Map<String, ?> options(String jaas) {
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(
                Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaas))).configurationEntries();
        assertEquals(1, entries.size());
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule", entries.get(0).getLoginModuleName());
        return entries.get(0).getOptions();
    }

    @Test
    void quotesAndBackslashesInThePasswordSurviveKafkasJaasParser() {
        SaslPlain user = new SaslPlain("svc.noos-1", "a \"quoted\" \\ pass;word=x");
        assertEquals(Map.of("username", "svc.noos-1", "password", "a \"quoted\" \\ pass;word=x"),
                options(user.clientJaasConfig()));
        assertEquals(Map.of("username", "svc.noos-1", "password", "a \"quoted\" \\ pass;word=x",
                "user_svc.noos-1", "a \"quoted\" \\ pass;word=x"), options(user.brokerJaasConfig()));
    }

    @Test
    void clientPropertiesSelectSaslPlaintextAndPlain() {
        SaslPlain user = new SaslPlain("svc", "pw");
        assertEquals(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", user.clientJaasConfig()), user.clientProperties());
    }

    @Test
    void userNamesThatCannotBeAJaasOptionNameAndEmptyPasswordsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SaslPlain("bad user", "pw"));
        assertThrows(IllegalArgumentException.class, () -> new SaslPlain("bad\"user", "pw"));
        assertThrows(IllegalArgumentException.class, () -> new SaslPlain("svc", ""));
    }

    @Test
    void thePasswordStaysOutOfToString() {
        SaslPlain user = new SaslPlain("svc", "hunter2");
        assertFalse(user.toString().contains("hunter2"), user.toString());
        assertFalse(EmbeddedKafkaBroker.Options.defaults().withSaslPlain(user).toString().contains("hunter2"));
    }
}
