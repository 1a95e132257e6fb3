package io.noos.streams.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.testkit.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of {@link AlertRules} and the rate limit. */
class AlertRulesTest {
    private static DecisionRecord r(String user, long turn, Decision d) {
        return new DecisionRecord(user, null, null, null, "tool_call", turn, turn, d, null, Map.of());
    }

    private static final Decision HALT = new Decision.CircuitBreak(new BreakReason.OperatorHalt("agent:a", null), "h");

    @Test
    void oneAlertPerBreakTurnReasonPerBudgetThresholdWindowAndPerHalt() {
        AlertRules rules = new AlertRules();
        Decision loop = new Decision.CircuitBreak(new BreakReason.RepeatedToolCallLoop("t", 5), "s");
        assertNotNull(rules.offer(r("u", 1, loop)));
        assertNull(rules.offer(r("u", 1, loop)), "the same turn and reason");
        assertNotNull(rules.offer(r("u", 2, loop)), "another turn");
        assertNotNull(rules.offer(r("v", 1, loop)), "another user");
        assertNull(rules.offer(r("u", 2, Decision.Continue.INSTANCE)), "continue never alerts");
        Decision w80 = new Decision.SpendBudgetWarn("USD", 8, 10, 80, 60_000, 0);
        assertNotNull(rules.offer(r("u", 3, w80)));
        assertNull(rules.offer(r("u", 4, w80)), "same threshold, same window");
        assertNotNull(rules.offer(r("u", 5, new Decision.SpendBudgetWarn("USD", 9, 10, 80, 60_000, 60_000))), "next window");
        assertNotNull(rules.offer(r("u", 5, new Decision.SpendBudgetWarn("USD", 9, 10, 95, 60_000, 60_000))), "95 %");

        Alert halt = rules.offer(r("x", 1, HALT));
        assertEquals(Alert.Type.OPERATOR_HALT, halt.type());
        assertNull(rules.offer(r("y", 1, HALT)), "one per halt, whatever the user");
        assertNull(rules.offer(r("x", 2, Decision.Continue.INSTANCE)), "x's halt lifted; y is still halted");
        assertNull(rules.offer(r("y", 2, HALT)));
        rules.offer(r("y", 3, Decision.Continue.INSTANCE));
        Alert again = rules.offer(r("x", 4, HALT));
        assertNotNull(again, "lifted for every user it halted: a new halt alerts again");
        assertEquals(halt.idempotencyKey(), again.idempotencyKey(), "the key names the rule's key");
    }

