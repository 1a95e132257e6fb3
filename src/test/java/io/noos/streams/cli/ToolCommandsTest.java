package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The produce, consume and replay commands' command lines (the Kafka paths are covered by the ITs). */
class ToolCommandsTest {
    @TempDir
    Path dir;

    @Test
    void everyToolCommandHasHelp() {
        for (String command : List.of("produce", "consume", "replay")) {
            CliRun run = CliRun.of(command, "--help");
            assertEquals(0, run.exitCode(), command);
            assertTrue(run.stdout().startsWith("Usage: noos-streams " + command), run.stdout());
        }
    }

    @Test
    void offlineReplayWritesDecisionsAndASummaryAndReportsBadLines() throws IOException {
        Path input = Files.writeString(dir.resolve("log.jsonl"), String.join("\n",
                "{\"user_id\":\"alice\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"refactor this function to be async\"}}",
                "{\"user_id\":\"alice\",\"at_ms\":2,\"event\":{\"type\":\"token\",\"token\":\"a\",\"logprob\":-1.0,\"index\":0}}",
                "oops",
                "{\"user_id\":\"alice\",\"at_ms\":3,\"event\":{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}}"));
        Path output = dir.resolve("out/decisions.jsonl");

        CliRun run = CliRun.of("replay", "--offline", "--input", input.toString(), "--output", output.toString(),
                "--cost-cap", "2000");

        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("events read: 3, decisions written: 2, bad lines: 1"), run.stdout());
        assertTrue(run.stderr().contains(input + ":3: skipped, not valid JSON"), run.stderr());
        List<String> decisions = Files.readAllLines(output);
        assertEquals(2, decisions.size());
        assertTrue(decisions.get(1).contains("\"event_id\":\"log.jsonl#4\""), decisions.get(1));
        assertTrue(decisions.get(1).contains("\"noos.cost_cap_tokens\":2000.0"), decisions.get(1));
    }

    @Test
    void replayNeedsExactlyOneModeAndRunsOnItsOwn() {
        assertEquals(2, CliRun.of("replay", "--input", "a", "--output", "b").exitCode());
        assertEquals(2, CliRun.of("replay", "--offline", "--via-kafka", "--input", "a", "--output", "b").exitCode());
        CliRun withBroker = CliRun.of("replay", "--offline", "--input", "a", "--output", "b",
                "--bootstrap-servers", "localhost:9092");
        assertEquals(2, withBroker.exitCode());
        assertEquals("error: replay runs on its own: --bootstrap-servers, --application-id and "
                + "--state-dir cannot be used with it\n", withBroker.stderr());
    }
}
