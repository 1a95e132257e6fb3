package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.pricing.Money;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule (docs/detectors.md): in the budget's currency, the money of the cost events in the
 * trailing window (60 slots, as token_budget) reaching max_amount breaks spend_budget_exceeded;
 * below it, reaching warn_again_percent or warn_percent of max_amount warns with the higher
 * threshold met. Other currencies and unpriced costs count nothing.
 */
class SpendBudgetDetectorTest {
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final AgentEvent.Cost COST = new AgentEvent.Cost(10, 10, 5, "openai");

    private static DetectorTestSupport budget(double max) {
        return new DetectorTestSupport(new SpendBudgetDetector(), Map.of("max_amount", max, "window_ms", (double) HOUR));
    }

    private static Money usd(String amount) {
        return Money.parse(amount, "USD");
    }

    @Test
    void warnsAtEightyThenNinetyFivePercentThenBreaksAtTheBudget() {
        DetectorTestSupport d = budget(10);
        d.cost(COST, usd("7.99"), 0);
        assertNull(d.check());
        assertNull(d.warning(), "7.99 of 10 is below 80 %");
        d.cost(COST, usd("0.01"), MIN);
        Decision.SpendBudgetWarn w = (Decision.SpendBudgetWarn) d.warning();
        assertEquals(new Decision.SpendBudgetWarn("USD", 8_000_000, 10_000_000, 80, HOUR, 0), w);
        d.cost(COST, usd("1.5"), 2 * MIN);
        assertEquals(95, ((Decision.SpendBudgetWarn) d.roundTrip().warning()).thresholdPercent(), "9.50 is 95 %");
        assertNull(d.check());
        d.cost(COST, usd("0.5"), 3 * MIN);
        assertEquals(new BreakReason.SpendBudgetExceeded("USD", 10_000_000, 10_000_000, HOUR),
                ((Decision.CircuitBreak) d.check()).reason());
        assertNull(d.warning(), "at the budget it is a break, not a warning");
    }

    @Test
    void otherCurrenciesAndUnpricedCostsAreNotCounted() {
        DetectorTestSupport d = budget(1);
        d.cost(COST, Money.parse("5", "EUR"), 0);
        d.cost(COST, null, MIN);
        assertNull(d.check());
        assertNull(d.warning());
        d.params = d.params.with(SpendBudgetDetector.CURRENCY, 978.0); // EUR
        d.cost(COST, Money.parse("1", "EUR"), 2 * MIN);
        assertEquals("EUR", ((BreakReason.SpendBudgetExceeded) ((Decision.CircuitBreak) d.check()).reason()).currency());
        assertEquals(1_000_000, ((BreakReason.SpendBudgetExceeded) ((Decision.CircuitBreak) d.check()).reason())
                .spentMicros(), "changing the currency starts afresh: only the new 1 EUR");
    }

    @Test
    void spendLeavesTheWindowAndThresholdsCanBeTurnedOff() {
        DetectorTestSupport d = new DetectorTestSupport(new SpendBudgetDetector(),
                Map.of("max_amount", 10.0, "window_ms", (double) HOUR, "warn_percent", 0.0, "warn_again_percent", 50.0));
        d.cost(COST, usd("6"), 0);
        assertEquals(50, ((Decision.SpendBudgetWarn) d.warning()).thresholdPercent());
        d.cost(COST, usd("1"), 90 * MIN);
        assertNull(d.warning(), "the 6 left the window; 1 is below 50 %");
        assertEquals(HOUR, ((Decision.SpendBudgetWarn) budgetAt(d)).windowStartMs(), "90 min is in the period [60, 120) min");
    }

