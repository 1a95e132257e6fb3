package io.noos.streams.replay.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.replay.OfflineReplay;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift scores and the sweep on the replay sample (536 envelopes, 20 users, every decision
 * kind), checked against what they claim to be: the sweep at t is what a replay at threshold t
 * reports, and the scores are those of a separate replay at threshold 0.0 (the reference's
 * calibration recipe). The probe does not change a single decision.
 */
class DriftSweepTest {
    private static Path sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void findSample() throws URISyntaxException {
        sample = Path.of(DriftSweepTest.class.getResource("/replay/replay-sample.jsonl").toURI());
    }

    private static ServiceConfig config(String threshold) throws IOException {
        return ServiceConfig.load(null, Map.of(), Map.of(ServiceConfig.COST_CAP, "1500",
                ServiceConfig.SCOPE_DRIFT_THRESHOLD, threshold, ServiceConfig.IMPLICIT_WINDOW_MS, "60000"));
    }

    private SummarizedReplay.Result replay(String threshold, Path output) throws IOException {
        return SummarizedReplay.offline(config(threshold), sample, output, bad -> { },
                new ReplayProgress(System.err, ReplayProgress.Style.OFF, System::nanoTime));
    }

    @Test
    void eachSweepPointIsWhatAReplayAtThatThresholdWarns() throws IOException {
        ReplayReport at08 = replay("0.8", dir.resolve("at08.jsonl")).report();
        assertTrue(at08.drift().turnsScored() > 50, "the sample has enough scored turns: " + at08.drift().turnsScored());
        assertTrue(at08.drift().sweep().get(0).turns() > at08.drift().sweep().get(12).turns(), "the sweep is not flat");

        for (ReplayReport.SweepPoint point : at08.drift().sweep()) {
            ReplayReport atT = replay(Double.toString(point.threshold()), dir.resolve("t.jsonl")).report();
            assertEquals(point.turns(), atT.kind("scope_drift_warn").turns(), "turns warned at " + point.threshold());
            assertEquals(atT.drift().turnsAtConfigured(), atT.drift().turnsWithWarnDecision());
            assertEquals(at08.drift().sweep(), atT.drift().sweep(), "the sweep does not depend on the threshold");
        }
    }

    @Test
    void theScoresAreThoseOfASeparateReplayAtThresholdZero() throws IOException {
        ReplayReport probed = replay("0.8", dir.resolve("at08.jsonl")).report();

        // The calibration recipe: replay at 0.0; every evaluated drift then shows as a warning.
        Path atZero = dir.resolve("at0.jsonl");
        new OfflineReplay(config("0.0").topologySettings()).run(sample, atZero, bad -> { });
        Map<String, Double> maxPerTurn = new HashMap<>();
        for (String line : Files.readAllLines(atZero)) {
            JsonNode d = Json.mapper().readTree(line);
            if (d.at("/decision/kind").asText().equals("scope_drift_warn")) {
                maxPerTurn.merge(d.get("user_id").asText() + "#" + d.get("turn").asLong(),
                        d.at("/decision/drift_score").asDouble(), Math::max);
            }
        }
        double[] sorted = maxPerTurn.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        ReplayReport.Drift expected = ReplayStats.drift(sorted, probed.drift().turnsUnscored(), 0.8,
                probed.drift().turnsWithWarnDecision());

        assertEquals(expected, probed.drift());
    }

    @Test
    void theProbeChangesNoDecision() throws IOException {
        Path plain = dir.resolve("plain.jsonl");
        Path probed = dir.resolve("probed.jsonl");
        new OfflineReplay(config("0.8").topologySettings()).run(sample, plain, bad -> { });
        replay("0.8", probed);
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(probed));
    }
}
