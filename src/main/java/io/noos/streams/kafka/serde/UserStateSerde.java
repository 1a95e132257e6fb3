package io.noos.streams.kafka.serde;

import io.noos.streams.decide.UserState;
import io.noos.streams.detect.DetectorRegistry;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The state store's value serde: {@link UserState}'s compact binary form. */
public final class UserStateSerde implements Serde<UserState> {
    private final DetectorRegistry detectors;

    /** Reads the built-in detectors' states. */
    public UserStateSerde() {
        this(DetectorRegistry.BUILT_IN);
    }

    public UserStateSerde(DetectorRegistry detectors) {
        this.detectors = detectors;
    }

    @Override
    public Serializer<UserState> serializer() {
        return (topic, state) -> state == null ? null : state.encode();
    }

    @Override
    public Deserializer<UserState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return UserState.decode(bytes, detectors);
            } catch (RuntimeException e) {
                throw new SerializationException("corrupt regulator state in " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
