package io.noos.streams.codec;

import io.noos.streams.avro.AvroCodec;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;

/** The Avro single-object codec the topic codecs and serdes share. */
public final class AvroSupport {
    /** Shared: thread-safe, and loading the schema history once is enough. */
    private static final AvroCodec CODEC = new AvroCodec();

    private AvroSupport() {}

    public static boolean looksLikeSingleObject(byte[] value) {
        return value.length >= 2 && (value[0] & 0xFF) == 0xC3 && value[1] == 0x01;
    }

    public static EventEnvelope decodeEnvelope(byte[] value) {
        return CODEC.decodeEnvelope(value);
    }

    public static byte[] encodeEnvelope(EventEnvelope envelope) {
        return CODEC.encodeEnvelope(envelope);
    }

    public static byte[] encodeDecision(DecisionRecord record) {
        return CODEC.encodeDecision(record);
    }

    public static DecisionRecord decodeDecision(byte[] value) {
        return CODEC.decodeDecision(value);
    }
}
