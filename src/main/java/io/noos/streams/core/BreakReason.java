package io.noos.streams.core;

/** Why the regulator says to stop the agent. {@link #kind()} returns the vectors' tag. */
public sealed interface BreakReason {

    String kind();

    /** Output tokens reached the cap while the mean of the last 3 quality scores is below 0.5. */
    record CostCapReached(long tokensSpent, long tokensCap, double meanQualityLastN) implements BreakReason {
        @Override
        public String kind() {
            return "cost_cap_reached";
        }
    }

    /** Quality fell by at least 0.15 over the last 3 scores and their mean is below 0.5. */
    record QualityDeclineNoRecovery(long turns, double meanDelta) implements BreakReason {
        @Override
        public String kind() {
            return "quality_decline_no_recovery";
        }
    }

    /** The same tool was called at least 5 times in a row this turn. */
    record RepeatedToolCallLoop(String toolName, long consecutiveCount) implements BreakReason {
        @Override
        public String kind() {
            return "repeated_tool_call_loop";
        }
    }

    /**
     * Part of the reference's vocabulary; the reference regulator never emits it. The opt-in
     * {@code repeated_failure_pattern} detector does: {@code failureCount} tool failures in a row
     * this turn, in the turn's topic cluster.
     */
    record RepeatedFailurePattern(String cluster, long failureCount) implements BreakReason {
        @Override
        public String kind() {
            return "repeated_failure_pattern";
        }
    }

    // ---- reasons only the opt-in detectors emit (io.noos.streams.detect); never with the defaults

    /** The same tool with the same arguments was called {@code count} times this turn. */
    record RepeatedIdenticalToolCall(String toolName, String argumentsDigest, long count) implements BreakReason {
        @Override
        public String kind() {
            return "repeated_identical_tool_call";
        }
    }

    /** The newest calls this turn repeat {@code cycle} (two or more distinct tools) {@code repetitions} times. */
    record ToolCallCycle(java.util.List<String> cycle, long repetitions) implements BreakReason {
        public ToolCallCycle {
            cycle = java.util.List.copyOf(cycle);
        }

        @Override
        public String kind() {
            return "tool_call_cycle";
        }
    }

    /** The user's tokens (in + out) over the trailing {@code windowMs} reached the budget. */
    record TokenBudgetExceeded(long tokensInWindow, long budgetTokens, long windowMs) implements BreakReason {
        @Override
        public String kind() {
            return "token_budget_exceeded";
        }
    }

    /**
     * The user's spend in {@code currency} over the trailing {@code windowMs} reached the budget, or,
     * when {@code agentId} is not null, the spend of all the users of that agent together (its
     * agent-wide budget); amounts in micro-units (millionths of the currency's unit).
     */
    record SpendBudgetExceeded(String currency, long spentMicros, long budgetMicros, long windowMs, String agentId)
            implements BreakReason {
        /** A user's own budget. */
        public SpendBudgetExceeded(String currency, long spentMicros, long budgetMicros, long windowMs) {
            this(currency, spentMicros, budgetMicros, windowMs, null);
        }

        @Override
        public String kind() {
            return "spend_budget_exceeded";
        }
    }

    // ---- the operator's kill switch (a policy's halt); never without one

    /**
     * An operator halted the user through the policy entry {@code policyKey} (the user id,
     * {@code agent:<id>} or {@code *}), with their {@code haltReason} text or null. Takes priority
     * over every other verdict while the halt is in force.
     */
    record OperatorHalt(String policyKey, String haltReason) implements BreakReason {
        @Override
        public String kind() {
            return "operator_halt";
        }
    }
}
