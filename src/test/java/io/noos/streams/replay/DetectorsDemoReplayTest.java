package io.noos.streams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.Regulator;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.fleet.SpendHistogram;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.TopologySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented demo (docs/examples/detectors-demo.jsonl with detectors-demo.properties): the
 * reference's rules let every one of these users continue; each detector stops the user it is
 * meant for, at the event its rule names.
 */
class DetectorsDemoReplayTest {
    private static final Path LOG = Path.of("docs/examples/detectors-demo.jsonl");
    private static final Path SETTINGS = Path.of("docs/examples/detectors-demo.properties");

    /** Every decision that is not continue, per user, in order. */
    private static Map<String, List<DecisionRecord>> notContinue(TopologySettings settings) throws Exception {
        Map<String, List<DecisionRecord>> out = new LinkedHashMap<>();
        new OfflineReplay(settings).run(LOG, null, bad -> { throw new AssertionError("bad line " + bad); },
                (state, decision) -> {
                    if (decision != null && !(decision.decision() instanceof Decision.Continue)) {
                        out.computeIfAbsent(decision.userId(), u -> new ArrayList<>()).add(decision);
                    }
                });
        return out;
    }

    private static BreakReason firstBreak(Map<String, List<DecisionRecord>> byUser, String user) {
        return ((Decision.CircuitBreak) byUser.get(user).get(0).decision()).reason();
    }

    @Test
    void theDefaultsLetEveryoneContinue() throws Exception {
        assertEquals(Map.of(), notContinue(TopologySettings.defaults()));
    }

    @Test
    void eachDetectorCatchesItsUser() throws Exception {
        TopologySettings settings = ServiceConfig.load(SETTINGS, Map.of(), Map.of()).topologySettings();
        Map<String, List<DecisionRecord>> byUser = notContinue(settings);

        BreakReason same = firstBreak(byUser, "same-search");
        assertEquals("search", ((BreakReason.RepeatedIdenticalToolCall) same).toolName());
        assertEquals(3, ((BreakReason.RepeatedIdenticalToolCall) same).count(), "the third equal search");
        assertEquals("tool_call", byUser.get("same-search").get(0).eventType());

        assertEquals(new BreakReason.ToolCallCycle(List.of("search", "open_page"), 3), firstBreak(byUser, "ping-pong"));
        assertEquals(new BreakReason.ToolCallCycle(List.of("read_file", "edit_file", "run_tests"), 3),
                firstBreak(byUser, "edit-loop"));

        Regulator r = Regulator.forUser("failing-deploy");
        r.onEvent(new AgentEvent.TurnStart("deploy the payment service to staging"), 0);
        assertEquals(new BreakReason.RepeatedFailurePattern(r.currentCluster(), 3), firstBreak(byUser, "failing-deploy"));

        // 4 sessions of 22,000 in + 8,000 out within 40 minutes: 90,000 after three, 120,000 after the fourth.
        DecisionRecord budget = byUser.get("budget-burner").get(0);
        assertEquals(new BreakReason.TokenBudgetExceeded(120_000, 100_000, 3_600_000),
                ((Decision.CircuitBreak) budget.decision()).reason());
        assertEquals("s4", budget.sessionId());
        assertEquals("cost", budget.eventType());

        // Six users spent 300 output tokens each in minute 0; heavy-spender spends 6,000 in minute 1.
        Decision.SpendAnomalyWarn spend = (Decision.SpendAnomalyWarn) byUser.get("heavy-spender").get(0).decision();
        assertEquals(6_000, spend.userTokensOut());
        assertEquals(6, spend.fleetUsers());
        assertEquals(300, spend.fleetMedianTokensOut(), 300 * SpendHistogram.MAX_RELATIVE_ERROR);
        assertEquals(6_000 / spend.fleetMedianTokensOut(), spend.ratio(), 1e-9);
        assertEquals(spend.windowStartMs() - 60_000, spend.fleetWindowStartMs());
        assertEquals(1, byUser.get("heavy-spender").size());

        for (int n = 1; n <= 6; n++) {
            assertTrue(!byUser.containsKey("ordinary-" + n), "ordinary-" + n);
        }
    }
}
