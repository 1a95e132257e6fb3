package io.noos.streams.fleet;

/** The aggregates' 1-minute tumbling event-time windows, aligned to the epoch, and lateness. */
public final class FleetStatsWindows {
    public static final long WINDOW_MS = 60_000;

    private FleetStatsWindows() {}

    public static long startOf(long eventTimeMs) {
        return eventTimeMs - Math.floorMod(eventTimeMs, WINDOW_MS);
    }

    /**
     * Whether an event at {@code eventTimeMs} arrives too late to count in its window: the window
     * ended at least {@code graceMs} before {@code streamTimeMs} (the newest event time seen).
     */
    public static boolean isLate(long eventTimeMs, long streamTimeMs, long graceMs) {
        return startOf(eventTimeMs) + WINDOW_MS + graceMs <= streamTimeMs;
    }
}
