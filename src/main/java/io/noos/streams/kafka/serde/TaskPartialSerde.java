package io.noos.streams.kafka.serde;

import io.noos.streams.fleet.TaskPartial;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The fleet partials' repartition serde: {@link TaskPartial}'s compact binary form. */
public final class TaskPartialSerde implements Serde<TaskPartial> {
    @Override
    public Serializer<TaskPartial> serializer() {
        return (topic, partial) -> partial == null ? null : partial.encode();
    }

    @Override
    public Deserializer<TaskPartial> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return TaskPartial.decode(bytes);
            } catch (RuntimeException e) {
                throw new SerializationException("corrupt fleet partial in " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
