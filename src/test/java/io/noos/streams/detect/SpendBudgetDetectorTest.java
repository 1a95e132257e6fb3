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

    private static Decision budgetAt(DetectorTestSupport d) {
        d.cost(COST, usd("5"), 91 * MIN);
        return d.warning();
    }
}
