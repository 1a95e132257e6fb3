package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import java.util.Comparator;

/**
 * An event of a turn with the time it happened and what breaks ties between equal times.
 *
 * @param nanos event time in nanoseconds since the epoch
 * @param rank  order among events at the same time (see the constants)
 * @param seq   creation order, the last tie-break
 * @param location where the span it came from was read (for its event id)
 * @param event the event
 */
record TimedEvent(long nanos, int rank, int seq, Location location, AgentEvent event) {
    /** Old-shape events keep the reference adapter's order among themselves. */
    static final int REFERENCE = 0;
    static final int TURN_START = 0;
    static final int TOOL_CALL = 1;
    static final int TOOL_RESULT = 2;
    static final int TURN_COMPLETE = 3;
    static final int COST = 4;
    static final int QUALITY = 5;

    static final Comparator<TimedEvent> ORDER = Comparator.comparingLong(TimedEvent::nanos)
            .thenComparingInt(TimedEvent::rank)
            .thenComparingInt(TimedEvent::seq);

    /** Event time in whole milliseconds, as envelopes carry it. */
    long atMs() {
        return nanos / 1_000_000L;
    }
}
