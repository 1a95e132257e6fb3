package io.noos.streams.kafka.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.json.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the envelope's {@code at_ms}, so stream time follows the agents' clocks even when
 * topics stamp records on arrival (LogAppendTime). Reads only the top-level fields of a JSON value;
 * for anything it cannot read (Avro, malformed: the processor dead-letters those) it falls back to
 * the record's own timestamp.
 */
public final class EnvelopeTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof byte[] bytes && bytes.length > 0 && bytes[0] == '{') {
            long scanned = EnvelopeJson.scanAtMs(bytes);
            if (scanned >= 0) {
                return scanned;
            }
            if (scanned == -1) {
                return fallback(record, partitionTime);
            }
            try (JsonParser p = Json.FACTORY.createParser(bytes)) {
                p.nextToken();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("at_ms".equals(name)) {
                        if (value == JsonToken.VALUE_NUMBER_INT) {
                            long at = p.getLongValue();
                            if (at >= 0) {
                                return at;
                            }
                        }
                        break;
                    }
                    p.skipChildren();
                }
            } catch (Exception unreadable) {
                // fall through to the record timestamp; the processor reports the record
            }
        }
        return fallback(record, partitionTime);
    }

    private static long fallback(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
    }
}
