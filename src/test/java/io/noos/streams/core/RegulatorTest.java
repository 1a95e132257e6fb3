package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent.Cost;
import io.noos.streams.core.AgentEvent.QualityFeedback;
import io.noos.streams.core.AgentEvent.Token;
import io.noos.streams.core.AgentEvent.ToolCall;
import io.noos.streams.core.AgentEvent.ToolResult;
import io.noos.streams.core.AgentEvent.TurnComplete;
import io.noos.streams.core.AgentEvent.TurnStart;
import io.noos.streams.core.AgentEvent.UserCorrection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Behaviour the spec states (§4, §5, §12, §13, §16, §19) beyond what the vectors pin. */
class RegulatorTest {

    @Test
    void freshRegulatorIsNeutral() {
        Regulator r = Regulator.forUser("alice");
        assertEquals(0.5, r.confidence());
        assertEquals(0.0, r.logprobCoverage());
        assertEquals(Decision.Continue.INSTANCE, r.decide());
        assertEquals(9, r.metricsSnapshot().size());
    }

    @Test
    void pendingResponseSurvivesTurnStartAndNaNQualityClearsIt() {
        Regulator r = Regulator.forUser("alice");
        r.onEvent(new TurnComplete("No."), 0);
        assertEquals(0.4, r.confidence(), "short, no question mark");
        r.onEvent(new TurnStart("next question"), 1);
        assertEquals(0.4, r.confidence(), "the stale response still drives the fallback (§19 item 6)");
        r.onEvent(new QualityFeedback(Double.NaN), 2);
        assertEquals(0.5, r.confidence(), "NaN quality still drains the buffer (§19 item 5)");
    }

    @Test
    void nonFiniteInputNeverPoisonsState() {
        Regulator r = Regulator.forUser("alice");
        r.onEvent(new TurnStart("refactor this function"), 0);
        r.onEvent(new Token("a", Double.NaN, 0), 1);
        r.onEvent(new Token("b", Double.NEGATIVE_INFINITY, 1), 2);
        r.onEvent(new Token("c", -4.0, 2), 3);
        r.onEvent(new QualityFeedback(Double.POSITIVE_INFINITY), 4);
        r.onEvent(new QualityFeedback(Double.NaN), 5);
        assertEquals(0.5, r.confidence(), "only the -4.0 log-probability is in the window");
        assertEquals(1.0 / 3.0, r.logprobCoverage());
        r.metricsSnapshot().values().forEach(v -> assertTrue(Double.isFinite(v)));
        assertEquals(0, r.costs.qSize, "non-finite qualities take no slot");
    }

    @Test
    void structuralFallbackCountsCodePointsAndOnlyAsciiQuestionMarks() {
        // 39 supplementary code points (78 UTF-16 units): short by code points.
        String emoji = new String(Character.toChars(0x1F600)).repeat(39);
        assertEquals(0.4, TokenStatistics.structuralConfidence(emoji));
        assertEquals(0.4, TokenStatistics.structuralConfidence("Is this fine？"), "fullwidth ？ not counted");
        assertEquals(0.2, TokenStatistics.structuralConfidence("What? How? When?"));
    }

    @Test
    void implicitCorrectionUsesEventTimeInclusiveWindow() {
        Regulator r = Regulator.forUser("alice").withImplicitCorrectionWindowMs(1_000);
        r.onEvent(new TurnStart("refactor the async function"), 0);
        r.onEvent(new TurnComplete("done"), 10_000);
        r.onEvent(new TurnStart("refactor the async function again"), 11_000); // exactly 1000 ms later
        assertEquals(1, r.implicitCorrectionsCount());
        r.onEvent(new TurnStart("refactor the async function please"), 11_001); // stamp kept: 1001 ms
        assertEquals(1, r.implicitCorrectionsCount());
    }

    @Test
    void outOfOrderTimestampsCountAsWithinTheWindow() {
        Regulator r = Regulator.forUser("alice").withImplicitCorrectionWindowMs(0);
        r.onEvent(new TurnStart("refactor the async function"), 0);
        r.onEvent(new TurnComplete("done"), 5_000);
        r.onEvent(new TurnStart("refactor the async function again"), 4_000);
        assertEquals(1, r.implicitCorrectionsCount());
    }

