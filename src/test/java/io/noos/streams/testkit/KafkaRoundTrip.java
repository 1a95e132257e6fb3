package io.noos.streams.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces and reads string records the exactly-once way, to check that a broker works end to end. */
public final class KafkaRoundTrip {
    private KafkaRoundTrip() {
    }

    /**
     * Sends {@code committed} (key → value) in one transaction that commits, then {@code aborted}
     * in one that aborts, so a {@code read_committed} reader must see the first and not the second.
     */
    public static void produceTransactionally(String bootstrapServers, String topic,
                                              Map<String, String> committed, Map<String, String> aborted) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "round-trip-" + UUID.randomUUID(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            committed.forEach((k, v) -> producer.send(new ProducerRecord<>(topic, k, v)));
            producer.commitTransaction();
            if (!aborted.isEmpty()) {
                producer.beginTransaction();
                aborted.forEach((k, v) -> producer.send(new ProducerRecord<>(topic, k, v)));
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    /**
     * Reads the topic from the start with {@code isolation.level=read_committed} in a new consumer
     * group until {@code expected} records arrived, then for {@code linger} more to catch extras, or
     * until {@code timeout}. Returns every record read.
     */
    public static List<ConsumerRecord<String, String>> readCommitted(String bootstrapServers, String topic,
                                                                     int expected, Duration linger,
                                                                     Duration timeout) {
        return readCommitted(bootstrapServers, Map.of(), topic, expected, linger, timeout);
    }

    /** {@link #readCommitted(String, String, int, Duration, Duration)} with extra client settings (e.g. SASL). */
    public static List<ConsumerRecord<String, String>> readCommitted(String bootstrapServers,
                                                                     Map<String, ?> clientProperties, String topic,
                                                                     int expected, Duration linger,
                                                                     Duration timeout) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long lingerUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, lingerUntil)) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                if (records.size() >= expected && lingerUntil == Long.MAX_VALUE) {
                    lingerUntil = System.nanoTime() + linger.toNanos();
                }
            }
        }
        return records;
    }
}
