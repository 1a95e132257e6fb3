package io.noos.streams.kafka.serde;

import io.noos.streams.detect.AgentSpend;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The agent-spend amounts' repartition serde: {@link AgentSpend}'s compact binary form. */
public final class AgentSpendSerde implements Serde<AgentSpend> {
    @Override
    public Serializer<AgentSpend> serializer() {
        return (topic, spend) -> spend == null ? null : spend.encode();
    }

    @Override
    public Deserializer<AgentSpend> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return AgentSpend.decode(bytes);
            } catch (RuntimeException e) {
                throw new SerializationException("corrupt agent spend amount in " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
