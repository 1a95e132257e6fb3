package io.noos.streams.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.KafkaRoundTrip;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The product's in-process broker: exactly-once round trip, restart on the same data, cleanup, errors. */
class EmbeddedKafkaBrokerIT {
    private static final String TOPIC = "agent-events";
    private static final Duration LINGER = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void committedRecordsRoundTripAndSurviveARestart() {
        Map<String, String> committed = new LinkedHashMap<>();
        committed.put("alice", "turn_start");
        committed.put("bob", "turn_complete");
        committed.put("carol", "cost");
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults().withDataDir(dataDir);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            List<NewTopic> topics = List.of(new NewTopic(TOPIC, 2, (short) 1));
            broker.createTopics(topics);
            broker.createTopics(topics);   // idempotent

            KafkaRoundTrip.produceTransactionally(broker.bootstrapServers(), TOPIC,
                    committed, Map.of("mallory", "aborted"));
            assertEquals(committed, asMap(KafkaRoundTrip.readCommitted(
                    broker.bootstrapServers(), TOPIC, committed.size(), LINGER, TIMEOUT)));
        }

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(options)) {
            restarted.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1)));   // exists: left as is
            assertEquals(committed, asMap(KafkaRoundTrip.readCommitted(
                    restarted.bootstrapServers(), TOPIC, committed.size(), LINGER, TIMEOUT)));
        }
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "a given data dir is kept");
    }

    @Test
    void temporaryDataDirIsDeletedOnClose() {
        Path dir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            dir = broker.dataDir();
            assertTrue(Files.exists(dir.resolve("meta.properties")));
        }
        assertFalse(Files.exists(dir), dir + " still exists");
    }

    @Test
    void aPortInUseFailsFastWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            KafkaException e = assertThrows(KafkaException.class, () -> EmbeddedKafkaBroker.start(
                    EmbeddedKafkaBroker.Options.defaults().withPort(taken.getLocalPort()).withDataDir(dataDir)));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }

    private static Map<String, String> asMap(List<ConsumerRecord<String, String>> records) {
        assertEquals(records.size(), records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).size(),
                "duplicate keys in " + records);
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
    }
}
