package io.noos.streams.replay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.Json;
import io.noos.streams.replay.ReplaySummary;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The kinds and reasons only the opt-in detectors emit are counted in the summary, after the
 * regulator's own, whether the decision records come as objects (offline) or as JSON (via Kafka).
 */
class OptInDecisionsReportTest {
    /**
     * ann turn 1: continue, then two spend anomaly warnings; ann turn 2: two token-budget breaks;
     * ben turn 1: an identical-call break, then a cycle break; ben turn 2: a failure-pattern break.
     */
    private static void feed(BiConsumer<ReplayStats, DecisionRecord> sink, ReplayStats stats) {
        Decision spend = new Decision.SpendAnomalyWarn(9_000, 1_000.0, 9.0, 120_000, 60_000, 6);
        Decision budget = new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(50_200, 50_000, 3_600_000), "s");
        sink.accept(stats, record("ann", 1, Decision.Continue.INSTANCE));
        sink.accept(stats, record("ann", 1, spend));
        sink.accept(stats, record("ann", 1, spend));
        sink.accept(stats, record("ann", 2, budget));
        sink.accept(stats, record("ann", 2, budget));
        sink.accept(stats, record("ben", 1, new Decision.CircuitBreak(
                new BreakReason.RepeatedIdenticalToolCall("fetch", "0123456789abcdef", 3), "s")));
        sink.accept(stats, record("ben", 1, new Decision.CircuitBreak(
                new BreakReason.ToolCallCycle(List.of("plan", "fetch"), 3), "s")));
        sink.accept(stats, record("ben", 2, new Decision.CircuitBreak(
                new BreakReason.RepeatedFailurePattern("auth+login", 3), "s")));
    }

    private static DecisionRecord record(String user, long turn, Decision d) {
        return new DecisionRecord(user, "agent-1", "s-1", null, "tool_call", 1_000 * turn, turn, d, null, Map.of());
    }

    private static ReplayReport report(BiConsumer<ReplayStats, DecisionRecord> sink) {
        ReplayStats stats = new ReplayStats();
        feed(sink, stats);
        RunParameters p = new RunParameters("offline", "log.jsonl", 10_000, 0.5, null, true, "json", "json",
                "2026-01-01T00:00:00Z");
        return stats.report(p, new ReplaySummary(8, 8, 0, 0, 0, Duration.ofMillis(10)));
    }

    private static ReplayReport fromObjects() {
        return report(ReplayStats::decision);
    }

    private static ReplayReport fromJson() {
        return report((stats, r) -> stats.decisionJson(DecisionRecordJson.toBytes(r)));
    }

    @Test
    void newKindsAndReasonsAreCountedAfterTheRegulatorsOwn() {
        for (ReplayReport r : List.of(fromObjects(), fromJson())) {
            assertEquals(List.of(
                    new ReplayReport.KindCount("continue", 1, 1),
                    new ReplayReport.KindCount("scope_drift_warn", 0, 0),
                    new ReplayReport.KindCount("procedural_warning", 0, 0),
                    new ReplayReport.KindCount("circuit_break", 5, 3),
                    new ReplayReport.KindCount("spend_anomaly_warn", 2, 1)), r.decisionsByKind());
            assertEquals(List.of(
                    new ReplayReport.KindCount("cost_cap_reached", 0, 0),
                    new ReplayReport.KindCount("quality_decline_no_recovery", 0, 0),
                    new ReplayReport.KindCount("repeated_tool_call_loop", 0, 0),
                    new ReplayReport.KindCount("repeated_failure_pattern", 1, 1),
                    new ReplayReport.KindCount("repeated_identical_tool_call", 1, 1),
                    new ReplayReport.KindCount("tool_call_cycle", 1, 1),
                    new ReplayReport.KindCount("token_budget_exceeded", 2, 1)), r.breaksByReason());

            ReplayReport.Halts h = r.halts();
            assertEquals(2, h.usersHalted());
            assertEquals(3, h.haltedTurns());
            assertEquals(5, h.circuitBreakDecisions());
            assertEquals(List.of(
                    new ReplayReport.UserHalts("ben", 2, 2, 3, Map.of("repeated_identical_tool_call", 1L,
                            "tool_call_cycle", 1L, "repeated_failure_pattern", 1L)),
                    new ReplayReport.UserHalts("ann", 2, 1, 2, Map.of("token_budget_exceeded", 1L))), h.byUser());
        }
    }

    @Test
    void anOptInKindOrReasonNeverSeenIsNotListed() {
        ReplayStats stats = new ReplayStats();
        stats.decision(record("cy", 1, new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(2, 1, 60_000), "s")));
        ReplayReport r = stats.report(new RunParameters("offline", "x", 1, 0.5, null, true, "json", "json", "t"),
                new ReplaySummary(1, 1, 0, 0, 0, Duration.ZERO));
        assertEquals(List.of("continue", "scope_drift_warn", "procedural_warning", "circuit_break"),
                r.decisionsByKind().stream().map(ReplayReport.KindCount::kind).toList());
        assertEquals(List.of("cost_cap_reached", "quality_decline_no_recovery", "repeated_tool_call_loop",
                "token_budget_exceeded"), r.breaksByReason().stream().map(ReplayReport.KindCount::kind).toList());
    }

    @Test
    void theTextJsonAndHtmlSummariesShowThem() throws IOException {
        ReplayReport r = fromJson();

        String text = ReportText.format(r);
        assertTrue(text.matches("(?s).*\\n  spend_anomaly_warn +2 +1\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  token_budget_exceeded +2 +1\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  repeated_failure_pattern +1 +1\\n.*"), text);

        JsonNode j = Json.mapper().readTree(ReportJson.toJson(r));
        assertEquals(2, j.at("/decisions_by_kind/spend_anomaly_warn/decisions").asLong());
        assertEquals(1, j.at("/decisions_by_kind/spend_anomaly_warn/turns").asLong());
        assertEquals(1, j.at("/circuit_breaks_by_reason/repeated_identical_tool_call/decisions").asLong());
        assertEquals(1, j.at("/circuit_breaks_by_reason/tool_call_cycle/turns").asLong());
        assertEquals(2, j.at("/circuit_breaks_by_reason/token_budget_exceeded/decisions").asLong());
        assertEquals(1, j.at("/halts/users/0/halted_turns_by_reason/repeated_failure_pattern").asLong());

        String html = HtmlReport.render(r);
        for (String css : List.of("k-spend_anomaly_warn", "r-repeated_failure_pattern", "r-repeated_identical_tool_call",
                "r-tool_call_cycle", "r-token_budget_exceeded")) {
            assertTrue(html.contains("<rect class=\"" + css + "\""), css + " has a bar of its own colour");
            assertTrue(html.contains("svg ." + css + "{fill:"), css + " has a colour");
        }
    }
}
