package io.noos.streams.avro;

import io.noos.streams.avro.schema.CircuitBreak;
import io.noos.streams.avro.schema.Continue;
import io.noos.streams.avro.schema.CostCapReached;
import io.noos.streams.avro.schema.LowConfidenceSpan;
import io.noos.streams.avro.schema.LowConfidenceSpans;
import io.noos.streams.avro.schema.OperatorHalt;
import io.noos.streams.avro.schema.ProceduralWarning;
import io.noos.streams.avro.schema.QualityDeclineNoRecovery;
import io.noos.streams.avro.schema.RegulatorDecision;
import io.noos.streams.avro.schema.RepeatedFailurePattern;
import io.noos.streams.avro.schema.RepeatedIdenticalToolCall;
import io.noos.streams.avro.schema.RepeatedToolCallLoop;
import io.noos.streams.avro.schema.ScopeDriftWarn;
import io.noos.streams.avro.schema.SpendAnomalyWarn;
import io.noos.streams.avro.schema.SpendBudgetExceeded;
import io.noos.streams.avro.schema.SpendBudgetWarn;
import io.noos.streams.avro.schema.TokenBudgetExceeded;
import io.noos.streams.avro.schema.ToolCallCycle;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.Decision;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.pricing.Spend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@link DecisionRecord} to the generated {@link RegulatorDecision} and back.
 *
 * <p>The decision model does not validate its strings, so writing checks them here: a null where
 * the schema wants a string, or a string with an unpaired surrogate (which Avro would silently
 * write as {@code ?}), is an {@link InvalidEventException} rather than a corrupted record.
 */
final class DecisionMapper {
    private DecisionMapper() {}

    /** @throws InvalidEventException when a required value is missing or a string is not valid Unicode */
    static RegulatorDecision toAvro(DecisionRecord record) {
        return RegulatorDecision.newBuilder()
                .setUserId(text(record.userId(), "user_id"))
                .setAgentId(FieldChecks.optionalValidText(record.agentId(), "agent_id"))
                .setSessionId(FieldChecks.optionalValidText(record.sessionId(), "session_id"))
                .setEventId(FieldChecks.optionalValidText(record.eventId(), "event_id"))
                .setEventType(text(record.eventType(), "event_type"))
                .setAtMs(record.atMs())
                .setTurn(record.turn())
                .setDecision(decisionToAvro(record.decision()))
                .setPrelude(FieldChecks.optionalValidText(record.prelude(), "prelude"))
                .setMetrics(metricsToAvro(record.metrics()))
                .setSpend(record.spend().isEmpty() ? null : new io.noos.streams.avro.schema.Spend(
                        new LinkedHashMap<>(record.spend().micros()), record.spend().unpricedCostEvents()))
                .build();
    }

    static DecisionRecord fromAvro(RegulatorDecision avro) {
        return new DecisionRecord(avro.getUserId(), avro.getAgentId(), avro.getSessionId(), avro.getEventId(),
                avro.getEventType(), avro.getAtMs(), avro.getTurn(), decisionFromAvro(avro.getDecision()),
                avro.getPrelude(), avro.getMetrics(), spendFromAvro(avro.getSpend()));
    }

    private static Spend spendFromAvro(io.noos.streams.avro.schema.Spend spend) {
        if (spend == null) {
            return Spend.NONE;
        }
        for (Map.Entry<String, Long> a : spend.getAmountsMicros().entrySet()) {
            if (a.getValue() < 0) {
                throw new InvalidEventException("spend." + a.getKey() + " must not be negative");
            }
        }
        return new Spend(spend.getAmountsMicros(), spend.getUnpricedCostEvents());
    }

    // ---------------------------------------------------------------- model -> Avro

