package io.noos.streams.kafka.topology;

import io.noos.streams.core.Decision;

/**
 * Told what the topology does with each record, for metrics: the regulator processor's decisions,
 * dead letters, duplicates and time, and the policy records the policies' global store refused.
 * Called on the stream and global threads, so implementations must be thread-safe and fast; the
 * default methods do nothing.
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

    /**
     * A policy record was refused (its key, null when it had none, and why); the key's previous
     * entry stays in force.
     */
    default void policyRejected(String key, String reason) {
    }
}
