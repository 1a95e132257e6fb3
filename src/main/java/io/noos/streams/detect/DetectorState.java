package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateWriter;
import io.noos.streams.pricing.Money;

/** What one detector remembers about one user; stored with the user's regulator state. */
public interface DetectorState {

    /** Applies one of the user's events (never a token), at event time {@code atMs}, in order, under the current parameters. */
    void onEvent(AgentEvent event, long atMs, DetectorParams params);

    /**
     * As {@link #onEvent(AgentEvent, long, DetectorParams)}, with what a {@code cost} event cost
     * ({@code cost}; null when unpriced or not a cost event), for the detectors that count money.
     */
    default void onEvent(AgentEvent event, long atMs, DetectorParams params, Money cost) {
        onEvent(event, atMs, params);
    }

    /**
     * A warning from a {@code BREAK}-stage detector, which takes its place among the warnings (after
     * the reference's), or null. Must not change the state.
     */
    default Decision warning(DetectorParams params, DetectionContext context) {
        return null;
    }

    /** The detector's verdict now, or null when it has nothing to say. Must not change the state. */
    Decision check(DetectorParams params, DetectionContext context);

    /** The state in the form {@link Detector#readState} reads. Keep it small: it is stored per user. */
    void write(StateWriter out);
}
