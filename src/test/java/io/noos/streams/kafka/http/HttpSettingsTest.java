package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.config.ServiceConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {
    private static ServiceConfig config(String... keyValues) throws IOException {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(keyValues[i], keyValues[i + 1]);
        }
        return ServiceConfig.load(null, Map.of(), flags);
    }

    @Test
    void defaultsArePort8080OnEveryInterfaceWithoutToken() throws IOException {
        HttpSettings s = HttpSettings.from(config());
        assertEquals(8080, s.port());
        assertEquals("0.0.0.0", s.host());
        assertNull(s.advertisedHost());
        assertEquals(0, s.advertisedPort());
        assertNull(s.token());
        assertTrue(s.enabled());
    }

    @Test
    void minusOneTurnsTheServerOffAndOtherPortsAreChecked() throws IOException {
        assertFalse(HttpSettings.from(config(ServiceConfig.HTTP_PORT, "-1")).enabled());
        assertTrue(HttpSettings.from(config(ServiceConfig.HTTP_PORT, "0")).enabled());
        for (String bad : new String[] {"-2", "65536", "http"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpSettings.from(config(ServiceConfig.HTTP_PORT, bad)), bad);
            assertTrue(e.getMessage().contains(ServiceConfig.HTTP_PORT), e.getMessage());
        }
    }

    @Test
    void theAdvertisedAddressMayBeAUrlAHostPortOrAHost() throws IOException {
        HttpSettings url = HttpSettings.from(config(ServiceConfig.HTTP_ADVERTISED_URL, "http://noos-1.noos:9000"));
        assertEquals("noos-1.noos", url.advertisedHost());
        assertEquals(9000, url.advertisedPort());
        HttpSettings hostPort = HttpSettings.from(config(ServiceConfig.HTTP_ADVERTISED_URL, "10.0.0.7:8081"));
        assertEquals("10.0.0.7", hostPort.advertisedHost());
        assertEquals(8081, hostPort.advertisedPort());
        HttpSettings host = HttpSettings.from(config(ServiceConfig.HTTP_ADVERTISED_URL, "noos-2"));
        assertEquals("noos-2", host.advertisedHost());
        assertEquals(0, host.advertisedPort(), "the bound port");
        assertThrows(IllegalArgumentException.class,
                () -> HttpSettings.from(config(ServiceConfig.HTTP_ADVERTISED_URL, "https://noos-1:9000")));
    }

    @Test
    void theTokenIsRedactedInTheEffectiveConfigurationAndInTheSettings() throws IOException {
        String secret = "tok-" + "8f3b1c";
        ServiceConfig config = config(ServiceConfig.HTTP_TOKEN, secret);
        assertEquals("[redacted]", config.redacted().get(ServiceConfig.HTTP_TOKEN));
        assertFalse(config.redacted().toString().contains(secret));
        HttpSettings s = HttpSettings.from(config);
        assertEquals(secret, s.token());
        assertFalse(s.toString().contains(secret));
        assertNull(HttpSettings.from(config(ServiceConfig.HTTP_TOKEN, "  ")).token(), "blank: no token");
    }

    @Test
    void theTokenComesFromTheEnvironmentToo() throws IOException {
        ServiceConfig config = ServiceConfig.load(null, Map.of("NOOS_HTTP_TOKEN", "from-env"), Map.of());
        assertEquals("from-env", HttpSettings.from(config).token());
    }
}
