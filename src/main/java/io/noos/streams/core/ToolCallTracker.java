package io.noos.streams.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-turn tool calls and results (spec §11). Loop detection needs only the newest call's name and
 * how many calls in a row carried it; arguments never matter, so they are not kept.
 */
final class ToolCallTracker {
    static final int LOOP_THRESHOLD = 5;

    long totalCalls;
    String lastName;
    long runLength;
    final LinkedHashMap<String, Long> countsByName = new LinkedHashMap<>();
    /** Unsigned 64-bit, wrapping like the reference's release build. */
    long totalDurationMs;
    long failureCount;

    void reset() {
        totalCalls = 0;
        lastName = null;
        runLength = 0;
        countsByName.clear();
        totalDurationMs = 0;
        failureCount = 0;
    }

    void recordCall(String name) {
        totalCalls++;
        if (name.equals(lastName)) {
            runLength++;
        } else {
            lastName = name;
            runLength = 1;
        }
        countsByName.merge(name, 1L, Long::sum);
    }

    void recordResult(boolean success, long durationMs) {
        totalDurationMs += durationMs;
        if (!success) {
            failureCount++;
        }
    }

    /** True when the newest calls are at least {@value #LOOP_THRESHOLD} of the same tool. */
    boolean loopDetected() {
        return totalCalls >= LOOP_THRESHOLD && runLength >= LOOP_THRESHOLD;
    }

    Map<String, Long> countsByName() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(countsByName));
    }

    /** The duration sum as the reference's {@code u64 as f64}. */
    double totalDurationAsDouble() {
        return unsignedToDouble(totalDurationMs);
    }

    static double unsignedToDouble(long v) {
        if (v >= 0) {
            return (double) v;
        }
        // Halve (keeping the low bit for correct rounding), convert, double.
        return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }
}
