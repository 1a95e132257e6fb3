package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.fleet.FleetView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The priority order: the reference's breaks, the detectors' breaks (registry order), the
 * reference's warnings, the detectors' warnings, continue; and the settings that enable detectors.
 */
class DetectorStatesTest {
    private static final Decision REFERENCE_BREAK = new Decision.CircuitBreak(
            new BreakReason.RepeatedToolCallLoop("search", 5), "stop");
    private static final Decision REFERENCE_WARNING = new Decision.ScopeDriftWarn(List.of("x"), 0.9, List.of("y"));

    /** A detector that always says {@code verdict} (counting the events it saw). */
    record Always(String name, Stage stage, Decision verdict) implements Detector {
        @Override
        public List<DetectorParam> params() {
            return List.of();
        }

        @Override
        public DetectorState newState() {
            return new Counting(verdict);
        }

        @Override
        public DetectorState readState(StateReader in) {
            Counting c = new Counting(verdict);
            c.events = in.readVarLong();
            return c;
        }
    }

    static final class Counting implements DetectorState {
        final Decision verdict;
        long events;

        Counting(Decision verdict) {
            this.verdict = verdict;
        }

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            events++;
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            return verdict;
        }

        @Override
        public void write(StateWriter out) {
            out.writeVarLong(events);
        }
    }

    private static final Decision BUDGET = new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(9, 9, 60_000), "b");
    private static final Decision CYCLE = new Decision.CircuitBreak(new BreakReason.ToolCallCycle(List.of("a", "b"), 3), "c");
    private static final Decision SPEND = new Decision.SpendAnomalyWarn(10, 1, 10, 0, -60_000, 5);
    private static final DetectorRegistry REGISTRY = new DetectorRegistry(List.of(
            new Always("spend", Detector.Stage.WARNING, SPEND),
            new Always("budget", Detector.Stage.BREAK, BUDGET),
            new Always("cycle", Detector.Stage.BREAK, CYCLE)));

    private static List<DetectorSettings.Active> enable(String... names) {
        Map<String, Map<String, Double>> values = new java.util.HashMap<>();
        for (String n : names) {
            values.put(n, Map.of(DetectorSettings.ENABLED, 1.0));
        }
        return DetectorSettings.of(values, REGISTRY).active(REGISTRY);
    }

    private static Decision decide(Decision reference, String... enabled) {
        DetectorStates states = new DetectorStates();
        List<DetectorSettings.Active> active = enable(enabled);
        states.onEvent(new AgentEvent.TurnStart("hi"), 0, active);
        return states.decide(reference, active, new DetectionContext("", 0, FleetView.NONE));
    }

    @Test
    void referenceBreaksComeFirstThenDetectorBreaksInRegistryOrder() {
        assertSame(REFERENCE_BREAK, decide(REFERENCE_BREAK, "budget", "cycle", "spend"));
        assertSame(BUDGET, decide(REFERENCE_WARNING, "budget", "cycle", "spend"));
        assertSame(CYCLE, decide(Decision.Continue.INSTANCE, "cycle", "spend"));
    }

    @Test
    void referenceWarningsComeBeforeDetectorWarnings() {
        assertSame(REFERENCE_WARNING, decide(REFERENCE_WARNING, "spend"));
        assertSame(SPEND, decide(Decision.Continue.INSTANCE, "spend"));
        assertSame(Decision.Continue.INSTANCE, decide(Decision.Continue.INSTANCE));
    }

    @Test
    void statesStartWhenEnabledSurviveEncodingAndAreDroppedWhenDisabled() {
        DetectorStates states = new DetectorStates();
        states.onEvent(new AgentEvent.TurnStart("a"), 0, enable("budget"));
        states.onEvent(new AgentEvent.TurnStart("b"), 1, enable("budget", "cycle"));
        StateWriter out = new StateWriter(32);
        states.write(out);
        DetectorStates read = DetectorStates.read(new StateReader(out.toByteArray(), 0), REGISTRY);
        read.onEvent(new AgentEvent.TurnStart("c"), 2, enable("budget", "cycle"));
        StateWriter again = new StateWriter(32);
        read.write(again);
        StateReader in = new StateReader(again.toByteArray(), 0);
        assertEquals(2, in.readCount());
        assertEquals("budget", in.readString());
        in.readCount();
        assertEquals(3, in.readVarLong(), "budget saw a, b and c");
        assertEquals("cycle", in.readString());
        in.readCount();
        assertEquals(2, in.readVarLong(), "cycle was enabled from b on");

        read.onEvent(new AgentEvent.TurnStart("d"), 3, List.of());
        assertTrue(read.isEmpty());
        DetectorStates unknown = DetectorStates.read(new StateReader(out.toByteArray(), 0),
                new DetectorRegistry(List.of(REGISTRY.detectors().get(1))));
        StateWriter kept = new StateWriter(8);
        unknown.write(kept);
        assertEquals("budget", new StateReader(kept.toByteArray(), 1).readString(), "cycle's state was skipped");
    }

    @Test
    void settingsLayerValueByValueAndRefuseWhatTheDetectorDoesNotAccept() {
        DetectorRegistry registry = DetectorRegistry.BUILT_IN;
        DetectorSettings config = DetectorSettings.of(Map.of("tool_call_cycle",
                Map.of("enabled", 1.0, "repetitions", 4.0)), registry);
        DetectorSettings policy = DetectorSettings.of(Map.of("tool_call_cycle", Map.of("max_length", 2.0),
                "token_budget", Map.of("enabled", 0.0)), registry);
        List<DetectorSettings.Active> active = policy.over(config).active(registry);
        assertEquals(1, active.size());
        assertEquals(4, active.get(0).params().getLong("repetitions"));
        assertEquals(2, active.get(0).params().getLong("max_length"));
        assertTrue(DetectorSettings.EMPTY.active(registry).isEmpty());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DetectorSettings.of(Map.of("loop_guard", Map.of("enabled", 1.0)), registry));
        assertEquals("unknown detector loop_guard; known: token_budget, spend_budget, agent_spend_budget, "
                + "repeated_identical_tool_call, tool_call_cycle, repeated_failure_pattern, fleet_spend_anomaly", unknown.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> DetectorSettings.of(Map.of("tool_call_cycle", Map.of("repetitions", 1.0)), registry));
        assertEquals("tool_call_cycle.repetitions must be an integer in 2..8, got 1", range.getMessage());
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> DetectorSettings.of(Map.of("repeated_failure_pattern", Map.of("count", 2.5)), registry));
        assertEquals("repeated_failure_pattern.count must be an integer in 2..1000, got 2.5", fraction.getMessage());
        IllegalArgumentException param = assertThrows(IllegalArgumentException.class,
                () -> DetectorSettings.of(Map.of("token_budget", Map.of("max", 5.0)), registry));
        assertEquals("detector token_budget has no parameter max; it has enabled, max_tokens, "
                + "window_ms", param.getMessage());
    }
}