    @Test
    void turnCompleteWhileFeatureIsOffIsNotStamped() {
        Regulator r = Regulator.forUser("alice");
        r.onEvent(new TurnStart("refactor the async function"), 0);
        r.onEvent(new TurnComplete("done"), 1);
        r.withImplicitCorrectionWindowMs(60_000);
        r.onEvent(new TurnStart("refactor the async function again"), 2);
        assertEquals(0, r.implicitCorrectionsCount());
    }

    @Test
    void implicitCorrectionsTurnedOffStopCountingAndForgetTheStamp() {
        Regulator r = Regulator.forUser("alice").withImplicitCorrectionWindowMs(60_000);
        r.onEvent(new TurnStart("refactor the async function"), 0);
        r.onEvent(new TurnComplete("done"), 1);
        r.withImplicitCorrectionsOff();
        assertEquals(Optional.empty(), r.implicitCorrectionWindowMs());
        r.onEvent(new TurnStart("refactor the async function"), 2);
        assertEquals(0, r.implicitCorrectionsCount(), "off: a quick rephrase is not a correction");
        // On again: the TurnComplete stamped before it was off no longer counts.
        r.withImplicitCorrectionWindowMs(60_000);
        r.onEvent(new TurnStart("refactor the async function"), 3);
        assertEquals(0, r.implicitCorrectionsCount());
        r.onEvent(new TurnComplete("done"), 4);
        r.onEvent(new TurnStart("refactor the async function"), 5);
        assertEquals(1, r.implicitCorrectionsCount());
    }

    @Test
    void explicitCorrectionGoesToLatestTurnStartsClusterAndPreludeFormatsNewestFirst() {
        Regulator r = Regulator.forUser("alice");
        r.onEvent(new TurnStart("refactor this function to be async"), 0);
        for (String c : List.of("don't add logging", "stop adding logging please", "no more logs")) {
            r.onEvent(new UserCorrection(c, true), 1);
        }
        r.onEvent(new UserCorrection("ignored", false), 2);
        Decision d = r.decide();
        ProceduralAssert.assertPattern(d, "async+function", 3, 0.15,
                List.of("no more logs", "stop adding logging please", "don't add logging"));
        assertEquals(Optional.of("User has previously corrected responses on this topic with:\n- no more logs\n"
                + "- stop adding logging please\n- don't add logging"), r.correctionsPrelude());
        assertTrue(r.injectCorrections("go").endsWith("\n\nCurrent request: go"));
    }

    @Test
    void toolLoopCountsTheActualRunAndResultsDoNotBreakIt() {
        Regulator r = Regulator.forUser("alice");
        r.onEvent(new TurnStart("find my order"), 0);
        r.onEvent(new ToolCall("a", null), 1);
        for (int i = 0; i < 8; i++) {
            r.onEvent(new ToolCall("search", "{\"q\":" + i + "}"), 2);
            r.onEvent(new ToolResult("search", i % 2 == 0, 10, null), 3);
        }
        Decision d = r.decide();
        BreakReason.RepeatedToolCallLoop loop = assertInstanceOf(BreakReason.RepeatedToolCallLoop.class,
                assertInstanceOf(Decision.CircuitBreak.class, d).reason());
        assertEquals(new BreakReason.RepeatedToolCallLoop("search", 8), loop);
        assertEquals(9, r.toolTotalCalls());
        assertEquals(80, r.toolTotalDurationMs());
        assertEquals(4, r.toolFailureCount());
    }

    @Test
    void toolDurationWrapsAsUnsigned64() {
        Regulator r = Regulator.forUser("alice");
        r.onEvent(new ToolResult("t", true, -1L /* 2^64-1 */, null), 0);
        r.onEvent(new ToolResult("t", true, 2, null), 1);
        assertEquals(1, r.toolTotalDurationMs());
        Regulator big = Regulator.forUser("bob");
        big.onEvent(new ToolResult("t", true, -1L, null), 0);
        assertEquals(18446744073709551615.0, big.metricsSnapshot().get("noos.tool_total_duration_ms"));
    }

