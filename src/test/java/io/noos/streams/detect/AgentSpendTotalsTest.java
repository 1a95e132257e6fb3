package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The agents' totals (docs/detectors.md, agent_spend_budget): per agent, currency and window, the
 * amounts of all its users in the trailing window of 60 slots of window_ms / 60, ending at the
 * newest amount counted; an amount older than the window when it arrives is not counted.
 */
class AgentSpendTotalsTest {
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    private static AgentSpend usd(String agent, long micros, long atMs) {
        return new AgentSpend(agent, "USD", micros, atMs, HOUR);
    }

    @Test
    void theAmountsOfAnAgentsUsersAddUpPerCurrencyAndWindow() {
        AgentSpendTotals totals = new AgentSpendTotals();
        totals.counted(usd("a1", 6_000_000, 0));          // one user
        totals.counted(usd("a1", 3_000_000, MIN));        // another user of the same agent
        totals.counted(usd("a2", 5_000_000, MIN));
        totals.counted(new AgentSpend("a1", "EUR", 7_000_000, MIN, HOUR));
        totals.counted(new AgentSpend("a1", "USD", 1_000_000, MIN, 2 * HOUR));
        assertEquals(9_000_000, totals.spentMicros("a1", "USD", HOUR, MIN));
        assertEquals(5_000_000, totals.spentMicros("a2", "USD", HOUR, MIN));
        assertEquals(7_000_000, totals.spentMicros("a1", "EUR", HOUR, MIN), "currencies are never added");
        assertEquals(1_000_000, totals.spentMicros("a1", "USD", 2 * HOUR, MIN), "each window its own total");
        assertEquals(0, totals.spentMicros("a3", "USD", HOUR, MIN), "an agent never counted");
    }

    @Test
    void amountsLeaveTheWindowSlotBySlot() {
        AgentSpendTotals totals = new AgentSpendTotals();
        totals.counted(usd("a", 1_000_000, 0));              // slot 0 (slots of one minute)
        totals.counted(usd("a", 2_000_000, 30 * MIN));        // slot 30
        assertEquals(3_000_000, totals.spentMicros("a", "USD", HOUR, 59 * MIN + 59_999), "slots 0..59");
        assertEquals(2_000_000, totals.spentMicros("a", "USD", HOUR, HOUR), "slot 0 left at slot 60");
        assertEquals(0, totals.spentMicros("a", "USD", HOUR, 90 * MIN));
        totals.counted(usd("a", 4_000_000, 100 * MIN));
        totals.counted(usd("a", 8_000_000, 40 * MIN));       // older than the window ending at slot 100
        assertEquals(4_000_000, totals.spentMicros("a", "USD", HOUR, 100 * MIN));
        assertEquals(4_000_000, totals.spentMicros("a", "USD", HOUR, 0),
                "an earlier time does not move the window back");
    }

    @Test
    void includingAPendingAmountCountsItWithoutChangingTheTotals() {
        AgentSpendBook book = new AgentSpendBook();
        AgentSpendTotals counted = new AgentSpendTotals();
        counted.counted(usd("a", 6_000_000, 0));
        book.put(AgentSpend.totalKey("a", "USD", HOUR), AgentSpendBook.decode(
                AgentSpendBook.encode(counted.totals.get(AgentSpend.totalKey("a", "USD", HOUR)))));
        AgentSpendView seen = book.including(usd("a", 3_000_000, MIN));
        assertEquals(9_000_000, seen.spentMicros("a", "USD", HOUR, MIN));
        assertEquals(0, seen.spentMicros("a", "USD", 2 * HOUR, MIN), "another window's total has not the pending amount");
        assertEquals(0, seen.spentMicros("b", "USD", HOUR, MIN), "nor another agent's");
        assertEquals(6_000_000, book.spentMicros("a", "USD", HOUR, MIN), "the book is unchanged");
        assertEquals(4_000_000, new AgentSpendBook().including(usd("a", 4_000_000, MIN))
                .spentMicros("a", "USD", HOUR, MIN), "an agent the book does not know yet");
    }

    @Test
    void totalsAndAmountsRoundTripAndGarbageIsRefused() {
        RollingSlots total = new RollingSlots();
        total.count(5 * MIN, 42, HOUR);
        byte[] bytes = AgentSpendBook.encode(total);
        assertArrayEquals(bytes, AgentSpendBook.encode(AgentSpendBook.decode(bytes)));
        assertEquals(42, AgentSpendBook.decode(bytes).sumInWindow(5 * MIN));
        assertThrows(IllegalArgumentException.class, () -> AgentSpendBook.decode(new byte[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> AgentSpendBook.decode(new byte[] {9}));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> AgentSpendBook.decode(longer));

        AgentSpend spend = new AgentSpend("agent/7", "EUR", 1_500_000, -5, HOUR);
        assertEquals(spend, AgentSpend.decode(spend.encode()));
        assertThrows(IllegalArgumentException.class, () -> AgentSpend.decode(new byte[] {3, 'a'}));
        assertEquals("EUR/3600000/agent/7", spend.totalKey(), "the agent last: any agent id makes one key");
        assertEquals(true, AgentSpend.isTotalKey(spend.totalKey()));
        assertEquals(false, AgentSpend.isTotalKey("agent-7@0000000000000"));
    }
}
