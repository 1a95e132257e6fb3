package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.fleet.FleetView;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rule: warn when the user's output tokens in the current minute are at least `multiple` times
 * the fleet median of the minute before, at least min_tokens_out, with min_fleet_users spenders.
 */
class FleetSpendAnomalyDetectorTest {
    private static final long MINUTE = 60_000;
    private static final long W = 100 * MINUTE;   // the current window's start

    private static DetectorTestSupport detector(FleetView fleet) {
        DetectorTestSupport d = new DetectorTestSupport(new FleetSpendAnomalyDetector(),
                Map.of("multiple", 4.0, "min_tokens_out", 500.0, "min_fleet_users", 3.0));
        d.fleet = fleet;
        return d;
    }

    private static FleetView medianBefore(long users, double median) {
        return start -> start == W - MINUTE ? new FleetView.FleetSpend(start, users, median) : null;
    }

    private static AgentEvent out(long tokens) {
        return new AgentEvent.Cost(10, tokens, 100, null);
    }

    @Test
    void warnsAtTheMultipleOfTheMedianOfTheMinuteBefore() {
        DetectorTestSupport d = detector(medianBefore(10, 200));
        d.on(out(500), W + 1_000);
        assertNull(d.check(), "500 / 200 = 2.5 < 4");
        d.on(out(300), W + 2_000);
        Decision decision = d.roundTrip().check();
        assertEquals(new Decision.SpendAnomalyWarn(800, 200, 4.0, W, W - MINUTE, 10), decision);
    }

    @Test
    void silentWithoutEnoughOfAFleetOrSpend() {
        DetectorTestSupport few = detector(medianBefore(2, 10));
        few.on(out(5_000), W);
        assertNull(few.check(), "2 spending users < 3");
        DetectorTestSupport unknown = detector(FleetView.NONE);
        unknown.on(out(5_000), W);
        assertNull(unknown.check(), "no fleet figures");
        DetectorTestSupport small = detector(medianBefore(10, 10));
        small.on(out(400), W);
        assertNull(small.check(), "400 < min_tokens_out 500 although 40x the median");
    }

    @Test
    void theCountRestartsEachMinute() {
        DetectorTestSupport d = detector(start -> new FleetView.FleetSpend(start, 10, 100));
        d.on(out(1_000), W - 1);
        assertEquals(10.0, ((Decision.SpendAnomalyWarn) d.check()).ratio(), 1e-12);
        d.on(new AgentEvent.TurnStart("hello"), W + 5);
        assertNull(d.check(), "nothing spent yet in the new minute");
        d.on(out(400), W + 10);
        assertNull(d.check(), "400 < 500");
    }
}