    @Test
    void anAgentWideBudgetAlertsOncePerAgentThresholdAndWindowWhateverTheUser() {
        AlertRules rules = new AlertRules();
        long hour = 3_600_000;
        Decision w80 = new Decision.SpendBudgetWarn("USD", 8, 10, 80, hour, 0, "agent-7");
        assertNotNull(rules.offer(r("u", 1, w80)));
        assertNull(rules.offer(r("v", 1, w80)), "another user of the same agent: the same alert");
        assertNotNull(rules.offer(r("v", 2, new Decision.SpendBudgetWarn("USD", 8, 10, 80, hour, 0, "agent-8"))),
                "another agent");
        assertNotNull(rules.offer(r("v", 2, new Decision.SpendBudgetWarn("USD", 9, 10, 95, hour, 0, "agent-7"))), "95 %");
        assertNotNull(rules.offer(r("v", 3, new Decision.SpendBudgetWarn("USD", 8, 10, 80, hour, hour, "agent-7"))),
                "next window");
        assertNotNull(rules.offer(r("u", 3, new Decision.SpendBudgetWarn("USD", 8, 10, 80, hour, 0))),
                "a user's own budget is a different alert");

        Decision exceeded = new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded("USD", 10, 10, hour, "agent-7"), "s");
        Alert first = new AlertRules().offer(r("u", 1, exceeded));
        assertEquals(Alert.Type.CIRCUIT_BREAK, first.type());
        AlertRules breaks = new AlertRules();
        assertNotNull(breaks.offer(new DecisionRecord("u", "agent-7", null, null, "cost", 10, 1, exceeded, null, Map.of())));
        assertNull(breaks.offer(new DecisionRecord("v", "agent-7", null, null, "cost", hour - 1, 1, exceeded, null,
                Map.of())), "another user, another turn, the same period of the agent's window");
        assertNotNull(breaks.offer(new DecisionRecord("v", "agent-7", null, null, "cost", hour, 2, exceeded, null,
                Map.of())), "the next period");
        assertNotNull(breaks.offer(new DecisionRecord("u", "agent-7", null, null, "cost", 20, 2,
                new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded("USD", 10, 10, hour), "s"), null,
                Map.of())), "a user's own budget break alerts per (user, turn, reason)");
    }

    @Test
    void theRateLimitDelaysTheSendBeyondTheWindowsAllowance() {
        long[] now = {1_000};
        RateLimiter limit = new RateLimiter(2, 60_000, () -> now[0]);
        assertEquals(0, limit.delayMs());
        limit.sent();
        now[0] += 10;
        limit.sent();
        assertEquals(59_990, limit.delayMs(), "the third waits until the first leaves the window");
        now[0] = 61_000;
        assertEquals(0, limit.delayMs());
    }

    /**
     * README "Alerts", seen end to end: the decision of u1's second 0.0075 USD cost (the record
     * {@code replay --offline} writes for it, with the README's price file and budget) gives
     * exactly the JSON and Slack bodies the README shows, its idempotency key included.
     */
    @Test
    void theReadmesAlertBodiesAreWhatTheReadmesDecisionGives() {
        DecisionRecord record = DecisionRecordJson.parse(("{\"user_id\":\"u1\",\"agent_id\":\"agent-7\",\"session_id\":null,\"event_id\":\"e-2\",\"event_type\":\"cost\",\"at_ms\":1767225601000,\"turn\":0,\"decision\":{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"spend_budget_exceeded\",\"currency\":\"USD\",\"spent\":\"0.015000\",\"budget\":\"0.010000\",\"window_ms\":86400000},\"suggestion\":\"The spend budget for this period is used up. Stop the agent, or ask the user to wait until the window rolls on or to raise the budget.\"},\"prelude\":null,\"metrics\":{\"noos.confidence\":0.5,\"noos.logprob_coverage\":0.0,\"noos.total_tokens_out\":1000.0,\"noos.cost_cap_tokens\":10000.0,\"noos.tool_total_calls\":0.0,\"noos.tool_total_duration_ms\":0.0,\"noos.tool_failure_count\":0.0,\"noos.implicit_corrections_count\":0.0,\"noos.scope_drift_threshold\":0.5},\"spend\":{\"amounts\":{\"USD\":\"0.015000\"},\"unpriced_cost_events\":0}}").getBytes(StandardCharsets.UTF_8));
        Alert alert = new AlertRules().offer(record);
        assertEquals("5322420f27090906f541eec7a3d9da6d", alert.idempotencyKey());
        assertEquals(JsonTrees.tree("{\"idempotency_key\":\"5322420f27090906f541eec7a3d9da6d\",\"alert\":\"circuit_break\","
                + "\"user_id\":\"u1\",\"agent_id\":\"agent-7\",\"session_id\":null,\"event_id\":\"e-2\",\"turn\":0,"
                + "\"at_ms\":1767225601000,\"kind\":\"circuit_break\",\"reason\":\"spend_budget_exceeded\","
                + "\"summary\":\"circuit break spend_budget_exceeded: user u1 (agent agent-7) spent 0.015000 USD of a "
                + "0.010000 USD budget\",\"details\":{\"kind\":\"spend_budget_exceeded\",\"currency\":\"USD\","
                + "\"spent\":\"0.015000\",\"budget\":\"0.010000\",\"window_ms\":86400000}}"),
                JsonTrees.tree(AlertBody.of(alert, AlertSettings.Format.JSON, false)));
        assertEquals("{\"text\":\":rotating_light: circuit break spend_budget_exceeded: user u1 (agent agent-7) spent "
                + "0.015000 USD of a 0.010000 USD budget (key 5322420f27090906f541eec7a3d9da6d)\","
                + "\"idempotency_key\":\"5322420f27090906f541eec7a3d9da6d\"}",
                new String(AlertBody.of(alert, AlertSettings.Format.SLACK, false), StandardCharsets.UTF_8));
    }

    /** An agent's budget counts all its users: the summary says so, and names the user whose event reached it. */
    @Test
    void anAgentsBudgetAlertSaysTheSpendIsTheAgentsUsersTogether() {
        long day = 86_400_000L;
        Decision exceeded = new Decision.CircuitBreak(
                new BreakReason.SpendBudgetExceeded("USD", 30_000, 30_000, day, "agent-7"), "s");
        Alert broken = new AlertRules().offer(new DecisionRecord("bob", "agent-7", null, null, "cost", 10, 1, exceeded,
                null, Map.of()));
        assertEquals("circuit break spend_budget_exceeded: agent agent-7's users together spent 0.030000 USD of a "
                + "0.030000 USD budget (reached on an event of user bob)", AlertBody.summary(broken));
        Alert warned = new AlertRules().offer(new DecisionRecord("alice", "agent-7", null, null, "cost", 10, 1,
                new Decision.SpendBudgetWarn("USD", 24_000, 30_000, 80, day, 0, "agent-7"), null, Map.of()));
        assertEquals("agent agent-7's users together spent 0.024000 USD, 80% of the 0.030000 USD budget (reached on an "
                + "event of user alice)", AlertBody.summary(warned));
    }
}
