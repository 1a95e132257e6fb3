package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * {@code tool_call_cycle}: ping-pong between tools. Circuit break {@code tool_call_cycle} when this
 * turn's newest tool calls (by name) are one cycle of 2 to {@code max_length} distinct tools (A↔B,
 * A→B→C, …) repeated at least {@code repetitions} times in a row. The break carries the cycle as
 * its last round was called and how many full rounds in a row there were. The shortest cycle is
 * reported first; one tool repeated is the reference's loop, not a cycle.
 */
public final class ToolCallCycleDetector extends NamedDetector {
    /** The newest calls kept per turn: enough for the largest max_length x repetitions. */
    static final int KEPT = 32;
    static final String SUGGESTION = "Agent is cycling between the same tools without progress. Break the cycle: "
            + "re-prompt with what the tools returned, change the approach, or escalate to the user.";

    public ToolCallCycleDetector() {
        super("tool_call_cycle", Stage.BREAK,
                DetectorParam.integer("repetitions", 3, 2, 8, "rounds of the cycle in a row that break"),
                DetectorParam.integer("max_length", 3, 2, 4, "the most distinct tools in a cycle"));
    }

    @Override
    public DetectorState newState() {
        return new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        State s = new State();
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            s.names.add(in.readString());
        }
        return s;
    }

    static final class State implements DetectorState {
        /** This turn's newest tool names, oldest first. */
        final List<String> names = new ArrayList<>();

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            if (event instanceof AgentEvent.TurnStart) {
                names.clear();
            } else if (event instanceof AgentEvent.ToolCall call) {
                if (names.size() == KEPT) {
                    names.remove(0);
                }
                names.add(call.toolName());
            }
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            long repetitions = params.getLong("repetitions");
            int maxLength = (int) params.getLong("max_length");
            int n = names.size();
            for (int length = 2; length <= maxLength; length++) {
                List<String> cycle = names.subList(Math.max(0, n - length), n);
                if (n < length * repetitions || new HashSet<>(cycle).size() != length) {
                    continue;
                }
                int periodic = length; // how many of the newest calls follow the cycle
                while (periodic < n && names.get(n - 1 - periodic).equals(names.get(n - 1 - periodic + length))) {
                    periodic++;
                }
                long rounds = periodic / length;
                if (rounds >= repetitions) {
                    return new Decision.CircuitBreak(new BreakReason.ToolCallCycle(List.copyOf(cycle), rounds), SUGGESTION);
                }
            }
            return null;
        }

        @Override
        public void write(StateWriter out) {
            out.writeVarLong(names.size());
            for (String name : names) {
                out.writeString(name);
            }
        }
    }
}
