package io.noos.streams.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A user's correction texts per topic cluster (spec §10): at most 20 per cluster, oldest evicted.
 * Three or more records on a cluster make a {@link CorrectionPattern}.
 */
final class CorrectionStore {
    static final int MAX_PER_CLUSTER = 20;
    static final int PATTERN_THRESHOLD = 3;
    static final int EXAMPLES = 3;

    /** Cluster to texts, oldest first. */
    final Map<String, ArrayDeque<String>> records = new HashMap<>();

    void record(String cluster, String text) {
        if (cluster.isEmpty()) {
            return;
        }
        ArrayDeque<String> texts = records.computeIfAbsent(cluster, c -> new ArrayDeque<>());
        texts.addLast(text);
        if (texts.size() > MAX_PER_CLUSTER) {
            texts.removeFirst();
        }
    }

    int count(String cluster) {
        ArrayDeque<String> texts = records.get(cluster);
        return texts == null ? 0 : texts.size();
    }

    /** The pattern for {@code cluster}, or null below the threshold. */
    CorrectionPattern patternFor(String userId, String cluster) {
        ArrayDeque<String> texts = records.get(cluster);
        if (texts == null || texts.size() < PATTERN_THRESHOLD) {
            return null;
        }
        List<String> newestFirst = new ArrayList<>(EXAMPLES);
        Iterator<String> it = texts.descendingIterator();
        while (it.hasNext() && newestFirst.size() < EXAMPLES) {
            newestFirst.add(it.next());
        }
        int count = texts.size();
        double confidence = TokenStatistics.clamp01(count / 20.0);
        return new CorrectionPattern(userId, cluster, "corrections_on_" + cluster, count, confidence, newestFirst);
    }

    /** Every pattern at or above the threshold, clusters in code-point order. */
    List<CorrectionPattern> allPatterns(String userId) {
        List<String> clusters = new ArrayList<>(records.keySet());
        clusters.sort(Utf8::compareCodePoints);
        List<CorrectionPattern> out = new ArrayList<>();
        for (String cluster : clusters) {
            CorrectionPattern p = patternFor(userId, cluster);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
