package io.noos.streams.core;

/**
 * Per-turn token log-probabilities (spec §12): a window of the newest 128 usable log-probabilities
 * plus counts of all tokens and of those without a usable log-probability.
 */
final class TokenStatistics {
    static final int WINDOW = 128;
    private static final double NLL_MIDPOINT = 4.0;
    private static final double NLL_HALF_RANGE = 3.0;
    private static final int SHORT_RESPONSE_CODE_POINTS = 40;
    private static final double QUESTION_HEAVY_RATIO = 0.02;

    /** Ring buffer; {@code head} is the index of the oldest value when {@code size == WINDOW}. */
    /** Allocated on the first usable log-probability: many regulators never see one. */
    double[] window;
    int head;
    int size;
    long total;
    long unavailable;

    void reset() {
        head = 0;
        size = 0;
        total = 0;
        unavailable = 0;
    }

    void record(double logprob) {
        total++;
        // x >= 0.0 covers -0.0 and the "unavailable" sentinel 0.0; NaN fails every comparison.
        if (!(logprob < 0.0) || logprob == Double.NEGATIVE_INFINITY) {
            unavailable++;
            return;
        }
        if (window == null) {
            window = new double[WINDOW];
        }
        if (size < WINDOW) {
            window[(head + size) % WINDOW] = logprob;
            size++;
        } else {
            window[head] = logprob;
            head = (head + 1) % WINDOW;
        }
    }

    /** Value at position {@code i} counted from the oldest. */
    double valueAt(int i) {
        return window[(head + i) % WINDOW];
    }

    double coverage() {
        if (total == 0) {
            return 0.0;
        }
        return (double) (total - unavailable) / (double) total;
    }

    /** Confidence from the window, else from the buffered response's shape, else neutral 0.5. */
    double confidence(String pendingResponse) {
        if (size > 0) {
            double sum = 0.0;
            for (int i = 0; i < size; i++) {
                sum += -valueAt(i);
            }
            double mean = sum / size;
            return clamp01(0.5 + 0.5 * ((NLL_MIDPOINT - mean) / NLL_HALF_RANGE));
        }
        if (pendingResponse != null) {
            return structuralConfidence(pendingResponse);
        }
        return 0.5;
    }

    static double structuralConfidence(String response) {
        int codePoints = response.codePointCount(0, response.length());
        if (codePoints == 0) {
            return 0.5;
        }
        int questionMarks = 0;
        for (int i = 0; i < response.length(); i++) {
            if (response.charAt(i) == '?') {
                questionMarks++;
            }
        }
        boolean isShort = codePoints < SHORT_RESPONSE_CODE_POINTS;
        boolean questionHeavy = (double) questionMarks / (double) codePoints >= QUESTION_HEAVY_RATIO;
        if (isShort && questionHeavy) {
            return 0.2;
        }
        return isShort || questionHeavy ? 0.4 : 0.7;
    }

    /** Rust's clamp on a non-NaN value; +Inf/-Inf saturate. */
    static double clamp01(double x) {
        return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
    }
}
