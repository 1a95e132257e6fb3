package io.noos.streams.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Scope drift between a task's and a response's keyword bags (spec §8): the share of response
 * keywords not anchored in the task, where anchored means equal, or (both at least 4 UTF-8 bytes)
 * one a prefix of the other.
 *
 * @param score       unanchored / response size
 * @param driftTokens the unanchored response keywords, in rank order
 */
record ScopeDrift(double score, List<String> driftTokens) {
    private static final int PREFIX_MIN_BYTES = 4;

    /** The drift, or null when either bag is empty. */
    static ScopeDrift of(List<String> task, List<String> response) {
        if (task.isEmpty() || response.isEmpty()) {
            return null;
        }
        int[] taskBytes = new int[task.size()];
        for (int i = 0; i < taskBytes.length; i++) {
            taskBytes[i] = Utf8.byteLength(task.get(i));
        }
        List<String> drift = new ArrayList<>();
        for (String r : response) {
            if (!isAnchored(r, task, taskBytes)) {
                drift.add(r);
            }
        }
        return new ScopeDrift((double) drift.size() / (double) response.size(), List.copyOf(drift));
    }

    private static boolean isAnchored(String r, List<String> task, int[] taskBytes) {
        if (task.contains(r)) {
            return true;
        }
        int rBytes = Utf8.byteLength(r);
        if (rBytes < PREFIX_MIN_BYTES) {
            return false;
        }
        for (int i = 0; i < taskBytes.length; i++) {
            if (taskBytes[i] < PREFIX_MIN_BYTES) {
                continue;
            }
            String t = task.get(i);
            boolean anchored = taskBytes[i] <= rBytes ? r.startsWith(t) : t.startsWith(r);
            if (anchored) {
                return true;
            }
        }
        return false;
    }
}
