package io.noos.streams.avro;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.testkit.TestEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built model objects covering every event type, decision kind and edge value. */
final class Samples {
    private Samples() {}

    /** Every event type, with optional fields both absent and present, and extreme values. */
    static List<AgentEvent> events() {
        return List.of(
                new AgentEvent.TurnStart("refactor this function to be async"),
                new AgentEvent.TurnStart(""),
                new AgentEvent.Token(" x", -0.25, 0),
                new AgentEvent.Token("\uD83D\uDE00 é", Double.NaN, -1L),      // u64 max as unsigned bits
                new AgentEvent.Token("t", Double.NEGATIVE_INFINITY, Long.MIN_VALUE),
                new AgentEvent.TurnComplete("add logging and error handling\nline 2"),
                new AgentEvent.Cost(350, 120, 900, "openai"),
                new AgentEvent.Cost(4_294_967_295L, 0, 4_294_967_295L, null),  // u32 max
                new AgentEvent.UserCorrection("no, keep it sync", true),
                new AgentEvent.UserCorrection("", false),
                new AgentEvent.QualityFeedback(0.75),
                new AgentEvent.QualityFeedback(Double.NaN, List.of()),
                new AgentEvent.QualityFeedback(Double.POSITIVE_INFINITY,
                        List.of(new AgentEvent.FragmentSpan(0, 3), new AgentEvent.FragmentSpan(-2L, -1L))),
                new AgentEvent.ToolCall("search_orders", null),
                new AgentEvent.ToolCall("search_orders", "{\"q\":\"a\\\"b\"}"),
                new AgentEvent.ToolResult("search_orders", true, 12, null),
                new AgentEvent.ToolResult("search_orders", false, -1L, "timeout"));
    }

    static EventEnvelope envelope(AgentEvent event) {
        return TestEvent.user("alice").id("evt-1").agent("agent-7").session("session-3").at(1_700_000_000_123L).of(event);
    }

    static EventEnvelope minimalEnvelope(EnvelopeEvent event) {
        return TestEvent.user("bob").of(event);
    }

    static EnvelopeEvent.TokenBatch tokenBatch() {
        return new EnvelopeEvent.TokenBatch(new double[] {-0.1, Double.NaN, 0.0, -0.0, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY, -1e-300, Double.MIN_VALUE});
    }

    static CorrectionPattern pattern() {
        return new CorrectionPattern("alice", "async+auth", "corrections_on_async+auth", 3, 0.15,
                List.of("newest", "older", "oldest"));
    }

    /** Every decision kind and every break reason. */
    static List<Decision> decisions() {
        return List.of(
                Decision.Continue.INSTANCE,
                new Decision.CircuitBreak(new BreakReason.CostCapReached(2400, 2000, 0.3), "stop: cost cap"),
                new Decision.CircuitBreak(new BreakReason.CostCapReached(2400, 2000, Double.NaN), ""),
                new Decision.CircuitBreak(new BreakReason.QualityDeclineNoRecovery(3, 0.4), "quality fell"),
                new Decision.CircuitBreak(new BreakReason.RepeatedToolCallLoop("search_orders", 5), "loop"),
                new Decision.CircuitBreak(new BreakReason.RepeatedFailurePattern("async+auth", 4), "failures"),
                new Decision.ScopeDriftWarn(List.of("handling", "logging", "error"), 1.0, List.of("refactor")),
                new Decision.ScopeDriftWarn(List.of(), 0.0, List.of()),
                new Decision.ProceduralWarning(List.of(pattern())),
                new Decision.LowConfidenceSpans(List.of(new Decision.LowConfidenceSpans.Span(0, 10, 0.2, -3.5),
                        new Decision.LowConfidenceSpans.Span(11, 12, 0.1, Double.NEGATIVE_INFINITY))),
                new Decision.LowConfidenceSpans(List.of()),
                // opt-in detectors' reasons and kind
                new Decision.CircuitBreak(new BreakReason.RepeatedIdenticalToolCall("search_orders", "9f86d081884c7d65",
                        3), "identical calls"),
                new Decision.CircuitBreak(new BreakReason.ToolCallCycle(List.of("search", "fetch", "parse"), 4), "cycle"),
                new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(120_500, 100_000, 3_600_000), "budget"),
                // the operator's halt, with and without a reason
                new Decision.CircuitBreak(new BreakReason.OperatorHalt("agent:agent-7", "incident 42: runaway spend"),
                        "halted"),
                new Decision.CircuitBreak(new BreakReason.OperatorHalt("*", null), "halted"),
                // the spend budget's (v4)
                new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded("USD", 10_000_001, 10_000_000, 86_400_000),
                        "spent"),
                new Decision.SpendBudgetWarn("EUR", 8_000_000, 10_000_000, 80, 86_400_000, 1_699_920_000_000L),
                // the agent-wide spend budget's (v5)
                new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded("USD", 5_000_000, 5_000_000, 3_600_000,
                        "agent-7"), "the agent's budget"),
                new Decision.SpendBudgetWarn("USD", 4_750_000, 5_000_000, 95, 3_600_000, 1_699_999_200_000L, "agent|7"),
                new Decision.SpendAnomalyWarn(12_000, 1_500.5, 12_000 / 1_500.5, 1_700_000_040_000L,
                        1_699_999_980_000L, 7),
                new Decision.SpendAnomalyWarn(Long.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY, -60_000,
                        Long.MIN_VALUE, 1));
    }

    static Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("noos.confidence", 0.5);
        m.put("noos.total_tokens_out", 120.0);
        m.put("noos.mean_quality", Double.NaN);
        m.put("noos.scope_drift", Double.POSITIVE_INFINITY);
        m.put("noos.a_last_key", -0.0);
        return m;
    }

    static DecisionRecord decisionRecord(Decision decision) {
        String prelude = decision instanceof Decision.ProceduralWarning ? "Previously the user corrected..." : null;
        return new DecisionRecord("alice", "agent-7", "session-3", "evt-9", "turn_complete", 1_700_000_000_999L, 4,
                decision, prelude, metrics());
    }

    /** A record with spend in two currencies and unpriced cost events (v4). */
    static DecisionRecord spendingDecisionRecord() {
        return new DecisionRecord("carol", "agent-7", "s", "e", "cost", 5, 1, Decision.Continue.INSTANCE, null, metrics(),
                new io.noos.streams.pricing.Spend(Map.of("USD", 12_345L, "EUR", 1L), 3));
    }

    static DecisionRecord minimalDecisionRecord() {
        return new DecisionRecord("bob", null, null, null, "cost", 0, 0, Decision.Continue.INSTANCE, null, Map.of());
    }
}
