package io.noos.streams.testkit;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.Decision;
import io.noos.streams.core.Regulator;
import io.noos.streams.json.DecisionJson;
import java.util.Set;

/**
 * What any decision may be, from the spec (§2.2 vocabulary, §13 rules): one of the four kinds the
 * reference emits (never {@code low_confidence_spans}), a circuit break for one of the three
 * reasons it emits (never {@code repeated_failure_pattern}) with that reason's fixed suggestion and
 * the values its rule implies, a drift warning at or above the threshold, a procedural warning with
 * exactly one pattern of this user. Its JSON carries the same kind.
 */
public final class SpecDecisionCheck {
    public static final Set<String> KINDS = Set.of("continue", "circuit_break", "scope_drift_warn", "procedural_warning");
    static final String S1 = "Cost cap reached with poor recent quality. Ask the user to clarify scope or abandon this task.";
    static final String S2 = "Response quality is declining without recovery. Consider redirecting or simplifying the task.";
    static final String S3 = "Agent repeatedly called the same tool without progress. Break the loop: re-prompt with a "
            + "different approach, escalate to the user, or mark the task unresolved.";

    private SpecDecisionCheck() {}

    /**
     * Checks {@code d} against the vocabulary.
     *
     * @param user          the regulator's user id
     * @param capTokens     its cost cap
     * @param driftThreshold its drift threshold
     */
    public static void check(Decision d, String user, long capTokens, double driftThreshold) {
        assertTrue(KINDS.contains(d.kind()), "kind " + d.kind());
        if (d instanceof Decision.CircuitBreak b) {
            if (b.reason() instanceof BreakReason.CostCapReached r) {
                assertEquals(S1, b.suggestion());
                assertEquals(capTokens, r.tokensCap());
                assertTrue(Long.compareUnsigned(r.tokensSpent(), r.tokensCap()) >= 0, r.toString());
                assertTrue(r.meanQualityLastN() < 0.5, r.toString());
            } else if (b.reason() instanceof BreakReason.QualityDeclineNoRecovery r) {
                assertEquals(S2, b.suggestion());
                assertEquals(3, r.turns());
                assertTrue(r.meanDelta() >= 0.15, r.toString());
            } else if (b.reason() instanceof BreakReason.RepeatedToolCallLoop r) {
                assertEquals(S3, b.suggestion());
                assertTrue(r.consecutiveCount() >= 5, r.toString());
            } else {
                fail("a break reason the reference never emits: " + b.reason());
            }
        } else if (d instanceof Decision.ScopeDriftWarn w) {
            assertTrue(w.driftScore() >= 0.0 && w.driftScore() <= 1.0, "drift score " + w.driftScore());
            assertTrue(w.driftScore() >= driftThreshold, w.driftScore() + " below threshold " + driftThreshold);
            assertFalse(w.taskTokens().isEmpty(), "a drift needs task keywords");
        } else if (d instanceof Decision.ProceduralWarning p) {
            assertEquals(1, p.patterns().size(), "exactly one pattern");
            CorrectionPattern pattern = p.patterns().get(0);
            assertEquals(user, pattern.userId());
            assertFalse(pattern.topicCluster().isEmpty());
            assertEquals("corrections_on_" + pattern.topicCluster(), pattern.patternName());
            assertTrue(pattern.learnedFromTurns() >= 3, pattern.toString());
        } else if (!(d instanceof Decision.Continue)) {
            fail("a decision the reference never emits: " + d);
        }
        assertEquals(d.kind(), tree(DecisionJson.toJson(d)).get("kind").asText(), "JSON kind");
    }

    /** {@link #check(Decision, String, long, double)} with the regulator's own settings, plus §14's prelude rules. */
    public static void check(Regulator r, Decision d) {
        check(d, r.userId(), r.costCapTokens(), r.scopeDriftThreshold());
        String prompt = "next request";
        if (r.correctionsPrelude().isPresent()) {
            assertTrue(d instanceof Decision.ProceduralWarning, "a prelude only with a procedural warning: " + d.kind());
            assertEquals(r.correctionsPrelude().get() + "\n\nCurrent request: " + prompt, r.injectCorrections(prompt));
        } else {
            assertEquals(prompt, r.injectCorrections(prompt));
        }
    }

}