    private static Object decisionToAvro(Decision decision) {
        if (decision == null) {
            throw new InvalidEventException("decision is required");
        } else if (decision instanceof Decision.Continue) {
            return new Continue();
        } else if (decision instanceof Decision.CircuitBreak cb) {
            return CircuitBreak.newBuilder()
                    .setReason(reasonToAvro(cb.reason()))
                    .setSuggestion(text(cb.suggestion(), "suggestion"))
                    .build();
        } else if (decision instanceof Decision.ScopeDriftWarn w) {
            return ScopeDriftWarn.newBuilder()
                    .setDriftTokens(texts(w.driftTokens(), "drift_tokens"))
                    .setDriftScore(w.driftScore())
                    .setTaskTokens(texts(w.taskTokens(), "task_tokens"))
                    .build();
        } else if (decision instanceof Decision.ProceduralWarning pw) {
            List<io.noos.streams.avro.schema.CorrectionPattern> patterns = new ArrayList<>(pw.patterns().size());
            for (CorrectionPattern p : pw.patterns()) {
                patterns.add(patternToAvro(p));
            }
            return ProceduralWarning.newBuilder().setPatterns(patterns).build();
        } else if (decision instanceof Decision.LowConfidenceSpans l) {
            List<LowConfidenceSpan> spans = new ArrayList<>(l.spans().size());
            for (Decision.LowConfidenceSpans.Span s : l.spans()) {
                spans.add(new LowConfidenceSpan(s.startChar(), s.endChar(), s.confidence(), s.meanTokenLogprob()));
            }
            return LowConfidenceSpans.newBuilder().setSpans(spans).build();
        } else if (decision instanceof Decision.SpendAnomalyWarn w) {
            return new SpendAnomalyWarn(w.userTokensOut(), w.fleetMedianTokensOut(), w.ratio(), w.windowStartMs(),
                    w.fleetWindowStartMs(), w.fleetUsers());
        } else if (decision instanceof Decision.SpendBudgetWarn w) {
            return new SpendBudgetWarn(text(w.currency(), "currency"), w.spentMicros(), w.budgetMicros(),
                    w.thresholdPercent(), w.windowMs(), w.windowStartMs(),
                    FieldChecks.optionalValidText(w.agentId(), "agent_id"));
        }
        throw new IllegalStateException("unmapped decision kind " + decision.kind());
    }

    private static Object reasonToAvro(BreakReason reason) {
        if (reason == null) {
            throw new InvalidEventException("circuit_break reason is required");
        } else if (reason instanceof BreakReason.CostCapReached r) {
            return new CostCapReached(r.tokensSpent(), r.tokensCap(), r.meanQualityLastN());
        } else if (reason instanceof BreakReason.QualityDeclineNoRecovery r) {
            return new QualityDeclineNoRecovery(r.turns(), r.meanDelta());
        } else if (reason instanceof BreakReason.RepeatedToolCallLoop r) {
            return new RepeatedToolCallLoop(text(r.toolName(), "tool_name"), r.consecutiveCount());
        } else if (reason instanceof BreakReason.RepeatedFailurePattern r) {
            return new RepeatedFailurePattern(text(r.cluster(), "cluster"), r.failureCount());
        } else if (reason instanceof BreakReason.RepeatedIdenticalToolCall r) {
            return new RepeatedIdenticalToolCall(text(r.toolName(), "tool_name"),
                    text(r.argumentsDigest(), "arguments_digest"), r.count());
        } else if (reason instanceof BreakReason.ToolCallCycle r) {
            return new ToolCallCycle(texts(r.cycle(), "cycle"), r.repetitions());
        } else if (reason instanceof BreakReason.TokenBudgetExceeded r) {
            return new TokenBudgetExceeded(r.tokensInWindow(), r.budgetTokens(), r.windowMs());
        } else if (reason instanceof BreakReason.SpendBudgetExceeded r) {
            return new SpendBudgetExceeded(text(r.currency(), "currency"), r.spentMicros(), r.budgetMicros(), r.windowMs(),
                    FieldChecks.optionalValidText(r.agentId(), "agent_id"));
        } else if (reason instanceof BreakReason.OperatorHalt r) {
            return new OperatorHalt(text(r.policyKey(), "policy_key"),
                    FieldChecks.optionalValidText(r.haltReason(), "halt_reason"));
        }
        throw new IllegalStateException("unmapped break reason " + reason.kind());
    }

    private static io.noos.streams.avro.schema.CorrectionPattern patternToAvro(CorrectionPattern p) {
        return io.noos.streams.avro.schema.CorrectionPattern.newBuilder()
                .setUserId(text(p.userId(), "patterns.user_id"))
                .setTopicCluster(text(p.topicCluster(), "patterns.topic_cluster"))
                .setPatternName(text(p.patternName(), "patterns.pattern_name"))
                .setLearnedFromTurns(p.learnedFromTurns())
                .setConfidence(p.confidence())
                .setExampleCorrections(texts(p.exampleCorrections(), "patterns.example_corrections"))
                .build();
    }

