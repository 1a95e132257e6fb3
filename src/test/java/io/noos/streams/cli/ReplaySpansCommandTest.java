package io.noos.streams.cli;

import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.JsonTrees;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay --log-format spans}: an OTel span log decided like an envelope log. */
class ReplaySpansCommandTest {

    @Test
    void fiveExecuteToolSpansOfOneToolBreakTheLoopOnTheFifthCall(@TempDir Path dir) throws Exception {
        Path spans = Path.of(getClass().getClassLoader().getResource("otel/ingest/loop.jsonl").toURI());
        Path out = dir.resolve("decisions.jsonl");
        int exit = NoosStreamsCli.commandLine().execute("replay", "--offline", "--log-format", "spans",
                "--input", spans.toString(), "--output", out.toString(), "--no-progress");
        assertEquals(0, exit);
        List<String> lines = Files.readAllLines(out);
        List<JsonNode> toolCalls = lines.stream().map(JsonTrees::tree)
                .filter(n -> n.get("event_type").asText().equals("tool_call")).toList();
        assertEquals(5, toolCalls.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("continue", toolCalls.get(i).get("decision").get("kind").asText());
        }
        JsonNode reason = toolCalls.get(4).get("decision").get("reason");
        assertEquals("repeated_tool_call_loop", reason.get("kind").asText());
        assertEquals(5, reason.get("consecutive_count").asLong());
    }

    @Test
    void anUnknownLogFormatIsAClearError() {
        CliRun run = CliRun.of("replay", "--offline", "--log-format", "csv",
                "--input", "pom.xml", "--output", "/dev/null");
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("", run.stdout());
        assertEquals("error: --log-format must be envelopes or spans, got csv\n", run.stderr(), "one line, no stack trace");
    }

}
