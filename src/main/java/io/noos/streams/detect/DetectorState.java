package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateWriter;

/** What one detector remembers about one user; stored with the user's regulator state. */
public interface DetectorState {

    /** Applies one of the user's events (never a token), at event time {@code atMs}, in order, under the current parameters. */
    void onEvent(AgentEvent event, long atMs, DetectorParams params);

    /** The detector's verdict now, or null when it has nothing to say. Must not change the state. */
    Decision check(DetectorParams params, DetectionContext context);

    /** The state in the form {@link Detector#readState} reads. Keep it small: it is stored per user. */
    void write(StateWriter out);
}
