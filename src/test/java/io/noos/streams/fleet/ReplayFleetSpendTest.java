package io.noos.streams.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.fleet.FleetView.FleetSpend;
import org.junit.jupiter.api.Test;

/**
 * The replay's fleet spend by the fleet statistics' rules: per window, the users with output
 * tokens and the lower median of their totals (exact below 23 tokens: a bucket there holds one
 * whole number); late events (their window ended at least the grace before the newest event
 * time) are not counted.
 */
class ReplayFleetSpendTest {
    private static final long A = 1_767_225_600_000L;
    private static final long MIN = 60_000;

    @Test
    void aWindowsFiguresAreItsSpendingUsersAndTheLowerMedianOfTheirTotals() {
        ReplayFleetSpend fleet = new ReplayFleetSpend(10_000);
        assertNull(fleet.spendIn(A));
        fleet.onEvent("u1", A + 1_000, 0);                 // not a cost: the window is known, nobody spent
        assertEquals(new FleetSpend(A, 0, 0.0), fleet.spendIn(A));
        fleet.onEvent("u1", A + 2_000, 4);
        fleet.onEvent("u2", A + 3_000, 10);
        fleet.onEvent("u3", A + 4_000, 7);
        fleet.onEvent("u1", A + 5_000, 11);                // u1: 15
        assertEquals(new FleetSpend(A, 3, 10.0), fleet.spendIn(A), "7, 10, 15: the middle one");
        fleet.onEvent("u4", A + 6_000, 1);
        assertEquals(new FleetSpend(A, 4, 7.0), fleet.spendIn(A), "1, 7, 10, 15: the lower middle one");

        fleet.onEvent("u5", A + MIN + 1_000, 20);
        assertEquals(new FleetSpend(A + MIN, 1, 20.0), fleet.spendIn(A + MIN));
        assertEquals(new FleetSpend(A, 4, 7.0), fleet.spendIn(A), "the previous window is kept");
        // A ended at A+60s; with 10 s grace it closes when the newest event time reaches A+70s.
        fleet.onEvent("u5", A + 8_000, 19);                // not late yet: u5 has 19 in A
        assertEquals(new FleetSpend(A, 5, 10.0), fleet.spendIn(A), "1, 7, 10, 15, 19");
        assertEquals(2, fleet.openWindows());
        fleet.onEvent("u6", A + MIN + 10_000, 3);
        assertEquals(1, fleet.openWindows(), "A closed: its users' totals are dropped, its figures kept");
        fleet.onEvent("u7", A + 9_000, 1_000_000);         // late: counted nowhere
        assertEquals(new FleetSpend(A, 5, 10.0), fleet.spendIn(A));
        assertEquals(new FleetSpend(A + MIN, 2, 3.0), fleet.spendIn(A + MIN), "3, 20: the lower middle one");
    }

    @Test
    void keepsTheNewestTenWindows() {
        ReplayFleetSpend fleet = new ReplayFleetSpend(0);
        for (int m = 0; m < 12; m++) {
            fleet.onEvent("u", A + m * MIN, 5);
        }
        assertNull(fleet.spendIn(A));
        assertNull(fleet.spendIn(A + MIN));
        assertEquals(new FleetSpend(A + 2 * MIN, 1, 5.0), fleet.spendIn(A + 2 * MIN));
        assertEquals(new FleetSpend(A + 11 * MIN, 1, 5.0), fleet.spendIn(A + 11 * MIN));
        assertEquals(1, fleet.openWindows());
    }
}
