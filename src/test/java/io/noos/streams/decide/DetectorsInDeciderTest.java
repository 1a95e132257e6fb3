package io.noos.streams.decide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.Regulator;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.testkit.TestEvent;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detectors inside the service's per-user rules: across sessions, with the regulator's cluster, stored. */
class DetectorsInDeciderTest {
    private static final long HOUR = 3_600_000;

    private static UserDecider decider(Map<String, Map<String, Double>> detectors) {
        UserSettings settings = UserSettings.DEFAULTS.withDetectors(
                DetectorSettings.of(detectors, DetectorRegistry.BUILT_IN));
        return new UserDecider(UserSettingsSource.fixed(settings), true, 64);
    }

    private static EventEnvelope at(long atMs, String session, AgentEvent e) {
        return TestEvent.user("alice").agent("agent-1").session(session).at(atMs).of(e);
    }

    @Test
    void theTokenBudgetSpansSessionsWhileTheRegulatorIsResetPerSession() {
        UserDecider d = decider(Map.of("token_budget", Map.of("enabled", 1.0, "max_tokens", 5_000.0)));
        UserState s = null;
        for (int session = 1; session <= 5; session++) {
            s = d.apply(s, at(session * 60_000L, "s" + session, new AgentEvent.TurnStart("draft the weekly update"))).state();
            UserDecider.Outcome o = d.apply(s, at(session * 60_000L + 1, "s" + session, new AgentEvent.Cost(200, 800, 5, null)));
            s = o.state();
            assertEquals(800, s.regulator().totalTokensOut(), "the regulator counts this session only");
            if (session < 5) {
                assertInstanceOf(Decision.Continue.class, o.decision().decision(), "session " + session);
            } else {
                assertEquals(new BreakReason.TokenBudgetExceeded(5_000, 5_000, HOUR),
                        ((Decision.CircuitBreak) o.decision().decision()).reason(), "5 sessions x 1000 tokens");
            }
        }
        UserState restored = UserState.decode(s.encode());
        // 1-minute slots: at minute 60 the window is minutes 1..60 (all 5 costs), at minute 61 it is 2..61.
        UserDecider.Outcome later = d.apply(restored, at(HOUR, "s6", new AgentEvent.TurnStart("next")));
        assertInstanceOf(Decision.CircuitBreak.class, later.decision().decision(), "5000 in minutes 1..60");
        UserDecider.Outcome rolled = d.apply(later.state(), at(HOUR + 60_000, "s7", new AgentEvent.TurnStart("later")));
        assertInstanceOf(Decision.Continue.class, rolled.decision().decision(), "the minute-1 cost left: 4000");
    }

    @Test
    void repeatedFailuresBreakWithTheRegulatorsTopicCluster() {
        String message = "deploy the payment service to staging";
        UserDecider d = decider(Map.of("repeated_failure_pattern", Map.of("enabled", 1.0)));
        UserState s = d.apply(null, at(1, "s", new AgentEvent.TurnStart(message))).state();
        Decision last = null;
        for (int i = 0; i < 3; i++) {
            s = d.apply(s, at(2 + i, "s", new AgentEvent.ToolCall("deploy", "{\"env\":\"staging\"}"))).state();
            UserDecider.Outcome o = d.apply(s, at(2 + i, "s", new AgentEvent.ToolResult("deploy", false, 30, "timeout")));
            s = o.state();
            last = o.decision().decision();
        }
        Regulator reference = Regulator.forUser("alice");
        reference.onEvent(new AgentEvent.TurnStart(message), 1);
        assertEquals(new BreakReason.RepeatedFailurePattern(reference.currentCluster(), 3),
                ((Decision.CircuitBreak) last).reason());
        assertTrue(!reference.currentCluster().isEmpty());
    }

    @Test
    void withoutDetectorsTheStateIsTheVersionTwoStateWithAnEmptyDetectorSection() {
        UserDecider plain = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, 64);
        UserState s = plain.apply(null, at(1, "s", new AgentEvent.TurnStart("hello there"))).state();
        byte[] v4 = s.encode();
        assertEquals(4, v4[0]);
        assertEquals(0, v4[v4.length - 3], "no detector states");
        assertEquals(0, v4[v4.length - 2], "no spend: no currency");
        assertEquals(0, v4[v4.length - 1], "no spend: no unpriced cost event");
        byte[] v3 = Arrays.copyOf(v4, v4.length - 2);
        v3[0] = 3;
        assertArrayEquals(v4, UserState.decode(v3).encode(), "a stored version 3 state reads as the same state");
        byte[] v2 = Arrays.copyOf(v4, v4.length - 3);
        v2[0] = 2;
        assertArrayEquals(v4, UserState.decode(v2).encode(), "a stored version 2 state reads as the same state");
    }
}
