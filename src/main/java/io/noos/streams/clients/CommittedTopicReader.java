package io.noos.streams.clients;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic with {@code isolation.level=read_committed} (only records of committed
 * transactions, as the service's downstream consumers see them), keys and values as raw bytes.
 *
 * <p>The reader takes all the topic's partitions directly instead of joining a consumer group, so
 * it starts at once, without waiting for a group rebalance. It still uses its own random group id
 * with {@code auto.offset.reset=earliest} and never commits offsets, so it neither disturbs nor
 * depends on any other reader.
 */
public final class CommittedTopicReader implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    /** Receives each record read. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(ConsumerRecord<byte[], byte[]> record) throws IOException;
    }

    private final KafkaConsumer<byte[], byte[]> consumer;

    /**
     * A reader of every partition of {@code topic}, from the beginning or from the end.
     *
     * @throws IllegalArgumentException if the topic does not exist
     * @throws ClusterProbe.ClusterUnreachableException if the cluster does not answer
     */
    public CommittedTopicReader(Properties client, String topic, boolean fromBeginning) {
        ClusterProbe.requireReachable(client);
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "noos-tools-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = partitions(topic);
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (UnknownTopicOrPartitionException e) {
            infos = List.of();
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    /**
     * Passes records to {@code sink} until at least {@code limit} records were read (the rest of the
     * last poll's records are passed too) or none arrived for {@code idleTimeout}. Within a
     * partition, records come in offset order.
     *
     * @return the number of records read
     */
    public long read(Duration idleTimeout, long limit, RecordSink sink) throws IOException {
        long count = 0;
        long lastRecordAt = System.nanoTime();
        while (count < limit) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (records.isEmpty()) {
                if (System.nanoTime() - lastRecordAt >= idleTimeout.toNanos()) {
                    break;
                }
                continue;
            }
            lastRecordAt = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                sink.accept(r);
                count++;
            }
        }
        return count;
    }

    /**
     * Passes every record up to the partitions' end offsets as they are now (read_committed: the
     * last stable offsets), in offset order within a partition, then returns how many were read.
     *
     * @throws IllegalStateException when they are not all read within {@code timeout}
     */
    public long readToEnd(Duration timeout, RecordSink sink) throws IOException {
        java.util.Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = 0;
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + end.keySet() + " to its end within "
                        + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                sink.accept(r);
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
