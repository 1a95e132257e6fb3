package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule: break repeated_failure_pattern once `count` tool results in a row this turn failed. */
class RepeatedFailureDetectorTest {

    private static AgentEvent result(boolean ok) {
        return new AgentEvent.ToolResult("deploy", ok, 20, ok ? null : "timeout");
    }

    @Test
    void threeFailuresInARowBreakWithTheTurnsCluster() {
        DetectorTestSupport d = new DetectorTestSupport(new RepeatedFailureDetector());
        d.cluster = "deploy|service";
        d.on(result(false), 1).on(result(false), 2);
        assertNull(d.check());
        d.on(new AgentEvent.ToolCall("deploy", null), 3);   // calls do not interrupt the run
        d.on(result(false), 4);
        Decision decision = d.roundTrip().check();
        assertEquals(new BreakReason.RepeatedFailurePattern("deploy|service", 3),
                ((Decision.CircuitBreak) decision).reason());
    }

    @Test
    void aSuccessOrANewTurnStartsTheCountAgain() {
        DetectorTestSupport d = new DetectorTestSupport(new RepeatedFailureDetector(), Map.of("count", 2.0));
        d.on(result(false), 1).on(result(true), 2).on(result(false), 3);
        assertNull(d.check());
        d.turn().on(result(false), 4);
        assertNull(d.check());
        d.on(result(false), 5);
        assertEquals(2, ((BreakReason.RepeatedFailurePattern) ((Decision.CircuitBreak) d.check()).reason()).failureCount());
    }
}
