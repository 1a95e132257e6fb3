package io.noos.streams.kafka.topology;

import io.noos.streams.core.Decision;

/**
 * Told what the regulator processor does with each record, for metrics. Called on the stream
 * threads, so implementations must be thread-safe and fast; the default methods do nothing.
 */
public interface ProcessingObserver {
    /** Observes nothing: the topology without metrics (tests, docs, replays). */
    ProcessingObserver NONE = new ProcessingObserver() { };

    /** A decision was emitted. */
    default void decided(Decision decision) {
    }

    /** A record was sent to the dead-letter topic by the processor. */
    default void deadLettered() {
    }

    /** A record repeated an event id already applied for its user and was not applied again. */
    default void duplicate() {
    }

    /** The processor's whole work on one record (decode, state read, regulator, state write) took this long. */
    default void processed(long elapsedNanos) {
    }
}
