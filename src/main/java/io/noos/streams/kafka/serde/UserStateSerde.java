package io.noos.streams.kafka.serde;

import io.noos.streams.decide.UserState;
import io.noos.streams.detect.DetectorRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state store's value serde: {@link UserState}'s compact binary form. With a
 * {@link RecordSizeLimit}, a state that would not fit in a changelog record (with its key, the user
 * id) is refused with {@link RecordSizeLimit.Exceeded} before anything is stored.
 */
public final class UserStateSerde implements Serde<UserState> {
    private final DetectorRegistry detectors;
    private final RecordSizeLimit limit;

    /** Reads the built-in detectors' states; writes states of any size. */
    public UserStateSerde() {
        this(DetectorRegistry.BUILT_IN);
    }

    /** Writes states of any size. */
    public UserStateSerde(DetectorRegistry detectors) {
        this(detectors, null);
    }

    public UserStateSerde(DetectorRegistry detectors, RecordSizeLimit limit) {
        this.detectors = detectors;
        this.limit = limit;
    }

    @Override
    public Serializer<UserState> serializer() {
        return (topic, state) -> {
            if (state == null) {
                return null;
            }
            byte[] bytes = state.encode();
            // The key, the user id, is also in the state: twice the state's size bounds the record's.
            if (limit != null && RecordSizeLimit.sizeOf(bytes, bytes, null) > limit.usableBytes()) {
                String refusal = limit.refusal("the user's state after it",
                        state.regulator().userId().getBytes(StandardCharsets.UTF_8), bytes, null);
                if (refusal != null) {
                    throw new RecordSizeLimit.Exceeded(refusal);
                }
            }
            return bytes;
        };
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
