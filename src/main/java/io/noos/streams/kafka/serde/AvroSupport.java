package io.noos.streams.kafka.serde;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;

/** Bridges the serdes to the Avro codec. */
final class AvroSupport {
    private AvroSupport() {}

    static boolean looksLikeSingleObject(byte[] value) {
        return value.length >= 2 && (value[0] & 0xFF) == 0xC3 && value[1] == 0x01;
    }

    static EventEnvelope decodeEnvelope(byte[] value) {
        throw new InvalidEventException("Avro support is not wired yet");
    }

    static byte[] encodeEnvelope(EventEnvelope envelope) {
        throw new UnsupportedOperationException("Avro support is not wired yet");
    }

    static byte[] encodeDecision(DecisionRecord record) {
        throw new UnsupportedOperationException("Avro support is not wired yet");
    }
}
