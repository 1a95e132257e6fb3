package io.noos.streams.replay.report;

import static io.noos.streams.testkit.Logs.cost;
import static io.noos.streams.testkit.Logs.line;
import static io.noos.streams.testkit.Logs.quality;
import static io.noos.streams.testkit.Logs.token;
import static io.noos.streams.testkit.Logs.toolCall;
import static io.noos.streams.testkit.Logs.turnComplete;
import static io.noos.streams.testkit.Logs.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.Logs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Summaries of small hand-made logs. Every expected number is derived by hand from the regulator
 * spec ({@code ../shared/spec/regulator.md}): §8 for drift scores, §11 for tool loops, §9 and §13
 * for the cost cap.
 */
class ReplayReportTest {
    private static final double FIVE_NINTHS = 5.0 / 9.0;

    @TempDir
    Path dir;

    /**
     * One user, three turns (spec §8 and §19 item 17):
     * <ol>
     *   <li>"refactor this function to be async" / "add logging and error handling": T = function,
     *       refactor, async; R = handling, logging, error; nothing anchored: drift 3/3 = 1.0;</li>
     *   <li>"explain tokio runtime rust async" / "Tokio is async Rust runtime for scheduling event
     *       driven tasks and timers": 4 of 9 response keywords anchored: drift 5/9 ≈ 0.556;</li>
     *   <li>"refactor the async function" / "refactor async function": an echo, drift 0.0.</li>
     * </ol>
     * Decisions at the default threshold 0.5 (rule 4 is inclusive): turn_start → continue (no
     * response yet), then warn 1.0, continue, warn 5/9, continue, continue (0.0 &lt; 0.5).
     */
    private static final String[] THREE_TURNS = {
            line("alice", 1000, turnStart("refactor this function to be async")),
            line("alice", 1100, token()),
            line("alice", 1900, turnComplete("add logging and error handling")),
            line("alice", 2000, turnStart("explain tokio runtime rust async")),
            line("alice", 2900, turnComplete("Tokio is async Rust runtime for scheduling event driven tasks and timers")),
            line("alice", 3000, turnStart("refactor the async function")),
            line("alice", 3900, turnComplete("refactor async function")),
    };

    private ReplayReport replay(Map<String, String> flags, String... lines) throws IOException {
        Path input = Files.writeString(dir.resolve("log.jsonl"), String.join("\n", lines) + "\n");
        ServiceConfig config = ServiceConfig.load(null, Map.of(), flags);
        SummarizedReplay.Result result = SummarizedReplay.offline(config, input, dir.resolve("decisions.jsonl"),
                bad -> { }, new ReplayProgress(System.err, ReplayProgress.Style.OFF, System::nanoTime));
        assertEquals(result.summary().decisionsWritten(), result.report().run().decisions());
        return result.report();
    }

