package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;

/**
 * {@code repeated_failure_pattern}: circuit break with the reason the reference reserves but never
 * emits, once {@code count} tool results in a row this turn failed. The reason carries the turn's
 * topic cluster (the regulator's, {@code ""} when the message had no keywords) and the failures in
 * a row. A successful result or a new turn starts the count again.
 */
public final class RepeatedFailureDetector extends NamedDetector {
    static final String SUGGESTION = "Tool calls keep failing. Stop retrying: check the tool's inputs and "
            + "availability, try another approach, or escalate to the user.";

    public RepeatedFailureDetector() {
        super("repeated_failure_pattern", Stage.BREAK,
                DetectorParam.integer("count", 3, 2, 1000, "failed tool results in a row that break"));
    }

    @Override
    public DetectorState newState() {
        return new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        State s = new State();
        s.failuresInARow = in.readVarLong();
        return s;
    }

    static final class State implements DetectorState {
        long failuresInARow;

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            if (event instanceof AgentEvent.TurnStart) {
                failuresInARow = 0;
            } else if (event instanceof AgentEvent.ToolResult result) {
                failuresInARow = result.success() ? 0 : failuresInARow + 1;
            }
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            if (failuresInARow < params.getLong("count")) {
                return null;
            }
            return new Decision.CircuitBreak(
                    new BreakReason.RepeatedFailurePattern(context.currentCluster(), failuresInARow), SUGGESTION);
        }

        @Override
        public void write(StateWriter out) {
            out.writeVarLong(failuresInARow);
        }
    }
}
