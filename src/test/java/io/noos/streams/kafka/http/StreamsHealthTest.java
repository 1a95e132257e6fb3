package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Kafka Streams state maps to health and readiness: alive while it can still process
 * (created, rebalancing, running), ready only when running.
 */
class StreamsHealthTest {
    private static final Set<State> ALIVE = Set.of(State.CREATED, State.REBALANCING, State.RUNNING);

    @ParameterizedTest
    @EnumSource(State.class)
    void aliveUnlessStoppingStoppedOrFailed(State state) {
        assertEquals(ALIVE.contains(state), StreamsHealth.alive(state), state.name());
    }

    @ParameterizedTest
    @EnumSource(State.class)
    void readyOnlyWhenRunning(State state) {
        assertEquals(state == State.RUNNING, StreamsHealth.ready(state), state.name());
    }
}
