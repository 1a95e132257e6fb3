package io.noos.streams.fleet;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's spend as a replay without Kafka counts it, event by event, by the rules the service's
 * fleet statistics use for the fleet scope ({@code *}): every applied event moves the newest event
 * time; an event whose window ended at least the grace before it is late and not counted; a
 * {@code cost} with output tokens moves its user to the bucket of their new total in the window's
 * {@link SpendHistogram}. So, for a window all of whose events have been counted, the figures equal
 * the {@code user_spend} of the service's merged fleet statistics (for a log whose events are in
 * time order, each user's events being counted by one task there too). A window's figures are
 * known as soon as its events have been counted.
 *
 * <p>Keeps the histograms of the newest {@link #KEPT_WINDOWS} windows (more only while more are
 * open), and each user's total only for the windows still open (not yet a grace past their end).
 * Not thread-safe.
 */
public final class ReplayFleetSpend implements FleetView {
    public static final int KEPT_WINDOWS = FleetSpendBook.KEPT_WINDOWS;

    private final long graceMs;
    private final TreeMap<Long, Window> windows = new TreeMap<>();
    /** The window counted into last, to skip the map while events stay in one window. */
    private Window current;
    private long newestEventTime = Long.MIN_VALUE;
    /** The newest event time at which the oldest open window closes. */
    private long nextCloseAt = Long.MAX_VALUE;

    private static final class Window {
        final long startMs;
        final SpendHistogram spend = new SpendHistogram();
        /** User → output tokens in the window; null once the window closed. */
        Map<String, Long> totals = new HashMap<>();

        Window(long startMs) {
            this.startMs = startMs;
        }
    }

    /** @param graceMs as {@code noos.fleet.stats.grace.ms}: how long after its end a window still counts events */
    public ReplayFleetSpend(long graceMs) {
        if (graceMs < 0) {
            throw new IllegalArgumentException("grace must be >= 0, got " + graceMs);
        }
        this.graceMs = graceMs;
    }

    /**
     * Counts one applied event (not a duplicate delivery) of {@code userId} at {@code atMs}, with
     * {@code tokensOut} output tokens (0 for any event but a {@code cost}).
     */
    public void onEvent(String userId, long atMs, long tokensOut) {
        if (atMs > newestEventTime) {
            newestEventTime = atMs;
            if (atMs >= nextCloseAt) {
                closeWindows();
            }
        }
        if (FleetStatsWindows.isLate(atMs, newestEventTime, graceMs)) {
            return;
        }
        long start = FleetStatsWindows.startOf(atMs);
        Window w = current;
        if (w == null || w.startMs != start) {
            w = window(start);
            current = w;
        }
        if (tokensOut > 0) {
            long after = w.totals.merge(userId, tokensOut, Long::sum);
            w.spend.move(after - tokensOut, after);
        }
    }

    private Window window(long start) {
        Window w = windows.get(start);
        if (w == null) {
            w = new Window(start);
            windows.put(start, w);
            nextCloseAt = Math.min(nextCloseAt, closesAt(start));
            while (windows.size() > KEPT_WINDOWS && windows.firstEntry().getValue().totals == null) {
                windows.pollFirstEntry();
            }
        }
        return w;
    }

    private long closesAt(long start) {
        return start + FleetStatsWindows.WINDOW_MS + graceMs;
    }

    /** Drops the per-user totals of the windows that closed. */
    private void closeWindows() {
        nextCloseAt = Long.MAX_VALUE;
        for (Window w : windows.values()) {
            if (w.totals == null) {
                continue;
            }
            if (FleetStatsWindows.isLate(w.startMs, newestEventTime, graceMs)) {
                w.totals = null;
                if (current == w) {
                    current = null;
                }
            } else {
                nextCloseAt = Math.min(nextCloseAt, closesAt(w.startMs));
            }
        }
    }

    @Override
    public FleetSpend spendIn(long windowStartMs) {
        Window w = windows.get(windowStartMs);
        if (w == null) {
            return null;
        }
        long users = w.spend.users();
        return new FleetSpend(windowStartMs, users, users == 0 ? 0.0 : w.spend.median());
    }

    /** How many windows still keep their users' totals (for tests). */
    int openWindows() {
        return (int) windows.values().stream().filter(w -> w.totals != null).count();
    }
}
