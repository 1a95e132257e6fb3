package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule: break token_budget_exceeded while the tokens (in + out) of the cost events in the
 * trailing window, counted in 60 slots of window/60, reach max_tokens.
 */
class TokenBudgetDetectorTest {
    private static final long MIN = 60_000;

    private static DetectorTestSupport budget(long max, long windowMs) {
        return new DetectorTestSupport(new TokenBudgetDetector(),
                Map.of("max_tokens", (double) max, "window_ms", (double) windowMs));
    }

    private static AgentEvent cost(long in, long out) {
        return new AgentEvent.Cost(in, out, 10, null);
    }

    @Test
    void breaksOnceTheWindowHoldsTheBudgetAndCountsInputAndOutput() {
        DetectorTestSupport d = budget(1_000, 60 * MIN);
        d.on(cost(300, 200), 0);
        assertNull(d.check(), "500 < 1000");
        d.on(cost(0, 400), 10 * MIN);
        assertNull(d.check(), "900 < 1000");
        d.on(cost(100, 0), 20 * MIN);
        Decision decision = d.roundTrip().check();
        assertEquals(new BreakReason.TokenBudgetExceeded(1_000, 1_000, 60 * MIN),
                ((Decision.CircuitBreak) decision).reason());
    }

    @Test
    void aCostLeavesTheWindowWhenItsSlotIsSixtySlotsOld() {
        DetectorTestSupport d = budget(1_000, 60 * MIN);   // slots of 1 minute
        d.on(cost(600, 0), 30_000);                       // slot 0
        d.on(cost(400, 0), 30 * MIN);                     // slot 30
        assertEquals(1_000, reason(d.check(59 * MIN + 59_999)).tokensInWindow(), "slot 0 is in slots 0..59");
        assertNull(d.check(60 * MIN), "at slot 60 the window is slots 1..60: 400");
        d.on(new AgentEvent.TurnStart("new session, same user"), 61 * MIN);
        assertNull(d.check());
    }

    @Test
    void theBudgetSpansTurnsAndIgnoresCostsOlderThanTheWindow() {
        DetectorTestSupport d = budget(100, 10 * MIN);    // slots of 10 s
        d.on(cost(0, 60), 30 * MIN);
        d.turn();
        d.on(cost(0, 30), 30 * MIN + 5_000);
        assertNull(d.check());
        d.on(cost(0, 50), 15 * MIN);                      // 15 min behind the newest: outside 10 min
        assertNull(d.check(), "the late cost is not counted");
        d.on(cost(0, 10), 25 * MIN);                      // 5 min behind: inside
        assertEquals(100, reason(d.check()).tokensInWindow());
    }

    @Test
    void changingTheWindowStartsTheCountAfresh() {
        DetectorTestSupport d = budget(100, 10 * MIN);
        d.on(cost(0, 100), 0);
        assertEquals(100, reason(d.check()).tokensInWindow());
        d.params = d.params.with("window_ms", 20.0 * MIN);
        assertNull(d.check(), "slots of another size are not compared");
        d.on(cost(0, 1), MIN);
        assertNull(d.check(), "only the new cost counts: 1");
    }

    private static BreakReason.TokenBudgetExceeded reason(Decision d) {
        return (BreakReason.TokenBudgetExceeded) ((Decision.CircuitBreak) d).reason();
    }
}
