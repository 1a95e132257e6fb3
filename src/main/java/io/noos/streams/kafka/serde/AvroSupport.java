package io.noos.streams.kafka.serde;

import io.noos.streams.avro.AvroCodec;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;

/** Bridges the serdes to the Avro single-object codec. */
final class AvroSupport {
    /** Shared: thread-safe, and loading the schema history once is enough. */
    private static final AvroCodec CODEC = new AvroCodec();

    private AvroSupport() {}

    static boolean looksLikeSingleObject(byte[] value) {
        return value.length >= 2 && (value[0] & 0xFF) == 0xC3 && value[1] == 0x01;
    }

    static EventEnvelope decodeEnvelope(byte[] value) {
        return CODEC.decodeEnvelope(value);
    }

    static byte[] encodeEnvelope(EventEnvelope envelope) {
        return CODEC.encodeEnvelope(envelope);
    }

    static byte[] encodeDecision(DecisionRecord record) {
        return CODEC.encodeDecision(record);
    }
}
