package io.noos.streams.core;

import java.util.List;

/**
 * What the orchestrator should do now. Immutable; {@link #kind()} returns the vectors' tag
 * ({@code continue}, {@code circuit_break}, {@code scope_drift_warn}, {@code procedural_warning},
 * {@code low_confidence_spans}).
 */
public sealed interface Decision {

    String kind();

    /** Nothing to act on. */
    record Continue() implements Decision {
        public static final Continue INSTANCE = new Continue();

        @Override
        public String kind() {
            return "continue";
        }
    }

    /** Stop the agent: {@code reason} says why, {@code suggestion} what to do. */
    record CircuitBreak(BreakReason reason, String suggestion) implements Decision {
        @Override
        public String kind() {
            return "circuit_break";
        }
    }

    /** The response wandered off the task: the response keywords not anchored in the task's. */
    record ScopeDriftWarn(List<String> driftTokens, double driftScore, List<String> taskTokens) implements Decision {
        public ScopeDriftWarn {
            driftTokens = List.copyOf(driftTokens);
            taskTokens = List.copyOf(taskTokens);
        }

        @Override
        public String kind() {
            return "scope_drift_warn";
        }
    }

    /** The user has corrected the agent on this topic before; always exactly one pattern. */
    record ProceduralWarning(List<CorrectionPattern> patterns) implements Decision {
        public ProceduralWarning {
            patterns = List.copyOf(patterns);
        }

        @Override
        public String kind() {
            return "procedural_warning";
        }
    }

    /** Part of the reference's vocabulary; the reference regulator never emits it. */
    record LowConfidenceSpans(List<Span> spans) implements Decision {
        public LowConfidenceSpans {
            spans = List.copyOf(spans);
        }

        @Override
        public String kind() {
            return "low_confidence_spans";
        }

        public record Span(long startChar, long endChar, double confidence, double meanTokenLogprob) {}
    }

    /**
     * Only the opt-in {@code fleet_spend_anomaly} detector emits this: the user's output tokens in
     * the current 1-minute window are at least {@code multiple} times the fleet's median per-user
     * output tokens in the newest closed window ({@code fleetWindowStartMs}).
     */
    record SpendAnomalyWarn(long userTokensOut, double fleetMedianTokensOut, double ratio, long windowStartMs,
                            long fleetWindowStartMs, long fleetUsers) implements Decision {
        @Override
        public String kind() {
            return "spend_anomaly_warn";
        }
    }

    /**
     * Only the opt-in {@code spend_budget} and {@code agent_spend_budget} detectors emit this: the spend in {@code currency} over the
     * trailing {@code windowMs} reached {@code thresholdPercent} % of the budget (amounts in
     * micro-units); {@code windowStartMs} is the start of the fixed {@code windowMs} period the event
     * falls in, which names the warning for deduplication. {@code agentId} is null for the user's own
     * budget, else the agent whose users' spend together reached the threshold (its agent-wide budget).
     */
    record SpendBudgetWarn(String currency, long spentMicros, long budgetMicros, long thresholdPercent, long windowMs,
                           long windowStartMs, String agentId) implements Decision {
        /** A user's own budget. */
        public SpendBudgetWarn(String currency, long spentMicros, long budgetMicros, long thresholdPercent,
                               long windowMs, long windowStartMs) {
            this(currency, spentMicros, budgetMicros, thresholdPercent, windowMs, windowStartMs, null);
        }

        @Override
        public String kind() {
            return "spend_budget_warn";
        }
    }
}
