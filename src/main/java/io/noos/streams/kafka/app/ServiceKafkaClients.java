package io.noos.streams.kafka.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients Kafka Streams runs on, made as its default supplier makes them, with two additions:
 * <ul>
 *   <li>every successful commit (a committed transaction under exactly-once, committed offsets
 *       under at-least-once) is reported to {@code onCommit}: the progress that
 *       {@link StreamThreadFailures} counts;</li>
 *   <li>the global consumer waits, up to {@link TopicSetup#METADATA_WAIT}, for its topic's
 *       partitions to be visible. Kafka Streams asks once when it initialises a global store and
 *       fails the start on an empty answer; {@link TopicSetup} has waited for the topics, but in a
 *       cluster of several brokers the one this consumer asks may not have the topic yet.</li>
 * </ul>
 */
final class ServiceKafkaClients implements KafkaClientSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceKafkaClients.class);

    private final Runnable onCommit;

    ServiceKafkaClients(Runnable onCommit) {
        this.onCommit = onCommit;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public void commitTransaction() {
                super.commitTransaction();
                onCommit.run();
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
            @Override
            public void commitSync() {
                super.commitSync();
                onCommit.run();
            }

            @Override
            public void commitSync(Duration timeout) {
                super.commitSync(timeout);
                onCommit.run();
            }

            @Override
            public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                super.commitSync(offsets);
                onCommit.run();
            }

            @Override
            public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
                super.commitSync(offsets, timeout);
                onCommit.run();
            }
        };
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()) {
            @Override
            public List<PartitionInfo> partitionsFor(String topic) {
                return awaitPartitions(topic, () -> super.partitionsFor(topic));
            }

            @Override
            public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
                return awaitPartitions(topic, () -> super.partitionsFor(topic, timeout));
            }
        };
    }

    /** Asks until the answer has partitions or {@link TopicSetup#METADATA_WAIT} has passed; then the last answer. */
    static List<PartitionInfo> awaitPartitions(String topic, java.util.function.Supplier<List<PartitionInfo>> ask) {
        long deadline = System.nanoTime() + TopicSetup.METADATA_WAIT.toNanos();
        boolean logged = false;
        while (true) {
            List<PartitionInfo> partitions = ask.get();
            if ((partitions != null && !partitions.isEmpty()) || System.nanoTime() > deadline) {
                return partitions;
            }
            if (!logged) {
                LOG.info("topic {} has no partitions visible to the global consumer yet; waiting up to {} s", topic,
                        TopicSetup.METADATA_WAIT.toSeconds());
                logged = true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }
    }
}
