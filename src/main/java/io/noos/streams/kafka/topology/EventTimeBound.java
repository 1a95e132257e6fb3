package io.noos.streams.kafka.topology;

/**
 * How far ahead of this instance's clock an envelope's {@code at_ms} may be
 * ({@code noos.event.time.max.future.ms}, default 5 minutes); a later time is refused (the processor
 * dead-letters the record with {@link #refusal}'s reason) instead of being applied. The regulator, the
 * detectors and the fleet windows run on {@code at_ms}: an accepted time far ahead would close its
 * task's open fleet windows and make every other agent's events late until the wall clock caught
 * up, and would gate the user's implicit corrections. Such times are almost always a unit mistake
 * (microseconds, nanoseconds) or a broken clock, so the bound leaves room only for clock skew and
 * for agents that send a turn's events at once. Past times are always accepted: logs are replayed
 * with old or relative times (the benchmark workload starts at 0). Negative times are refused by
 * the envelope itself.
 *
 * @param maxFutureMs how far {@code at_ms} may be ahead of the wall clock, in ms (at least 0)
 */
public record EventTimeBound(long maxFutureMs) {
    /** The configuration key (ServiceConfig.EVENT_TIME_MAX_FUTURE_MS). */
    public static final String CONFIG_KEY = "noos.event.time.max.future.ms";
    public static final long DEFAULT_MAX_FUTURE_MS = 300_000;
    /** 2000-01-01T00:00:00Z: a unit-converted time before this is not taken for a real one. */
    private static final long EARLIEST_PLAUSIBLE_MS = 946_684_800_000L;

    public EventTimeBound {
        if (maxFutureMs < 0) {
            throw new IllegalArgumentException(CONFIG_KEY + " must be an integer >= 0, got "
                    + maxFutureMs);
        }
    }

    public static EventTimeBound defaults() {
        return new EventTimeBound(DEFAULT_MAX_FUTURE_MS);
    }

    /**
     * Null when {@code atMs} is acceptable at wall-clock time {@code nowMs}; otherwise why not: the
     * value, how far ahead it is, the limit, and, when {@code atMs} read as microseconds or
     * nanoseconds would be a plausible time, that it looks like one.
     */
    public String refusal(long atMs, long nowMs) {
        long latest = latest(nowMs);
        if (atMs <= latest) {
            return null;
        }
        String reason = "at_ms " + atMs + " is " + (atMs - nowMs)
                + " ms ahead of this instance's clock (" + nowMs + "), beyond "
                + CONFIG_KEY + "=" + maxFutureMs;
        if (plausible(atMs / 1_000, latest)) {
            return reason + "; it looks like microseconds (at_ms / 1000 = " + atMs / 1_000 + " would be accepted)";
        }
        if (plausible(atMs / 1_000_000, latest)) {
            return reason + "; it looks like nanoseconds (at_ms / 1000000 = " + atMs / 1_000_000 + " would be accepted)";
        }
        return reason;
    }

    private long latest(long nowMs) {
        return nowMs > Long.MAX_VALUE - maxFutureMs ? Long.MAX_VALUE : nowMs + maxFutureMs;
    }

    private static boolean plausible(long ms, long latest) {
        return ms >= EARLIEST_PLAUSIBLE_MS && ms <= latest;
    }
}