    @Test
    void threeTurnsGiveTheHistogramAndSweepDerivedByHand() throws IOException {
        ReplayReport r = replay(Map.of(), THREE_TURNS);

        assertEquals(7, r.run().eventsRead());
        assertEquals(6, r.run().decisions(), "no decision after the token");
        assertEquals(1, r.users());
        assertEquals(3, r.turns());
        assertEquals(new ReplayReport.KindCount("continue", 4, 3), r.kind("continue"));
        assertEquals(new ReplayReport.KindCount("scope_drift_warn", 2, 2), r.kind("scope_drift_warn"));
        assertEquals(new ReplayReport.KindCount("procedural_warning", 0, 0), r.kind("procedural_warning"));
        assertEquals(new ReplayReport.KindCount("circuit_break", 0, 0), r.kind("circuit_break"));
        assertEquals(List.of("continue", "scope_drift_warn", "procedural_warning", "circuit_break"),
                r.decisionsByKind().stream().map(ReplayReport.KindCount::kind).toList());
        assertEquals(3, r.breaksByReason().size());
        assertEquals(0, r.halts().usersHalted());

        ReplayReport.Drift d = r.drift();
        assertEquals(3, d.turnsScored(), "the echo turn is scored too: 0.0");
        assertEquals(0, d.turnsUnscored());
        // bins: 0.0 -> [0.0, 0.1); 5/9 -> [0.5, 0.6); 1.0 -> [0.9, 1.0]
        assertEquals(List.of(1L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 1L), binCounts(d));
        // 0.30 ... 0.55: 1.0 and 5/9 (0.5556 >= 0.55); 0.60 ... 0.90: 1.0 only
        assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 2L, 1L, 1L, 1L, 1L, 1L, 1L, 1L), sweepCounts(d));
        assertEquals(2.0 / 3.0, d.sweep().get(0).shareOfScored(), 1e-12);
        ReplayReport.Stats s = d.stats();
        assertEquals(3, s.count());
        assertEquals(0.0, s.min());
        assertEquals((1.0 + FIVE_NINTHS + 0.0) / 3, s.mean(), 1e-12);   // 14/27
        assertEquals(FIVE_NINTHS, s.p50(), 1e-12, "nearest rank: ceil(0.5 * 3) = 2nd of [0, 5/9, 1]");
        assertEquals(1.0, s.p95(), "ceil(0.95 * 3) = 3rd");
        assertEquals(1.0, s.max());
        assertEquals(0.5, d.configuredThreshold());
        assertEquals(2, d.turnsAtConfigured());
        assertEquals(2, d.turnsWithWarnDecision());
    }

    @Test
    void theSweepDoesNotDependOnTheConfiguredThreshold() throws IOException {
        ReplayReport at05 = replay(Map.of(), THREE_TURNS);
        ReplayReport at06 = replay(Map.of(ServiceConfig.SCOPE_DRIFT_THRESHOLD, "0.6"), THREE_TURNS);

        assertEquals(new ReplayReport.KindCount("scope_drift_warn", 1, 1), at06.kind("scope_drift_warn"),
                "5/9 < 0.6: only the first turn warns");
        assertEquals(new ReplayReport.KindCount("continue", 5, 3), at06.kind("continue"));
        assertEquals(at05.drift().histogram(), at06.drift().histogram());
        assertEquals(at05.drift().sweep(), at06.drift().sweep());
        assertEquals(at05.drift().stats(), at06.drift().stats());
        assertEquals(1, at06.drift().turnsAtConfigured());
        assertEquals(1, at06.drift().turnsWithWarnDecision());

        ReplayReport at1 = replay(Map.of(ServiceConfig.SCOPE_DRIFT_THRESHOLD, "1.0"), THREE_TURNS);
        assertEquals(1, at1.drift().turnsWithWarnDecision(), "1.0 >= 1.0: inclusive");
        ReplayReport at0 = replay(Map.of(ServiceConfig.SCOPE_DRIFT_THRESHOLD, "0.0"), THREE_TURNS);
        assertEquals(3, at0.drift().turnsWithWarnDecision(), "0.0 >= 0.0: the echo turn warns at 0.0");
        assertEquals(at05.drift().sweep(), at0.drift().sweep());
    }

    /**
     * Halts.
     * <ul>
     *   <li>bob, turn 1: six calls of one tool (§11: a loop from the 5th call; it lasts until the next
     *       turn_start, so the 6th call and the drifting turn_complete break too): 3 circuit_break
     *       records, 1 halted turn; the drift of that turn is never evaluated (rule 3 before rule 4),
     *       so it has no score. Turn 2: "refactor async function" / "refactored async function
     *       completely": drift 1/4 = 0.25 (§8), continue.</li>
     *   <li>carol, cost cap 1000: 1200 output tokens, then qualities 0.3, 0.3, 0.3: with fewer than 3
     *       qualities the mean counts as 1.0 (no break); at the third the mean is 0.3 &lt; 0.5 and the
     *       cap is reached: cost_cap_reached. No decline (0.3 - 0.3 = 0 &lt; 0.15). Turn 2's turn_start
     *       breaks again (the totals and the qualities stay): 2 records, 2 halted turns.</li>
     *   <li>dave: one turn_start, continue.</li>
     * </ul>
     */
    @Test
    void haltsAreCountedPerUserAndPerTurn() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(line("bob", 1000, turnStart("find the duplicate orders in the order database")));
        for (int i = 1; i <= 6; i++) {
            lines.add(line("bob", 1000 + i, toolCall("search_orders")));
        }
        lines.add(line("bob", 1900, turnComplete("add logging and error handling")));
        lines.add(line("bob", 2000, turnStart("refactor async function")));
        lines.add(line("bob", 2900, turnComplete("refactored async function completely")));
        lines.add(line("carol", 1000, turnStart("summarize the quarterly sales report")));
        lines.add(line("carol", 1500, cost(1200)));
        lines.add(line("carol", 1600, quality(0.3)));
        lines.add(line("carol", 1700, quality(0.3)));
        lines.add(line("carol", 1800, quality(0.3)));
        lines.add(line("carol", 2000, turnStart("summarize the annual sales report")));
        lines.add(line("dave", 1000, turnStart("hello there friend")));

        ReplayReport r = replay(Map.of(ServiceConfig.COST_CAP, "1000"), lines.toArray(String[]::new));

        assertEquals(3, r.users());
        assertEquals(5, r.turns(), "bob 2, carol 2, dave 1");
        assertEquals(new ReplayReport.KindCount("circuit_break", 5, 3), r.kind("circuit_break"));
        assertEquals(new ReplayReport.KindCount("continue", 12, 4), r.kind("continue"),
                "bob: turn_start + 4 calls, then turn 2's two; carol: turn_start, cost, 2 qualities; dave: 1");
        assertEquals(new ReplayReport.KindCount("scope_drift_warn", 0, 0), r.kind("scope_drift_warn"));
        assertEquals(new ReplayReport.KindCount("repeated_tool_call_loop", 3, 1), r.reason("repeated_tool_call_loop"));
        assertEquals(new ReplayReport.KindCount("cost_cap_reached", 2, 2), r.reason("cost_cap_reached"));
        assertEquals(new ReplayReport.KindCount("quality_decline_no_recovery", 0, 0),
                r.reason("quality_decline_no_recovery"));

        ReplayReport.Halts h = r.halts();
        assertEquals(2, h.usersHalted());
        assertEquals(3, h.haltedTurns());
        assertEquals(5, h.circuitBreakDecisions());
        assertEquals(List.of(
                new ReplayReport.UserHalts("carol", 2, 2, 2, Map.of("cost_cap_reached", 2L)),
                new ReplayReport.UserHalts("bob", 2, 1, 3, Map.of("repeated_tool_call_loop", 1L))), h.byUser());

        ReplayReport.Drift d = r.drift();
        assertEquals(1, d.turnsScored(), "bob's turn 2 only");
        assertEquals(4, d.turnsUnscored(), "bob 1 (masked by the loop), carol 1 and 2, dave 1 (no response)");
        assertEquals(List.of(0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), binCounts(d));
        assertTrue(d.sweep().stream().allMatch(p -> p.turns() == 0), "0.25 is below every swept threshold");
        assertEquals(new ReplayReport.Stats(1, 0.25, 0.25, 0.25, 0.25, 0.25), d.stats());
    }

    @Test
    void theJsonSummaryHoldsTheSameNumbers() throws IOException {
        ReplayReport r = replay(Map.of(), THREE_TURNS);
        Path file = dir.resolve("out/summary.json");
        ReportJson.write(r, file);

        JsonNode j = Json.mapper().readTree(file.toFile());
        assertEquals("noos-replay-summary/1", j.get("format").asText());
        assertEquals("offline", j.at("/parameters/mode").asText());
        assertEquals(0.5, j.at("/parameters/scope_drift_threshold").asDouble());
        assertTrue(j.at("/parameters/implicit_correction_window_ms").isNull());
        assertEquals(6, j.at("/run/decisions").asLong());
        assertEquals(3, j.get("turns").asLong());
        assertEquals(4, j.at("/decisions_by_kind/continue/decisions").asLong());
        assertEquals(2, j.at("/decisions_by_kind/scope_drift_warn/turns").asLong());
        assertEquals(0, j.at("/circuit_breaks_by_reason/repeated_tool_call_loop/turns").asLong());
        assertEquals(0, j.at("/halts/users").size());
        assertEquals(10, j.at("/drift/histogram").size());
        assertEquals(0.5, j.at("/drift/histogram/5/from").asDouble());
        assertEquals(1, j.at("/drift/histogram/5/turns").asLong());
        assertEquals(13, j.at("/drift/threshold_sweep").size());
        assertEquals(0.6, j.at("/drift/threshold_sweep/6/threshold").asDouble());
        assertEquals(1, j.at("/drift/threshold_sweep/6/turns").asLong());
        assertEquals(FIVE_NINTHS, j.at("/drift/stats/p50").asDouble(), 1e-12);
        assertEquals(2, j.at("/drift/turns_at_configured_threshold").asLong());
    }

    @Test
    void anEmptyLogGivesAnEmptySummaryWithoutStatistics() throws IOException {
        ReplayReport r = replay(Map.of(), line("erin", 1, token()));
        assertEquals(0, r.turns());
        assertEquals(0, r.drift().stats().count());
        assertTrue(Double.isNaN(r.drift().stats().mean()));
        JsonNode j = Json.mapper().readTree(ReportJson.toJson(r));
        assertTrue(j.at("/drift/stats/mean").isNull());
        assertTrue(ReportText.format(r).contains("0 turns scored"));
        assertTrue(HtmlReport.render(r).contains("&ndash;"), "statistics without data shown as a dash");
    }

    @Test
    void theTextSummaryShowsKindsHaltsHistogramAndSweep() throws IOException {
        String text = ReportText.format(replay(Map.of(), THREE_TURNS));
        assertTrue(text.contains("users: 1, turns: 3"), text);
        assertTrue(text.matches("(?s).*\\n  continue +4 +3\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  scope_drift_warn +2 +2\\n.*"), text);
        assertTrue(text.contains("halts: 0 of 1 users halted at least once"), text);
        assertTrue(text.contains("count 3  min 0.000  mean 0.519  p50 0.556  p95 1.000  max 1.000"), text);
        assertTrue(text.matches("(?s).*\\[0\\.5, 0\\.6\\) +1 .*"), text);
        assertTrue(text.matches("(?s).*\\n  0\\.50 +2 .*<- configured\\n.*"), text);
        assertTrue(text.matches("(?s).*\\n  0\\.60 +1 .*"), text);
        assertTrue(text.contains("at the configured threshold 0.50: 2 turns; turns with a scope_drift_warn decision: 2"),
                text);
    }

    private static List<Long> binCounts(ReplayReport.Drift d) {
        return d.histogram().stream().map(ReplayReport.Bin::turns).toList();
    }

    private static List<Long> sweepCounts(ReplayReport.Drift d) {
        return d.sweep().stream().map(ReplayReport.SweepPoint::turns).toList();
    }

    @Test
    void sweepThresholdsAreTheDecimalsAndBinsFollowTheRegulatorsComparison() {
        List<Double> expected = new ArrayList<>();
        for (String t : List.of("0.30", "0.35", "0.40", "0.45", "0.50", "0.55", "0.60", "0.65", "0.70", "0.75",
                "0.80", "0.85", "0.90")) {
            expected.add(Double.parseDouble(t));   // what --scope-drift-threshold 0.35 gives the regulator
        }
        assertEquals(expected, ReplayStats.SWEEP_THRESHOLDS);
        Map<Double, Integer> bins = new HashMap<>();
        bins.put(0.0, 0);
        bins.put(0.1, 1);
        bins.put(0.3, 3);
        bins.put(0.7, 7);
        bins.put(0.6, 6);
        bins.put(FIVE_NINTHS, 5);
        bins.put(0.25, 2);
        bins.put(0.95, 9);
        bins.put(1.0, 9);
        for (int n = 1; n <= 20; n++) {   // every drift score the regulator can give: k / n, n <= 20 keywords
            for (int k = 0; k <= n; k++) {
                double s = (double) k / n;
                int b = ReplayStats.bin(s);
                assertTrue(s >= b / 10.0 && (b == 9 || !(s >= (b + 1) / 10.0)), k + "/" + n + " in bin " + b);
            }
        }
        bins.forEach((s, b) -> assertEquals(b, ReplayStats.bin(s), "bin of " + s));
        double[] sorted = {0.0, 0.25, 0.5, 0.5, 1.0};
        assertEquals(3, ReplayStats.atLeast(sorted, 0.5));
        assertEquals(1, ReplayStats.atLeast(sorted, 0.55));
        assertEquals(0.5, ReplayStats.nearestRank(sorted, 0.5), "ceil(2.5) = 3rd");
        assertEquals(1.0, ReplayStats.nearestRank(sorted, 0.95));
    }
}
