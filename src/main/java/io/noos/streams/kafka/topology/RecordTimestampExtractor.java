package io.noos.streams.kafka.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The stream time of an input record: its own Kafka timestamp (the broker's append time on a
 * LogAppendTime topic, the producer's CreateTime the broker accepted on a CreateTime topic), or this
 * instance's wall clock when the record has none or a later one. Every record the service writes
 * (decisions, dead letters, state changelogs) carries this time, so brokers, which refuse CreateTime
 * too far from their own clock, always take them. Event time is the envelope's {@code at_ms}, read
 * by the processor; it never becomes a record timestamp (see {@link EventTimeBound}).
 */
public final class RecordTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long now = System.currentTimeMillis();
        long timestamp = record.timestamp();
        return timestamp < 0 || timestamp > now ? now : timestamp;
    }
}
