package io.noos.streams.cli;

import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.CliRun;
import static io.noos.streams.testkit.Logs.line;
import static io.noos.streams.testkit.Logs.turnComplete;
import static io.noos.streams.testkit.Logs.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command's summary, report and --to-topic options (the Kafka path is in {@link ReplayToTopicIT}). */
class ReplayCommandReportTest {
    @TempDir
    Path dir;

    private Path log() throws Exception {
        return Files.writeString(dir.resolve("log.jsonl"), String.join("\n",
                line("alice", 1000, turnStart("refactor this function to be async")),
                line("alice", 1900, turnComplete("add logging and error handling")),
                "not an envelope",
                line("alice", 2000, turnStart("explain tokio runtime rust async")),
                line("alice", 2900, turnComplete("Tokio is async Rust runtime for scheduling event driven tasks and timers")))
                + "\n");
    }

    @Test
    void anOfflineReplayPrintsTheSummaryAndWritesItAsJson() throws Exception {
        Path summary = dir.resolve("summary.json");
        CliRun run = CliRun.of("replay", "--offline", "--input", log().toString(), "--output",
                dir.resolve("decisions.jsonl").toString(), "--summary", summary.toString(),
                "--scope-drift-threshold", "0.6");

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("events read: 4, decisions written: 4, bad lines: 1"), run.stdout());
        assertTrue(run.stdout().contains("replay summary (offline, "), run.stdout());
        assertTrue(run.stdout().contains("at the configured threshold 0.60: 1 turns; turns with a scope_drift_warn "
                + "decision: 1"), run.stdout());
        assertTrue(run.stdout().contains("summary written to " + summary), run.stdout());
        assertFalse(run.stderr().contains("\r"), "no bar when stderr is not a console");

        JsonNode j = Json.mapper().readTree(summary.toFile());
        assertEquals(0.6, j.at("/parameters/scope_drift_threshold").asDouble());
        assertEquals(1, j.at("/run/bad_lines").asLong());
        assertEquals(2, j.get("turns").asLong());
        assertEquals(2, j.at("/drift/threshold_sweep/5/turns").asLong(), "0.55: 1.0 and 5/9");
        assertEquals(1, j.at("/drift/threshold_sweep/6/turns").asLong(), "0.60: 1.0");
    }

    @Test
    void anOfflineReplayWithPricesSumsTheMoneyPerCurrencyAndCountsUnpricedCosts() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.json"), "{\"providers\": {\"openai\": {\"gpt-x\": "
                + "{\"input_per_million\": \"2\", \"output_per_million\": \"8\", \"currency\": \"USD\"}}}}");
        String cost = "{\"type\":\"cost\",\"tokens_in\":1000,\"tokens_out\":1000,\"wallclock_ms\":5,\"provider\":\"openai\"}";
        Path log = Files.writeString(dir.resolve("costs.jsonl"), String.join("\n",
                "{\"user_id\":\"a\",\"session_id\":\"s1\",\"at_ms\":1,\"model\":\"gpt-x\",\"event\":" + cost + "}",
                "{\"user_id\":\"a\",\"session_id\":\"s2\",\"at_ms\":2,\"model\":\"gpt-x\",\"event\":" + cost + "}",
                "{\"user_id\":\"b\",\"at_ms\":3,\"model\":\"other\",\"event\":" + cost + "}",
                "{\"user_id\":\"b\",\"at_ms\":4,\"reported_cost\":{\"amount\":\"1.5\",\"currency\":\"EUR\"},\"event\":"
                        + cost + "}") + "\n");
        Path summary = dir.resolve("spend.json");
        CliRun run = CliRun.of("replay", "--offline", "--input", log.toString(), "--output",
                dir.resolve("d.jsonl").toString(), "--summary", summary.toString(), "--prices", prices.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("spend: 1.500000 EUR, 0.020000 USD; 1 unpriced cost events"), run.stdout());
        JsonNode j = Json.mapper().readTree(summary.toFile());
        assertEquals("0.020000", j.at("/spend/amounts/USD").asText(), "two sessions of 0.01, the reset counted once each");
        assertEquals(1, j.at("/spend/unpriced_cost_events").asLong());

        CliRun bad = CliRun.of("replay", "--offline", "--input", log.toString(), "--output",
                dir.resolve("d2.jsonl").toString(), "--prices", log.toString());
        assertEquals(2, bad.exitCode(), bad.stderr());
        assertTrue(bad.stderr().contains("price file"), bad.stderr());
        assertFalse(bad.stderr().contains("\tat "), "no stack trace");
    }

    @Test
    void helpExplainsTheSummaryAndHowToReplayOnACluster() {
        CliRun run = CliRun.of("replay", "--help");
        assertEquals(0, run.exitCode());
        String help = run.stdout().replaceAll("\\s+", " ");
        for (String s : new String[] {"--to-topic", "--summary", "--report", "--no-progress", "--topic",
                "--application-id noos-replay-", "earliest offset", "noos.decisions.topic", "threshold sweep"}) {
            assertTrue(help.contains(s), s + " in " + help);
        }
    }

    @Test
    void optionsThatDoNotFitTheModeAreRejected() throws Exception {
        String input = log().toString();
        CliRun noOutput = CliRun.of("replay", "--offline", "--input", input);
        assertEquals(2, noOutput.exitCode());
        assertEquals("error: --output is required with --offline and --via-kafka\n", noOutput.stderr());

        CliRun topicOffline = CliRun.of("replay", "--offline", "--input", input, "--output", "x", "--topic", "t");
        assertEquals(2, topicOffline.exitCode());

        CliRun noCluster = CliRun.of("replay", "--to-topic", "--input", input);
        assertEquals(2, noCluster.exitCode());
        assertEquals("error: --to-topic needs --bootstrap-servers\n", noCluster.stderr());

        CliRun withOutput = CliRun.of("replay", "--to-topic", "--bootstrap-servers", "localhost:1", "--input", input,
                "--output", "x");
        assertEquals(2, withOutput.exitCode());
        assertEquals("error: --to-topic only produces: --output, --summary, --report, "
                + "--application-id and --state-dir do not apply (the service decides)\n", withOutput.stderr());

        assertEquals(2, CliRun.of("replay", "--to-topic", "--offline", "--input", input).exitCode(), "one mode");
    }
}
