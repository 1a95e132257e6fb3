package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.serde.RecordSizeLimit;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams settings of the service, from its configuration. */
public final class StreamsProperties {
    /** The Streams producer's linger.ms unless configured ({@code linger.ms} or {@code producer.linger.ms}). */
    public static final int DEFAULT_PRODUCER_LINGER_MS = 5;

    private StreamsProperties() {}

    /** The settings for {@code config}, with {@code limit} for the error handlers ({@link StreamsErrorHandler}). */
    public static Properties of(ServiceConfig config, RecordSizeLimit limit) {
        Properties p = new Properties();
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplication());
        p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Records the topology itself cannot decide are dead-lettered by the processor with a reason;
        // anything else that fails (a corrupt record the consumer cannot even deserialise, an
        // unexpected exception) goes to the same topic through Streams' handlers (KIP-1033/1034),
        // ours, which make every dead letter fit and never dead-letter a dead letter.
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.get(ServiceConfig.DLQ_TOPIC));
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsErrorHandler.RECORD_SIZE_LIMIT_CONFIG, limit);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // Each task reads one partition of one topic, so there is nothing to wait for before
        // processing; -1 also skips the per-record readiness bookkeeping that idling needs.
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        p.put(BoundedRocksDbMemory.MEMORY_BYTES, config.get(BoundedRocksDbMemory.MEMORY_BYTES));
        p.putAll(config.kafkaProperties());
        // Decisions in time: Kafka Streams' producer waits up to linger.ms (100 by its default) to
        // fill a batch before sending. Under at-least-once a decision is sent as soon as it is made,
        // so that wait was most of its latency; under exactly-once the commit sends what is left.
        // 5 ms still fills batches at high rates (README, "Speed": before/after figures).
        if (!p.containsKey(ProducerConfig.LINGER_MS_CONFIG)
                && !p.containsKey(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG))) {
            p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), DEFAULT_PRODUCER_LINGER_MS);
        }
        return p;
    }
}
