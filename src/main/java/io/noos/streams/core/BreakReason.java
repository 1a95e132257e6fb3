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

    /** Part of the reference's vocabulary; the reference regulator never emits it. */
    record RepeatedFailurePattern(String cluster, long failureCount) implements BreakReason {
        @Override
        public String kind() {
            return "repeated_failure_pattern";
        }
    }
}
