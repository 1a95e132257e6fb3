package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.kafka.config.ServiceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The produce → decide → consume flow against the official {@code apache/kafka} image of the same
 * version as the client, as a deployment would run it. Skipped (not failed) where no Docker engine
 * is reachable; the in-process broker's {@code RegulatorServiceIT} covers the same flow everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class RegulatorServiceContainerIT {
    /** apache/kafka tagged with the kafka-clients version on the classpath (its kafka-version.properties). */
    static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:" + kafkaClientsVersion());

    private static String kafkaClientsVersion() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = org.apache.kafka.clients.producer.KafkaProducer.class
                .getResourceAsStream("/kafka/kafka-version.properties")) {
            p.load(in);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("kafka-clients has no kafka/kafka-version.properties", e);
        }
        return p.getProperty("version");
    }

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(IMAGE);

    @TempDir
    Path stateDir;

    @Test
    @Timeout(180)
    void decidesEveryEventOnceInOrderAndDeadLettersBadRecords() throws Exception {
        String bootstrap = KAFKA.getBootstrapServers();
        String suffix = "tc-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig config = RegulatorFlow.config(bootstrap, "noos-" + suffix, stateDir, suffix);
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        TopicSetup.ensureTopics(config);

        List<EventEnvelope> events = RegulatorFlow.fleet();
        Map<String, List<String>> expected = RegulatorFlow.expectedDecisions(events, config.topologySettings());

        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "service RUNNING: " + service.streams().state());
            RegulatorFlow.produce(bootstrap, input, events);
            RegulatorFlow.produceRaw(bootstrap, input, RegulatorFlow.NOT_JSON_KEY, RegulatorFlow.NOT_JSON);
            RegulatorFlow.assertFleetAndTheBadRecord(bootstrap, config, events, expected);
        }
    }
}
