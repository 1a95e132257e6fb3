package io.noos.streams.codec;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;

/** Decodes and encodes {@code agent-events} values in the topic's configured format. */
public final class EnvelopeCodec {
    private final WireFormat format;

    public EnvelopeCodec(WireFormat format) {
        this.format = format;
    }

    public WireFormat format() {
        return format;
    }

    /** The envelope, or {@link InvalidEventException} saying why the bytes cannot be one. */
    public EventEnvelope decode(byte[] value) {
        if (value == null) {
            throw new InvalidEventException("record has no value");
        }
        return switch (format) {
            case JSON -> {
                if (AvroSupport.looksLikeSingleObject(value)) {
                    throw new InvalidEventException("an Avro single-object record on a JSON topic");
                }
                yield EnvelopeJson.parse(value);
            }
            case AVRO -> AvroSupport.decodeEnvelope(value);
        };
    }

    public byte[] encode(EventEnvelope envelope) {
        return switch (format) {
            case JSON -> EnvelopeJson.toBytes(envelope);
            case AVRO -> AvroSupport.encodeEnvelope(envelope);
        };
    }
}
