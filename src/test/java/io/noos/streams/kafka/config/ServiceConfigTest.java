package io.noos.streams.kafka.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security settings pass through to Kafka unchanged and never reach the startup log in clear. */
class ServiceConfigTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"svc\" password=\"hunter2\";";

    @TempDir
    Path dir;

    @Test
    void tlsAndSaslSettingsFromFileAndEnvironmentReachKafkaUnchanged() throws Exception {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, String.join("\n",
                "security.protocol=SSL",
                "ssl.truststore.location=/etc/noos/truststore.p12",
                "ssl.truststore.password=trust-pw",
                "ssl.keystore.location=/etc/noos/keystore.p12",
                "ssl.keystore.password=keystore-pw",
                "ssl.key.password=key-pw",
                "noos.cost.cap=3000"));
        Map<String, String> env = Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",        // the environment overrides the file
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "PATH", "/usr/bin");                          // neither NOOS_ nor KAFKA_: ignored
        Map<String, String> flags = new HashMap<>();
        flags.put(ServiceConfig.BOOTSTRAP_SERVERS, "kafka-1:9093");

        ServiceConfig config = ServiceConfig.load(file, env, flags);
        Properties kafka = config.kafkaProperties();

        assertEquals("SASL_SSL", kafka.getProperty("security.protocol"));
        assertEquals("PLAIN", kafka.getProperty("sasl.mechanism"));
        assertEquals(JAAS, kafka.getProperty("sasl.jaas.config"));
        assertEquals("/etc/noos/truststore.p12", kafka.getProperty("ssl.truststore.location"));
        assertEquals("trust-pw", kafka.getProperty("ssl.truststore.password"));
        assertEquals("key-pw", kafka.getProperty("ssl.key.password"));
        assertEquals("kafka-1:9093", kafka.getProperty("bootstrap.servers"));
        assertFalse(kafka.containsKey("noos.cost.cap"), "the service's own keys stay out of Kafka's settings");
        assertFalse(kafka.containsKey("path"));
        assertEquals("3000", config.get(ServiceConfig.COST_CAP));
    }

    @Test
    void redactedHidesJaasConfigsAndPasswordsButNotLocationsOrTypes() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put("sasl.jaas.config", JAAS);
        flags.put("ssl.truststore.password", "trust-pw");
        flags.put("ssl.keystore.password", "keystore-pw");
        flags.put("ssl.key.password", "key-pw");
        flags.put("listener.name.client.plain.sasl.jaas.config", JAAS);
        flags.put("ssl.keystore.location", "/etc/noos/keystore.p12");
        flags.put("ssl.keystore.type", "PKCS12");
        flags.put("security.protocol", "SASL_SSL");
        flags.put("sasl.mechanism", "SCRAM-SHA-512");

        Map<String, String> shown = ServiceConfig.load(null, Map.of(), flags).redacted();

        for (String secret : new String[] {"sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password",
                "ssl.key.password", "listener.name.client.plain.sasl.jaas.config"}) {
            assertEquals("[redacted]", shown.get(secret), secret);
        }
        assertEquals("/etc/noos/keystore.p12", shown.get("ssl.keystore.location"));
        assertEquals("PKCS12", shown.get("ssl.keystore.type"));
        assertEquals("SASL_SSL", shown.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", shown.get("sasl.mechanism"));
        assertFalse(shown.toString().contains("hunter2"), shown.toString());
        assertFalse(shown.toString().contains("-pw"), shown.toString());
    }

    @Test
    void detectorKeysFromFileAndEnvironmentBecomeDetectorSettingsAndBadOnesAreRefusedByKey() throws Exception {
        Path file = dir.resolve("detectors.properties");
        Files.writeString(file, String.join("\n",
                "noos.detector.tool_call_cycle.enabled=true",
                "noos.detector.tool_call_cycle.repetitions=4"));
        ServiceConfig config = ServiceConfig.load(file,
                Map.of("NOOS_DETECTOR_TOKEN_BUDGET_ENABLED", "true", "NOOS_DETECTOR_TOKEN_BUDGET_MAX_TOKENS", "20000"),
                Map.of());
        var active = config.userSettings().detectors().active(io.noos.streams.detect.DetectorRegistry.BUILT_IN);
        assertEquals(java.util.List.of("token_budget", "tool_call_cycle"),
                active.stream().map(a -> a.detector().name()).toList(), "registry order");
        assertEquals(20000, active.get(0).params().getLong("max_tokens"));
        assertEquals(4, active.get(1).params().getLong("repetitions"));
        assertEquals(3, active.get(1).params().getLong("max_length"), "the default");

        ServiceConfig bad = ServiceConfig.load(null, Map.of(), Map.of("noos.detector.tool_call_cycle.enabled", "yes"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                bad::userSettings);
        org.junit.jupiter.api.Assertions.assertEquals("noos.detector.tool_call_cycle.enabled must be "
                + "true or false, got yes", e.getMessage());
        ServiceConfig unknown = ServiceConfig.load(null, Map.of(), Map.of("noos.detector.loops.enabled", "true"));
        IllegalArgumentException u = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                unknown::userSettings);
        org.junit.jupiter.api.Assertions.assertEquals("noos.detector.loops.enabled: unknown "
                + "detector; known: token_budget, spend_budget, agent_spend_budget, repeated_identical_tool_call, "
                + "tool_call_cycle, repeated_failure_pattern, fleet_spend_anomaly", u.getMessage());
    }

    @Test
    void theStartupBoundAndTheRecordSizeLimitComeFromTheirKeysAndBadValuesAreRefusedByKey() throws Exception {
        ServiceConfig defaults = ServiceConfig.load(null, Map.of(), Map.of());
        assertEquals(java.time.Duration.ofMinutes(5), defaults.startupTimeout());
        assertEquals("max.request.size=1048576", defaults.recordSizeLimit().boundBy(), "Kafka's default");

        ServiceConfig set = ServiceConfig.load(null, Map.of("NOOS_STARTUP_TIMEOUT_MS", "3000"),
                Map.of("max.request.size", "2000000", "producer.max.request.size", "500000"));
        assertEquals(java.time.Duration.ofSeconds(3), set.startupTimeout());
        assertEquals("max.request.size=500000", set.recordSizeLimit().boundBy(), "the producer's own setting wins");

        ServiceConfig bad = ServiceConfig.load(null, Map.of(), Map.of(ServiceConfig.STARTUP_TIMEOUT_MS, "soon",
                "max.request.size", "1k"));
        assertEquals("noos.startup.timeout.ms must be an integer >= 0 (milliseconds), got \"soon\"",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, bad::startupTimeout)
                        .getMessage());
        assertEquals("max.request.size must be an integer, got \"1k\"",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, bad::recordSizeLimit)
                        .getMessage());
        ServiceConfig tiny = ServiceConfig.load(null, Map.of(), Map.of("producer.max.request.size", "100"));
        assertEquals("producer.max.request.size must be larger than 1121 bytes, got 100",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, tiny::recordSizeLimit)
                        .getMessage());
    }
}
