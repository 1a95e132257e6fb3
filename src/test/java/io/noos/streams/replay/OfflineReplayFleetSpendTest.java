package io.noos.streams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.noos.streams.core.Decision;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet_spend_anomaly} in the offline replay of a hand-made log: the fleet's spend of a
 * window is what the replay counted of it (duplicates and late events excluded, as the service's
 * fleet statistics do), and it is known as soon as the window's events were replayed. Expected
 * decisions follow the detector's rule (5 times the previous window's median, at least 1000 tokens,
 * at least 3 users) and the histogram's: the median of 300, 400, 500 is 400, reported as its
 * bucket's middle {@code 2^(138.5/16)} ≈ 403.45 ({@code ⌊16·log2 400⌋ = 138}).
 */
class OfflineReplayFleetSpendTest {
    private static final long A = 1_767_225_600_000L;
    private static final long B = A + 60_000;
    private static final double MEDIAN_A = Math.pow(2, 138.5 / 16);

    @TempDir
    Path dir;

    private static String cost(String eventId, String user, long at, long tokensOut) {
        return TestEvent.user(user).id(eventId).agent("agent-1").session("s1").at(at).json(Logs.cost(0, tokensOut));
    }

    private static String turnStart(String eventId, String user, long at) {
        return TestEvent.user(user).id(eventId).session("s1").at(at).json(Logs.turnStart("plan the sprint"));
    }

    private List<DecisionRecord> replay(TopologySettings settings, String... lines) throws IOException {
        Path input = Files.writeString(dir.resolve("log.jsonl"), String.join("\n", lines) + "\n");
        List<DecisionRecord> decided = new ArrayList<>();
        new OfflineReplay(settings).run(input, dir.resolve("decisions.jsonl"), bad -> {
            throw new AssertionError("bad line " + bad);
        }, (state, decision) -> {
            if (decision != null) {
                decided.add(decision);
            }
        });
        return decided;
    }

    private static TopologySettings withDetector() {
        return TopologySettings.builder().userSettings(UserSettings.DEFAULTS.withDetectors(DetectorSettings.of(
                Map.of("fleet_spend_anomaly", Map.of("enabled", 1.0, "min_fleet_users", 3.0)), DetectorRegistry.BUILT_IN))).build();
    }

    private static final String[] LOG = {
            cost("a1", "f1", A + 1_000, 300),
            cost("a2", "f2", A + 2_000, 400),
            cost("a1", "f1", A + 2_500, 300),          // f1's first cost delivered again: not applied, not counted
            cost("a3", "f3", A + 3_000, 500),
            cost("b1", "early", B + 1_000, 4_000),      // A is complete: 4000 / 403.45 ≈ 9.91 → warned
            cost("b2", "normal", B + 2_000, 1_200),     // 1200 / 403.45 ≈ 2.97 → continue
            turnStart("b3", "clock", B + 15_000),       // the newest event time passes A's end + 10 s grace
            cost("a4", "late", A + 5_000, 100_000),     // late for A: counted in no window
            cost("b4", "heavy", B + 20_000, 2_100),     // 2100 / 403.45 ≈ 5.2, with A still 3 users
            cost("b5", "normal", B + 21_000, 900),      // normal's window total 2100: warned too
    };

    @Test
    void usersSpendingManyTimesTheMedianOfTheWindowBeforeAreWarned() throws IOException {
        List<DecisionRecord> d = replay(withDetector(), LOG);

        assertEquals(List.of("f1", "f2", "f3", "early", "normal", "clock", "late", "heavy", "normal"),
                d.stream().map(DecisionRecord::userId).toList(), "the duplicate is not decided");
        for (int i : new int[] {0, 1, 2, 4, 5}) {
            assertInstanceOf(Decision.Continue.class, d.get(i).decision(), d.get(i).userId());
        }
        assertInstanceOf(Decision.Continue.class, d.get(6).decision(), "late's own window (A) has no window before it");
        assertWarned(d.get(3).decision(), 4_000, B);
        assertWarned(d.get(7).decision(), 2_100, B);
        assertWarned(d.get(8).decision(), 2_100, B);
    }

    private static void assertWarned(Decision decision, long spent, long window) {
        Decision.SpendAnomalyWarn w = assertInstanceOf(Decision.SpendAnomalyWarn.class, decision);
        assertEquals(spent, w.userTokensOut());
        assertEquals(MEDIAN_A, w.fleetMedianTokensOut(), 1e-9, "300, 400, 500: not 600 (the duplicate), 3 users (not the late one)");
        assertEquals(spent / MEDIAN_A, w.ratio(), 1e-9);
        assertEquals(window, w.windowStartMs());
        assertEquals(A, w.fleetWindowStartMs());
        assertEquals(3, w.fleetUsers());
    }

    @Test
    void withoutTheDetectorTheSameLogIsDecidedAsBefore() throws IOException {
        List<DecisionRecord> d = replay(TopologySettings.defaults(), LOG);
        assertEquals(9, d.size());
        d.forEach(r -> assertInstanceOf(Decision.Continue.class, r.decision(), r.userId()));
    }
}
