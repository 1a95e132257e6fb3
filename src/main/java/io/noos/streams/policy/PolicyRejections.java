package io.noos.streams.policy;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts the policy records the service refused (bad JSON, a value out of range, an unusable key),
 * for metrics; the previous valid entry of such a key stays in force. Thread-safe.
 */
public final class PolicyRejections {
    private final AtomicLong count = new AtomicLong();
    private final AtomicReference<Rejection> last = new AtomicReference<>();

    /** One refused record: its key (null when it had none) and the reason. */
    public record Rejection(String key, String reason) {}

    public void record(String key, String reason) {
        last.set(new Rejection(key, reason));
        count.incrementAndGet();
    }

    /** Records refused since the service started (a restart re-reads the topic and counts them again). */
    public long count() {
        return count.get();
    }

    public Optional<Rejection> last() {
        return Optional.ofNullable(last.get());
    }
}
