package io.noos.streams.alerts;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * At most {@code max} sends per {@code windowMs} to one destination (a sliding window): {@link #delayMs}
 * says how long to wait before the next send may go. Alerts are delayed, never dropped.
 */
final class RateLimiter {
    private final int max;
    private final long windowMs;
    private final LongSupplier clock;
    private final ArrayDeque<Long> sends = new ArrayDeque<>();

    RateLimiter(int max, long windowMs, LongSupplier clock) {
        if (max < 1 || windowMs < 1) {
            throw new IllegalArgumentException("a rate limit is at least 1 send per at least 1 ms");
        }
        this.max = max;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    /** Milliseconds until a send is allowed (0: now). */
    synchronized long delayMs() {
        long now = clock.getAsLong();
        while (!sends.isEmpty() && sends.peekFirst() <= now - windowMs) {
            sends.pollFirst();
        }
        return sends.size() < max ? 0 : sends.peekFirst() + windowMs - now;
    }

    /** Records a send now. */
    synchronized void sent() {
        sends.addLast(clock.getAsLong());
    }
}
