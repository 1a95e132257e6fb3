package io.noos.streams.kafka.serde;

import io.noos.streams.codec.DecisionCodec;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.envelope.DecisionRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Encodes {@code regulator-decisions} values in the topic's configured format. Decisions are read
 * back as JSON text (or Avro) by the tools, never as objects inside the service.
 */
public final class DecisionSerde implements Serializer<DecisionRecord>, Serde<DecisionRecord> {
    private final DecisionCodec codec;

    public DecisionSerde(WireFormat format) {
        this.codec = new DecisionCodec(format);
    }

    @Override
    public void close() {
        // stateless
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // configured by its constructor
    }

    @Override
    public Serializer<DecisionRecord> serializer() {
        return this;
    }

    @Override
    public Deserializer<DecisionRecord> deserializer() {
        return (topic, bytes) -> {
            throw new UnsupportedOperationException("the service never reads decisions back");
        };
    }

    @Override
    public byte[] serialize(String topic, DecisionRecord record) {
        if (record == null) {
            return null;
        }
        return codec.encode(record);
    }
}
