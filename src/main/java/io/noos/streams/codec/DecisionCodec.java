package io.noos.streams.codec;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;

/** Encodes and decodes {@code regulator-decisions} values in the topic's configured format. */
public final class DecisionCodec {
    private final WireFormat format;

    public DecisionCodec(WireFormat format) {
        this.format = format;
    }

    public WireFormat format() {
        return format;
    }

    public byte[] encode(DecisionRecord record) {
        return switch (format) {
            case JSON -> DecisionRecordJson.toBytes(record);
            case AVRO -> AvroSupport.encodeDecision(record);
        };
    }

    /** The decision record, or {@link InvalidEventException} saying why the bytes cannot be one. */
    public DecisionRecord decode(byte[] value) {
        if (value == null) {
            throw new InvalidEventException("record has no value");
        }
        return switch (format) {
            case JSON -> DecisionRecordJson.parse(value);
            case AVRO -> AvroSupport.decodeDecision(value);
        };
    }
}
