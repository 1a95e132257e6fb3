package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.pricing.Money;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes decisions in the conformance vectors' JSON shape ({@code {"kind":"continue"}} and so on),
 * and reads them back ({@link #read}) for the clients of the decisions topic.
 */
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
        } else if (decision instanceof Decision.SpendBudgetWarn w) {
            g.writeStringField("currency", w.currency());
            g.writeStringField("spent", Money.decimal(w.spentMicros()));
            g.writeStringField("budget", Money.decimal(w.budgetMicros()));
            g.writeNumberField("threshold_percent", w.thresholdPercent());
            g.writeNumberField("window_ms", w.windowMs());
            g.writeNumberField("window_start_ms", w.windowStartMs());
            if (w.agentId() != null) {
                g.writeStringField("agent_id", w.agentId());
            }
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
        } else if (reason instanceof BreakReason.SpendBudgetExceeded r) {
            g.writeStringField("currency", r.currency());
            g.writeStringField("spent", Money.decimal(r.spentMicros()));
            g.writeStringField("budget", Money.decimal(r.budgetMicros()));
            g.writeNumberField("window_ms", r.windowMs());
            if (r.agentId() != null) {
                g.writeStringField("agent_id", r.agentId());
            }
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

    // ------------------------------------------------------------------ reading

    /**
     * The decision a JSON object written by {@link #write} holds. Doubles written as the strings
     * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (Jackson's form of those values) read
     * back as such.
     *
     * @throws InvalidEventException when it is not a decision of a known kind with all its fields
     */
    public static Decision read(JsonNode d) {
        String kind = text(d, "kind");
        return switch (kind) {
            case "continue" -> Decision.Continue.INSTANCE;
            case "circuit_break" -> new Decision.CircuitBreak(readReason(field(d, "reason")), text(d, "suggestion"));
            case "scope_drift_warn" -> new Decision.ScopeDriftWarn(texts(d, "drift_tokens"), number(d, "drift_score"),
                    texts(d, "task_tokens"));
            case "procedural_warning" -> {
                List<CorrectionPattern> patterns = new ArrayList<>();
                for (JsonNode p : array(d, "patterns")) {
                    patterns.add(new CorrectionPattern(text(p, "user_id"), text(p, "topic_cluster"),
                            text(p, "pattern_name"), integer(p, "learned_from_turns"), number(p, "confidence"),
                            texts(p, "example_corrections")));
                }
                yield new Decision.ProceduralWarning(patterns);
            }
            case "low_confidence_spans" -> {
                List<Decision.LowConfidenceSpans.Span> spans = new ArrayList<>();
                for (JsonNode s : array(d, "spans")) {
                    spans.add(new Decision.LowConfidenceSpans.Span(integer(s, "start_char"), integer(s, "end_char"),
                            number(s, "confidence"), number(s, "mean_token_logprob")));
                }
                yield new Decision.LowConfidenceSpans(spans);
            }
            case "spend_anomaly_warn" -> new Decision.SpendAnomalyWarn(integer(d, "user_tokens_out"),
                    number(d, "fleet_median_tokens_out"), number(d, "ratio"), integer(d, "window_start_ms"),
                    integer(d, "fleet_window_start_ms"), integer(d, "fleet_users"));
            case "spend_budget_warn" -> new Decision.SpendBudgetWarn(text(d, "currency"), micros(d, "spent"),
                    micros(d, "budget"), integer(d, "threshold_percent"), integer(d, "window_ms"),
                    integer(d, "window_start_ms"), optionalText(d, "agent_id"));
            default -> throw new InvalidEventException("decision kind '" + kind + "' is not known");
        };
    }

    private static BreakReason readReason(JsonNode r) {
        String kind = text(r, "kind");
        return switch (kind) {
            case "cost_cap_reached" -> new BreakReason.CostCapReached(integer(r, "tokens_spent"), integer(r, "tokens_cap"),
                    number(r, "mean_quality_last_n"));
            case "quality_decline_no_recovery" -> new BreakReason.QualityDeclineNoRecovery(integer(r, "turns"),
                    number(r, "mean_delta"));
            case "repeated_tool_call_loop" -> new BreakReason.RepeatedToolCallLoop(text(r, "tool_name"),
                    integer(r, "consecutive_count"));
            case "repeated_failure_pattern" -> new BreakReason.RepeatedFailurePattern(text(r, "cluster"),
                    integer(r, "failure_count"));
            case "repeated_identical_tool_call" -> new BreakReason.RepeatedIdenticalToolCall(text(r, "tool_name"),
                    text(r, "arguments_digest"), integer(r, "count"));
            case "tool_call_cycle" -> new BreakReason.ToolCallCycle(texts(r, "cycle"), integer(r, "repetitions"));
            case "token_budget_exceeded" -> new BreakReason.TokenBudgetExceeded(integer(r, "tokens_in_window"),
                    integer(r, "budget_tokens"), integer(r, "window_ms"));
            case "spend_budget_exceeded" -> new BreakReason.SpendBudgetExceeded(text(r, "currency"), micros(r, "spent"),
                    micros(r, "budget"), integer(r, "window_ms"), optionalText(r, "agent_id"));
            case "operator_halt" -> new BreakReason.OperatorHalt(text(r, "policy_key"), optionalText(r, "halt_reason"));
            default -> throw new InvalidEventException("circuit_break reason '" + kind + "' is not known");
        };
    }

    /** A money amount written as a decimal string, in micro-units. */
    static long micros(JsonNode node, String name) {
        try {
            return Money.micros(text(node, name));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("'" + name + "': " + e.getMessage());
        }
    }

    static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidEventException("'" + name + "' is missing");
        }
        return v;
    }

    static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.isTextual()) {
            throw new InvalidEventException("'" + name + "' must be a string");
        }
        return v.asText();
    }

    static String optionalText(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : text(node, name);
    }

    static long integer(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidEventException("'" + name + "' must be an integer");
        }
        return v.asLong();
    }

    static double number(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (v.isNumber()) {
            return v.asDouble();
        }
        return switch (v.isTextual() ? v.asText() : "") {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new InvalidEventException("'" + name + "' must be a number");
        };
    }

    private static JsonNode array(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.isArray()) {
            throw new InvalidEventException("'" + name + "' must be an array");
        }
        return v;
    }

    private static List<String> texts(JsonNode node, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array(node, name)) {
            if (!v.isTextual()) {
                throw new InvalidEventException("'" + name + "' must hold strings");
            }
            out.add(v.asText());
        }
        return out;
    }
}
