package io.noos.streams.fleet;

/**
 * The fleet-wide windowed aggregates: 1-minute tumbling event-time windows.
 *
 * @param graceMs        how long after a window's end (by the newest {@code at_ms} its task has seen) its events still count;
 *                       later ones count as {@code late_events} of the current window
 * @param retentionMs    how long merged windows stay in the queryable store (after the newest window seen)
 * @param emitIntervalMs how often (wall clock) each task sends its changed partial counts to be merged
 */
public record FleetStatsSettings(long graceMs, long retentionMs, long emitIntervalMs) {
    public static final long WINDOW_MS = FleetStatsWindows.WINDOW_MS;
    public static final long DEFAULT_GRACE_MS = 10_000;
    public static final long DEFAULT_RETENTION_MS = 86_400_000;
    public static final long DEFAULT_EMIT_INTERVAL_MS = 5_000;
    public static final FleetStatsSettings DEFAULTS =
            new FleetStatsSettings(DEFAULT_GRACE_MS, DEFAULT_RETENTION_MS, DEFAULT_EMIT_INTERVAL_MS);

    public FleetStatsSettings {
        if (graceMs < 0) {
            throw new IllegalArgumentException("noos.fleet.stats.grace.ms must be >= 0, got " + graceMs);
        }
        if (retentionMs < WINDOW_MS) {
            throw new IllegalArgumentException("noos.fleet.stats.retention.ms must be at least one window ("
                    + WINDOW_MS + "), got " + retentionMs);
        }
        if (emitIntervalMs <= 0) {
            throw new IllegalArgumentException("noos.fleet.stats.emit.interval.ms must be > 0, got " + emitIntervalMs);
        }
    }
}
