package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule: break when the newest calls of the turn are a cycle of 2..max_length distinct tools
 * repeated at least `repetitions` times in a row; the cycle as its last round was called.
 */
class ToolCallCycleDetectorTest {

    private static DetectorTestSupport calls(Map<String, Double> params, String... names) {
        DetectorTestSupport d = new DetectorTestSupport(new ToolCallCycleDetector(), params);
        for (String n : names) {
            d.call(n, null);
        }
        return d;
    }

    private static BreakReason.ToolCallCycle cycle(DetectorTestSupport d) {
        Decision decision = d.roundTrip().check();
        return decision == null ? null : (BreakReason.ToolCallCycle) ((Decision.CircuitBreak) decision).reason();
    }

    @Test
    void pingPongBetweenTwoTools() {
        assertNull(cycle(calls(Map.of(), "search", "fetch", "search", "fetch")), "two rounds < 3");
        assertEquals(new BreakReason.ToolCallCycle(List.of("search", "fetch"), 3),
                cycle(calls(Map.of(), "plan", "search", "fetch", "search", "fetch", "search", "fetch")));
        assertEquals(new BreakReason.ToolCallCycle(List.of("search", "fetch"), 3),
                cycle(calls(Map.of(), "fetch", "search", "fetch", "search", "fetch", "search", "fetch")),
                "7 periodic calls are 3 whole rounds, the last one search→fetch");
        assertEquals(new BreakReason.ToolCallCycle(List.of("a", "b"), 2),
                cycle(calls(Map.of("repetitions", 2.0), "a", "b", "a", "b")));
    }

    @Test
    void threeToolCyclesNeedMaxLengthThree() {
        String[] abc = {"read", "edit", "test", "read", "edit", "test", "read", "edit", "test"};
        assertEquals(new BreakReason.ToolCallCycle(List.of("read", "edit", "test"), 3), cycle(calls(Map.of(), abc)));
        assertNull(cycle(calls(Map.of("max_length", 2.0), abc)));
    }

    @Test
    void oneToolRepeatedOrABrokenPatternIsNoCycle() {
        assertNull(cycle(calls(Map.of(), "a", "a", "a", "a", "a", "a")), "that is the reference's loop");
        assertNull(cycle(calls(Map.of(), "a", "b", "a", "b", "a", "c")));
        assertNull(cycle(calls(Map.of(), "a", "b", "a", "a", "b", "a")), "aba is not three distinct tools");
    }

    @Test
    void aNewTurnForgetsTheCalls() {
        DetectorTestSupport d = calls(Map.of(), "a", "b", "a", "b", "a");
        d.turn();
        d.call("b", null);
        assertNull(d.check());
    }
}
