package io.noos.streams.core;

import java.util.List;

/**
 * What the regulator learned from a user's repeated corrections on one topic cluster. Field order
 * and names follow the reference's serialisation.
 *
 * @param userId            the regulator's user id
 * @param topicCluster      the cluster key, for example {@code async+function}
 * @param patternName       {@code corrections_on_} followed by the cluster key
 * @param learnedFromTurns  number of recorded corrections (3 to 20)
 * @param confidence        {@code learnedFromTurns / 20}, clamped to [0, 1]
 * @param exampleCorrections the newest three correction texts, newest first
 */
public record CorrectionPattern(String userId, String topicCluster, String patternName, long learnedFromTurns,
                                double confidence, List<String> exampleCorrections) {
    public CorrectionPattern {
        exampleCorrections = List.copyOf(exampleCorrections);
    }
}
