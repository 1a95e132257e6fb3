package io.noos.streams.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The test-kit cluster used by other integration tests supports exactly-once round trips. */
class TestKafkaClusterIT {
    private static final String TOPIC = "agent-events";

    @Test
    void committedRecordsRoundTrip() throws Exception {
        Map<String, String> committed = Map.of("alice", "turn_start", "bob", "turn_complete", "carol", "cost");
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            kafka.createTopics(3, TOPIC);
            kafka.createTopics(TOPIC);   // idempotent
            KafkaRoundTrip.produceTransactionally(kafka.bootstrapServers(), TOPIC,
                    committed, Map.of("mallory", "aborted"));

            List<ConsumerRecord<String, String>> records = KafkaRoundTrip.readCommitted(
                    kafka.bootstrapServers(), TOPIC, committed.size(), Duration.ofMillis(500), Duration.ofSeconds(30));
            assertEquals(committed.size(), records.size(), "records: " + records);
            assertEquals(committed, records.stream()
                    .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value)));
        }
    }
}