    @Test
    void costTotalsSaturateAndCapFiresAtEqualityOnlyWithPoorQuality() {
        Regulator r = Regulator.forUser("alice").withCostCap(100);
        r.onEvent(new Cost(FieldChecks.U32_MAX, 100, 0, null), 0);
        r.onEvent(new Cost(FieldChecks.U32_MAX, 0, 0, null), 1);
        assertEquals(Decision.Continue.INSTANCE, r.decide(), "fewer than 3 scores: mean defaults to 1.0");
        for (double q : new double[] {0.4, 0.4, 0.4}) {
            r.onEvent(new QualityFeedback(q), 2);
        }
        Decision.CircuitBreak cb = assertInstanceOf(Decision.CircuitBreak.class, r.decide());
        assertEquals(new BreakReason.CostCapReached(100, 100, (0.4 + 0.4 + 0.4) / 3), cb.reason());
        assertEquals(FieldChecks.U32_MAX, r.totalTokensIn());
    }

    @Test
    void thresholdBuilderIgnoresInvalidValues() {
        Regulator r = Regulator.forUser("alice").withScopeDriftThreshold(0.7);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.1, 1.1}) {
            r.withScopeDriftThreshold(bad);
            assertEquals(0.7, r.scopeDriftThreshold());
        }
        r.withScopeDriftThreshold(-0.0);
        assertEquals(-0.0, r.scopeDriftThreshold());
    }

    @Test
    void invalidSettingsAreRejectedWithAClearMessage() {
        Regulator r = Regulator.forUser("alice");
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> r.withCostCap(1L << 32));
        assertTrue(e.getMessage().contains("cost_cap"), e.getMessage());
        assertThrows(InvalidEventException.class, () -> r.withImplicitCorrectionWindowMs(-1));
    }

    @Test
    void eventsRejectInvalidFields() {
        assertTrue(assertThrows(InvalidEventException.class, () -> new Cost(-1, 0, 0, null))
                .getMessage().contains("tokens_in"));
        assertTrue(assertThrows(InvalidEventException.class, () -> new Cost(0, 1L << 32, 0, null))
                .getMessage().contains("tokens_out"));
        assertTrue(assertThrows(InvalidEventException.class, () -> new TurnStart("bad \ud800 text"))
                .getMessage().contains("unpaired surrogate"));
        assertTrue(assertThrows(InvalidEventException.class, () -> new ToolCall("x", "\udc00"))
                .getMessage().contains("args_json"));
        assertThrows(InvalidEventException.class, () -> new TurnComplete(null));
        new TurnStart(new String(Character.toChars(0x1F600))); // a proper pair is fine
    }

    @Test
    void perTaskResetKeepsPatternsAndSettingsButNotCostOrTurnState() {
        Regulator r = Regulator.forUser("alice").withCostCap(500).withScopeDriftThreshold(0.8)
                .withImplicitCorrectionWindowMs(1000);
        r.onEvent(new TurnStart("refactor this function to be async"), 0);
        for (int i = 0; i < 4; i++) {
            r.onEvent(new UserCorrection("c" + i, true), 1);
        }
        r.onEvent(new Cost(1, 400, 1, null), 2);
        r.onEvent(new ToolCall("t", null), 3);
        Regulator fresh = r.perTaskReset();
        assertEquals(0, fresh.totalTokensOut());
        assertEquals(0, fresh.toolTotalCalls());
        assertEquals(500, fresh.costCapTokens());
        assertEquals(0.8, fresh.scopeDriftThreshold());
        assertEquals(Optional.of(1000L), fresh.implicitCorrectionWindowMs());
        assertEquals("", fresh.currentCluster());
        CorrectionPattern p = fresh.correctionPatterns().get(0);
        assertEquals(3, p.learnedFromTurns(), "a round trip keeps the newest 3 (§19 item 38)");
        assertEquals(List.of("c3", "c2", "c1"), p.exampleCorrections());
    }
}
