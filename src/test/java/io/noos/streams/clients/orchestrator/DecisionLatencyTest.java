package io.noos.streams.clients.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The histogram's percentiles against the exact nearest-rank percentiles of the same times. */
class DecisionLatencyTest {

    @Test
    void percentilesAreWithinTheBucketResolutionOfTheExactOnes() {
        Random random = new Random(5);
        for (int run = 0; run < 20; run++) {
            DecisionLatency latency = new DecisionLatency();
            int n = 1 + random.nextInt(5_000);
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                nanos[i] = (long) Math.exp(Math.log(200_000) + random.nextGaussian() * 1.5);   // ~0.2 ms, long-tailed
                latency.record(nanos[i]);
            }
            Arrays.sort(nanos);
            DecisionLatency.Snapshot s = latency.snapshot();
            assertEquals(n, s.count());
            assertClose(exact(nanos, 0.50), s.p50Ms());
            assertClose(exact(nanos, 0.95), s.p95Ms());
            assertClose(exact(nanos, 0.99), s.p99Ms());
            assertEquals(nanos[n - 1] / 1e6, s.maxMs(), 1e-12);
            assertTrue(s.p99Ms() <= s.maxMs());
        }
    }

    private static double exact(long[] sorted, double q) {
        return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static void assertClose(double exact, double estimate) {
        assertTrue(Math.abs(estimate - exact) <= exact * (Math.pow(2, 1.0 / 64) - 1) + 1e-12,
                "estimate " + estimate + " vs exact " + exact);
    }

    @Test
    void nothingRecordedIsNaN() {
        DecisionLatency.Snapshot s = new DecisionLatency().snapshot();
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.p50Ms()) && Double.isNaN(s.p99Ms()) && Double.isNaN(s.maxMs()));
    }
}
