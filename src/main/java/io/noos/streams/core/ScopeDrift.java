package io.noos.streams.core;

import java.util.Arrays;
import java.util.List;

/**
 * Scope drift between a task's and a response's keyword bags (spec §8): the share of response
 * keywords not anchored in the task, where anchored means equal, or (both at least 4 UTF-8 bytes)
 * one a prefix of the other. The unanchored words become strings only when a warning shows them.
 */
final class ScopeDrift {
    private static final int PREFIX_MIN_BYTES = 4;

    private final double score;
    private final KeywordBag response;
    private final int[] driftIndexes;

    private ScopeDrift(double score, KeywordBag response, int[] driftIndexes) {
        this.score = score;
        this.response = response;
        this.driftIndexes = driftIndexes;
    }

    /** Unanchored / response size. */
    double score() {
        return score;
    }

    /** The unanchored response keywords, in rank order. */
    List<String> driftTokens() {
        String[] out = new String[driftIndexes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = response.word(driftIndexes[i]);
        }
        return List.of(out);
    }

    /** The drift, or null when either bag is empty. */
    static ScopeDrift of(KeywordBag task, KeywordBag response) {
        if (task.isEmpty() || response.isEmpty()) {
            return null;
        }
        int[] drift = new int[response.size()];
        int n = 0;
        for (int i = 0; i < response.size(); i++) {
            if (!isAnchored(i, response, task)) {
                drift[n++] = i;
            }
        }
        return new ScopeDrift((double) n / (double) response.size(), response, Arrays.copyOf(drift, n));
    }

    /** For tests and tools: the drift between two keyword lists. */
    static ScopeDrift of(List<String> task, List<String> response) {
        return of(KeywordBag.of(task), KeywordBag.of(response));
    }

    /** Equal to a task word, or (both at least 4 bytes) a prefix of one or prefixed by one. */
    private static boolean isAnchored(int i, KeywordBag response, KeywordBag task) {
        char first = response.firstChar(i);
        int rBytes = response.byteLength(i);
        for (int j = 0; j < task.size(); j++) {
            if (task.firstChar(j) != first) {
                continue; // neither equal nor prefix-related: a cheap filter for the common case
            }
            if (response.sameWord(i, task, j)) {
                return true;
            }
            int tBytes = task.byteLength(j);
            if (rBytes >= PREFIX_MIN_BYTES && tBytes >= PREFIX_MIN_BYTES
                    && (tBytes <= rBytes ? response.startsWith(i, task, j) : task.startsWith(j, response, i))) {
                return true;
            }
        }
        return false;
    }
}
