package io.noos.streams.kafka.topology;

import io.noos.streams.decide.UserState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deserialised states of a task's most recently active users, so an event of a user seen
 * recently does not decode the user's state from the store again. The store stays the truth: every
 * change is still written to it (its record cache, changelog and RocksDB), and this map only spares
 * the read. It holds at most {@code capacity} users, dropping the least recently used.
 */
final class LiveUserStates {
    /** Users kept per task: a few MB of heap, enough for the active users of a busy partition. */
    static final int DEFAULT_CAPACITY = 4096;

    private final Map<String, UserState> states;

    LiveUserStates(int capacity) {
        this.states = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, UserState> eldest) {
                return size() > capacity;
            }
        };
    }

    UserState get(String user) {
        return states.get(user);
    }

    void put(String user, UserState state) {
        states.put(user, state);
    }

    void remove(String user) {
        states.remove(user);
    }

    void clear() {
        states.clear();
    }
}
