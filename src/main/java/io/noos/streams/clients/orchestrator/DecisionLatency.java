package io.noos.streams.clients.orchestrator;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * How long decisions took to reach the agent: from the call that sent an event to the moment its
 * decision record was in the client's hands. A log-scale histogram of nanoseconds, 32 buckets per
 * doubling, so a percentile is within 2^(1/64) − 1 ≈ 1.1 % of the exact value (and never above the
 * largest one recorded); memory is fixed however many decisions are recorded. Thread-safe.
 */
public final class DecisionLatency {
    private static final int PER_DOUBLING = 32;
    /** Up to 2^48 ns (about 78 hours); longer times count in the last bucket. */
    private static final int BUCKETS = 48 * PER_DOUBLING;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /**
     * Figures in milliseconds; NaN when nothing was recorded.
     *
     * @param count decisions recorded
     */
    public record Snapshot(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {}

    /** Records one decision that took {@code nanos} from send to hand. */
    public void record(long nanos) {
        long n = Math.max(1, nanos);
        buckets.incrementAndGet(bucket(n));
        count.increment();
        max.accumulate(n);
    }

    static int bucket(long nanos) {
        double log = Math.log(nanos) / Math.log(2);
        return (int) Math.min(BUCKETS - 1, Math.max(0, Math.floor(log * PER_DOUBLING)));
    }

    /** The geometric middle of a bucket, in nanoseconds. */
    static double value(int bucket) {
        return Math.pow(2, (bucket + 0.5) / PER_DOUBLING);
    }

    /** The figures over every decision recorded so far. */
    public Snapshot snapshot() {
        long[] counts = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = buckets.get(i);
            total += counts[i];
        }
        double maxMs = total == 0 ? Double.NaN : max.get() / 1e6;
        return new Snapshot(total, percentile(counts, total, 0.50, maxMs), percentile(counts, total, 0.95, maxMs),
                percentile(counts, total, 0.99, maxMs), maxMs);
    }

    /** The nearest-rank percentile: the value of the bucket holding the ⌈q·n⌉-th smallest time. */
    private static double percentile(long[] counts, long total, double q, double maxMs) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(value(i) / 1e6, maxMs);
            }
        }
        return maxMs;
    }
}