    /**
     * agent_spend_budget: the count is the larger of the agent's total (all its users, this event's
     * cost included) and the user's own; verdicts carry the agent; no agent, no verdict.
     */
    @Test
    void theAgentWideBudgetHoldsTheAgentsTotalAgainstItAndNamesTheAgent() {
        DetectorTestSupport d = new DetectorTestSupport(SpendBudgetDetector.agentWide(),
                Map.of("max_amount", 10.0, "window_ms", (double) HOUR));
        d.agentId = "agent-7";
        AgentSpendTotals totals = new AgentSpendTotals();
        d.agentSpend = totals;
        d.cost(COST, usd("2"), 0);
        totals.counted(new AgentSpend("agent-7", "USD", 2_000_000, 0, HOUR));      // this user's 2
        totals.counted(new AgentSpend("agent-7", "USD", 5_500_000, MIN, HOUR));    // another user's 5.50
        totals.counted(new AgentSpend("agent-8", "USD", 9_000_000, MIN, HOUR));    // another agent's
        d.lastAt = MIN;
        assertNull(d.warning(), "the agent's 7.50 of 10 is below 80 % (agent-8's 9 are not agent-7's)");
        totals.counted(new AgentSpend("agent-7", "USD", 500_000, MIN, HOUR));
        assertEquals(new Decision.SpendBudgetWarn("USD", 8_000_000, 10_000_000, 80, HOUR, 0, "agent-7"), d.warning());
        totals.counted(new AgentSpend("agent-7", "USD", 1_500_000, 2 * MIN, HOUR));
        d.lastAt = 2 * MIN;
        assertEquals(95, ((Decision.SpendBudgetWarn) d.roundTrip().warning()).thresholdPercent(), "9.50 is 95 %");
        assertNull(d.check());
        totals.counted(new AgentSpend("agent-7", "USD", 500_000, 2 * MIN, HOUR));
        Decision.CircuitBreak cb = (Decision.CircuitBreak) d.check();
        assertEquals(new BreakReason.SpendBudgetExceeded("USD", 10_000_000, 10_000_000, HOUR, "agent-7"), cb.reason());
        assertEquals(SpendBudgetDetector.AGENT_SUGGESTION, cb.suggestion());
        assertNull(d.warning(), "at the budget it is a break, not a warning");
        assertEquals(null, ((BreakReason.SpendBudgetExceeded) ((Decision.CircuitBreak) new DetectorTestSupport(
                new SpendBudgetDetector(), Map.of("max_amount", 1.0)).cost(COST, usd("1"), 0).check()).reason()).agentId(),
                "a user's own budget names no agent");

        d.agentId = null;
        assertNull(d.check(), "an event without an agent: no agent-wide verdict");
        assertNull(d.warning());
    }

    @Test
    void theAgentWideCountIsTheAgentsTotalAsTheContextGivesIt() {
        DetectorTestSupport d = new DetectorTestSupport(SpendBudgetDetector.agentWide(),
                Map.of("max_amount", 2.5, "window_ms", (double) HOUR, "currency", 978.0));
        d.agentId = "agent-7";
        String[] asked = new String[1];
        d.agentSpend = (agent, currency, windowMs, atMs) -> {
            asked[0] = agent + " " + currency + " " + windowMs + " " + atMs;
            return 2_000_000;
        };
        d.cost(COST, Money.parse("9", "EUR"), 5 * MIN);
        assertEquals(new Decision.SpendBudgetWarn("EUR", 2_000_000, 2_500_000, 80, HOUR, 0, "agent-7"), d.warning(),
                "2 of 2.50 is 80 %; the user's own 9 are the agent's total's business, not counted here");
        assertEquals("agent-7 EUR " + HOUR + " " + 5 * MIN, asked[0], "the agent's total in the budget's currency and window");
        assertEquals(0, d.roundTrip().state instanceof RollingSlots ? 1 : 0, "nothing is kept per user");
        d.agentSpend = (agent, currency, windowMs, atMs) -> 2_500_000;
        assertEquals(2_500_000, ((BreakReason.SpendBudgetExceeded) ((Decision.CircuitBreak) d.check()).reason())
                .spentMicros());
    }

    private static Decision budgetAt(DetectorTestSupport d) {
        d.cost(COST, usd("5"), 91 * MIN);
        return d.warning();
    }
}
