package io.noos.streams.kafka.http;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Health and readiness from the Kafka Streams state. Alive while starting, rebalancing or running
 * (a restart would not help); ready only when running, since during a rebalance the state stores
 * may be moving and queries can fail.
 */
final class StreamsHealth {
    private StreamsHealth() {}

    static boolean alive(KafkaStreams.State state) {
        return switch (state) {
            case CREATED, REBALANCING, RUNNING -> true;
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR -> false;
        };
    }

    static boolean ready(KafkaStreams.State state) {
        return state == KafkaStreams.State.RUNNING;
    }
}
