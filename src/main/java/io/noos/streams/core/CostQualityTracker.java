package io.noos.streams.core;

/**
 * Saturating token and time totals plus the last 20 quality scores (spec §9). Totals live for the
 * whole life of a regulator instance; the cap is configuration.
 */
final class CostQualityTracker {
    static final long DEFAULT_CAP = 10_000;
    static final int QUALITY_WINDOW = 20;
    static final int DECLINE_WINDOW = 3;
    static final double MIN_DECLINE_DELTA = 0.15;
    static final double POOR_QUALITY_MEAN = 0.5;

    long capTokens = DEFAULT_CAP;
    long tokensIn;
    long tokensOut;
    /** Unsigned 64-bit, saturating. */
    long wallclockMs;
    /** Unsigned 64-bit, saturating. */
    long costEvents;

    /** Ring of clamped scores; {@code qHead} indexes the oldest once full. */
    final double[] quality = new double[QUALITY_WINDOW];
    int qHead;
    int qSize;

    void recordCost(long in, long out, long wallclock) {
        tokensIn = Math.min(tokensIn + in, FieldChecks.U32_MAX);
        tokensOut = Math.min(tokensOut + out, FieldChecks.U32_MAX);
        wallclockMs = saturatingAddUnsigned(wallclockMs, wallclock);
        costEvents = saturatingAddUnsigned(costEvents, 1);
    }

    static long saturatingAddUnsigned(long a, long b) {
        long sum = a + b;
        return Long.compareUnsigned(sum, a) < 0 ? -1L : sum;
    }

    void recordQuality(double q) {
        if (!Double.isFinite(q)) {
            return;
        }
        double clamped = TokenStatistics.clamp01(q);
        if (qSize < QUALITY_WINDOW) {
            quality[(qHead + qSize) % QUALITY_WINDOW] = clamped;
            qSize++;
        } else {
            quality[qHead] = clamped;
            qHead = (qHead + 1) % QUALITY_WINDOW;
        }
    }

    /** Score at position {@code i} counted from the oldest. */
    double qualityAt(int i) {
        return quality[(qHead + i) % QUALITY_WINDOW];
    }

    boolean capReached() {
        return tokensOut >= capTokens;
    }

    /** Mean of the newest {@code n} scores summed oldest first, or NaN when fewer are stored. */
    double meanLast(int n) {
        if (n == 0 || qSize < n) {
            return Double.NaN;
        }
        int from = qSize - n;
        double sum = qualityAt(from);
        for (int i = from + 1; i < qSize; i++) {
            sum += qualityAt(i);
        }
        return sum / n;
    }

    /** Oldest-of-last-n minus newest when it is at least {@code minDelta}, else NaN. */
    double decline(int n, double minDelta) {
        if (n < 2 || qSize < n) {
            return Double.NaN;
        }
        double delta = qualityAt(qSize - n) - qualityAt(qSize - 1);
        return delta >= minDelta ? delta : Double.NaN;
    }
}