    private static Map<String, Double> metricsToAvro(Map<String, Double> metrics) {
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            text(e.getKey(), "metrics key");
            if (e.getValue() == null) {
                throw new InvalidEventException("metrics value for '" + e.getKey() + "' is null");
            }
        }
        return metrics;
    }

    private static String text(String value, String field) {
        return FieldChecks.requireValidText(value, field);
    }

    private static List<String> texts(List<String> values, String field) {
        for (String v : values) {
            text(v, field);
        }
        return values;
    }

    // ---------------------------------------------------------------- Avro -> model

    private static Decision decisionFromAvro(Object decision) {
        if (decision instanceof Continue) {
            return Decision.Continue.INSTANCE;
        } else if (decision instanceof CircuitBreak cb) {
            return new Decision.CircuitBreak(reasonFromAvro(cb.getReason()), cb.getSuggestion());
        } else if (decision instanceof ScopeDriftWarn w) {
            return new Decision.ScopeDriftWarn(w.getDriftTokens(), w.getDriftScore(), w.getTaskTokens());
        } else if (decision instanceof ProceduralWarning pw) {
            List<CorrectionPattern> patterns = new ArrayList<>(pw.getPatterns().size());
            for (io.noos.streams.avro.schema.CorrectionPattern p : pw.getPatterns()) {
                patterns.add(new CorrectionPattern(p.getUserId(), p.getTopicCluster(), p.getPatternName(),
                        p.getLearnedFromTurns(), p.getConfidence(), p.getExampleCorrections()));
            }
            return new Decision.ProceduralWarning(patterns);
        } else if (decision instanceof LowConfidenceSpans l) {
            List<Decision.LowConfidenceSpans.Span> spans = new ArrayList<>(l.getSpans().size());
            for (LowConfidenceSpan s : l.getSpans()) {
                spans.add(new Decision.LowConfidenceSpans.Span(s.getStartChar(), s.getEndChar(), s.getConfidence(),
                        s.getMeanTokenLogprob()));
            }
            return new Decision.LowConfidenceSpans(spans);
        } else if (decision instanceof SpendAnomalyWarn w) {
            return new Decision.SpendAnomalyWarn(w.getUserTokensOut(), w.getFleetMedianTokensOut(), w.getRatio(),
                    w.getWindowStartMs(), w.getFleetWindowStartMs(), w.getFleetUsers());
        } else if (decision instanceof SpendBudgetWarn w) {
            return new Decision.SpendBudgetWarn(w.getCurrency(), w.getSpentMicros(), w.getBudgetMicros(),
                    w.getThresholdPercent(), w.getWindowMs(), w.getWindowStartMs(), w.getAgentId());
        }
        throw new InvalidEventException("decision is of no known kind: "
                + (decision == null ? "null" : decision.getClass().getName()));
    }

    private static BreakReason reasonFromAvro(Object reason) {
        if (reason instanceof CostCapReached r) {
            return new BreakReason.CostCapReached(r.getTokensSpent(), r.getTokensCap(), r.getMeanQualityLastN());
        } else if (reason instanceof QualityDeclineNoRecovery r) {
            return new BreakReason.QualityDeclineNoRecovery(r.getTurns(), r.getMeanDelta());
        } else if (reason instanceof RepeatedToolCallLoop r) {
            return new BreakReason.RepeatedToolCallLoop(r.getToolName(), r.getConsecutiveCount());
        } else if (reason instanceof RepeatedFailurePattern r) {
            return new BreakReason.RepeatedFailurePattern(r.getCluster(), r.getFailureCount());
        } else if (reason instanceof RepeatedIdenticalToolCall r) {
            return new BreakReason.RepeatedIdenticalToolCall(r.getToolName(), r.getArgumentsDigest(), r.getCount());
        } else if (reason instanceof ToolCallCycle r) {
            return new BreakReason.ToolCallCycle(r.getCycle(), r.getRepetitions());
        } else if (reason instanceof TokenBudgetExceeded r) {
            return new BreakReason.TokenBudgetExceeded(r.getTokensInWindow(), r.getBudgetTokens(), r.getWindowMs());
        } else if (reason instanceof SpendBudgetExceeded r) {
            return new BreakReason.SpendBudgetExceeded(r.getCurrency(), r.getSpentMicros(), r.getBudgetMicros(),
                    r.getWindowMs(), r.getAgentId());
        } else if (reason instanceof OperatorHalt r) {
            return new BreakReason.OperatorHalt(r.getPolicyKey(), r.getHaltReason());
        }
        throw new InvalidEventException("circuit_break reason is of no known kind: "
                + (reason == null ? "null" : reason.getClass().getName()));
    }
}
