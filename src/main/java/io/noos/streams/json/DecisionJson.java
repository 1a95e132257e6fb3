package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.Decision;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writes decisions in the conformance vectors' JSON shape ({@code {"kind":"continue"}} and so on). */
public final class DecisionJson {
    private DecisionJson() {}

    public static String toJson(Decision decision) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            write(decision, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(Decision decision, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", decision.kind());
        if (decision instanceof Decision.CircuitBreak cb) {
            g.writeFieldName("reason");
            writeReason(cb.reason(), g);
            g.writeStringField("suggestion", cb.suggestion());
        } else if (decision instanceof Decision.ScopeDriftWarn w) {
            g.writeFieldName("drift_tokens");
            writeStrings(w.driftTokens(), g);
            g.writeNumberField("drift_score", w.driftScore());
            g.writeFieldName("task_tokens");
            writeStrings(w.taskTokens(), g);
        } else if (decision instanceof Decision.ProceduralWarning pw) {
            g.writeArrayFieldStart("patterns");
            for (CorrectionPattern p : pw.patterns()) {
                writePattern(p, g);
            }
            g.writeEndArray();
        } else if (decision instanceof Decision.LowConfidenceSpans l) {
            g.writeArrayFieldStart("spans");
            for (Decision.LowConfidenceSpans.Span s : l.spans()) {
                g.writeStartObject();
                g.writeNumberField("start_char", s.startChar());
                g.writeNumberField("end_char", s.endChar());
                g.writeNumberField("confidence", s.confidence());
                g.writeNumberField("mean_token_logprob", s.meanTokenLogprob());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (decision instanceof Decision.SpendAnomalyWarn w) {
            g.writeNumberField("user_tokens_out", w.userTokensOut());
            g.writeNumberField("fleet_median_tokens_out", w.fleetMedianTokensOut());
            g.writeNumberField("ratio", w.ratio());
            g.writeNumberField("window_start_ms", w.windowStartMs());
            g.writeNumberField("fleet_window_start_ms", w.fleetWindowStartMs());
            g.writeNumberField("fleet_users", w.fleetUsers());
        }
        g.writeEndObject();
    }

    private static void writeReason(BreakReason reason, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", reason.kind());
        if (reason instanceof BreakReason.CostCapReached r) {
            g.writeNumberField("tokens_spent", r.tokensSpent());
            g.writeNumberField("tokens_cap", r.tokensCap());
            g.writeNumberField("mean_quality_last_n", r.meanQualityLastN());
        } else if (reason instanceof BreakReason.QualityDeclineNoRecovery r) {
            g.writeNumberField("turns", r.turns());
            g.writeNumberField("mean_delta", r.meanDelta());
        } else if (reason instanceof BreakReason.RepeatedToolCallLoop r) {
            g.writeStringField("tool_name", r.toolName());
            g.writeNumberField("consecutive_count", r.consecutiveCount());
        } else if (reason instanceof BreakReason.RepeatedFailurePattern r) {
            g.writeStringField("cluster", r.cluster());
            g.writeNumberField("failure_count", r.failureCount());
        } else if (reason instanceof BreakReason.RepeatedIdenticalToolCall r) {
            g.writeStringField("tool_name", r.toolName());
            g.writeStringField("arguments_digest", r.argumentsDigest());
            g.writeNumberField("count", r.count());
        } else if (reason instanceof BreakReason.ToolCallCycle r) {
            g.writeFieldName("cycle");
            writeStrings(r.cycle(), g);
            g.writeNumberField("repetitions", r.repetitions());
        } else if (reason instanceof BreakReason.TokenBudgetExceeded r) {
            g.writeNumberField("tokens_in_window", r.tokensInWindow());
            g.writeNumberField("budget_tokens", r.budgetTokens());
            g.writeNumberField("window_ms", r.windowMs());
        } else if (reason instanceof BreakReason.OperatorHalt r) {
            g.writeStringField("policy_key", r.policyKey());
            g.writeStringField("halt_reason", r.haltReason());
        }
        g.writeEndObject();
    }

    /** A correction pattern with its six fields in the reference's order. */
    public static void writePattern(CorrectionPattern p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("user_id", p.userId());
        g.writeStringField("topic_cluster", p.topicCluster());
        g.writeStringField("pattern_name", p.patternName());
        g.writeNumberField("learned_from_turns", p.learnedFromTurns());
        g.writeNumberField("confidence", p.confidence());
        g.writeFieldName("example_corrections");
        writeStrings(p.exampleCorrections(), g);
        g.writeEndObject();
    }

    private static void writeStrings(Iterable<String> values, JsonGenerator g) throws IOException {
        g.writeStartArray();
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
