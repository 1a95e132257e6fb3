package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.broker.SaslPlain;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.KafkaRoundTrip;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on a broker whose client listener is SASL_PLAINTEXT (mechanism PLAIN): the security
 * settings reach Kafka Streams, its admin client and producers unchanged from the service's
 * configuration (a properties file for the JAAS line, environment variables for the rest), and a
 * wrong password stops the service with an error that says so.
 */
class SaslPlainServiceIT {
    /** A quote and a backslash in the password: the JAAS lines must escape them on both sides. */
    private static final SaslPlain SERVICE_USER = new SaslPlain("noos-service", "pl@in \"s3cret\" \\ pw");
    private static final Map<String, String> SASL_ENV = Map.of(
            "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM", "PLAIN");

    @RegisterExtension
    static final TestKafkaCluster broker =
            TestKafkaCluster.perClass(EmbeddedKafkaBroker.Options.defaults().withSaslPlain(SERVICE_USER));

    @TempDir
    Path dir;

    /**
     * The one-line error of a wrong SASL/PLAIN password: where and how the service authenticated,
     * where to look, and the broker's own reason (Kafka's PLAIN server says the same for an unknown
     * user and a wrong password).
     */
    private static String authenticationFailed() {
        return "authentication to Kafka at " + broker.bootstrapServers() + " failed (security.protocol=SASL_PLAINTEXT, "
                + "sasl.mechanism=PLAIN); check the credentials in sasl.jaas.config: "
                + "Authentication failed: Invalid username or password";
    }

    private Path clientConfigFile(String name, String jaasConfig) throws IOException {
        Properties p = new Properties();
        p.setProperty("sasl.jaas.config", jaasConfig);
        Path file = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "SASL/PLAIN credentials of the service");
        }
        return file;
    }

    private Map<String, String> flags(String name) {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return RegulatorFlow.flags(broker.bootstrapServers(), "noos-sasl-" + suffix, dir.resolve("state"), suffix);
    }

    @Test
    @Timeout(120)
    void decidesOverSaslPlainWithTheSettingsFromFileAndEnvironment() throws Exception {
        Path file = clientConfigFile("sasl.properties", SERVICE_USER.clientJaasConfig());
        ServiceConfig config = ServiceConfig.load(file, SASL_ENV, flags("flow"));

        Properties kafka = config.kafkaProperties();
        assertEquals("SASL_PLAINTEXT", kafka.getProperty("security.protocol"));
        assertEquals("PLAIN", kafka.getProperty("sasl.mechanism"));
        assertEquals(SERVICE_USER.clientJaasConfig(), kafka.getProperty("sasl.jaas.config"), "passed through unchanged");
        assertEquals("[redacted]", config.redacted().get("sasl.jaas.config"));
        assertEquals("SASL_PLAINTEXT", config.redacted().get("security.protocol"));

        List<EventEnvelope> events = RegulatorFlow.fleet();
        Map<String, List<String>> expected = RegulatorFlow.expectedDecisions(events, config.topologySettings());
        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "RUNNING over SASL: " + service.streams().state());
            RegulatorFlow.produce(broker.bootstrapServers(), SERVICE_USER.clientProperties(),
                    config.get(ServiceConfig.INPUT_TOPIC), events);
            List<ConsumerRecord<String, String>> decisions = KafkaRoundTrip.readCommitted(
                    broker.bootstrapServers(), SERVICE_USER.clientProperties(), config.get(ServiceConfig.DECISIONS_TOPIC),
                    RegulatorFlow.decidedCount(events), RegulatorFlow.LINGER, RegulatorFlow.READ_TIMEOUT);
            RegulatorFlow.assertDecisions(expected, decisions);
        }
    }

    @Test
    @Timeout(120)
    void aWrongPasswordStopsTheServiceWithAnAuthenticationError() throws Exception {
        String wrongPassword = "not-the-password";
        Path file = clientConfigFile("wrong.properties",
                new SaslPlain(SERVICE_USER.user(), wrongPassword).clientJaasConfig());
        ServiceConfig config = ServiceConfig.load(file, SASL_ENV, flags("wrong"));

        ServiceStartException e = assertThrows(ServiceStartException.class, () -> new RegulatorService(config).start());
        assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        assertEquals(authenticationFailed(), e.getMessage());
        assertFalse(e.getMessage().contains(wrongPassword), "no secret in the message: " + e.getMessage());
    }

    @Test
    @Timeout(120)
    void runWithAWrongPasswordExitsWithTheAuthenticationError() throws Exception {
        Path file = clientConfigFile("run-wrong.properties",
                new SaslPlain(SERVICE_USER.user(), "wrong").clientJaasConfig());
        Files.writeString(file, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n",
                StandardOpenOption.APPEND);

        CliRun run = CliRun.of("run", "--bootstrap-servers", broker.bootstrapServers(), "--config-file", file.toString(),
                "--application-id", "noos-sasl-cli", "--state-dir", dir.resolve("cli-state").toString(),
                "--http-port", "0");

        assertEquals(1, run.exitCode(), run.stderr());
        assertEquals(List.of("error: " + authenticationFailed()),
                run.stderr().lines().filter(l -> l.startsWith("error: ")).toList(), run.stderr());
        assertFalse(run.stderr().contains("\tat "), "no stack trace: " + run.stderr());
    }
}
