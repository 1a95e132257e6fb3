package io.noos.streams.cli;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import io.noos.streams.testkit.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay --log-format spans}: OTel span logs decided like an envelope log. */
class ReplaySpansCommandTest {

    private static Path resource(String name) throws Exception {
        return Path.of(ReplaySpansCommandTest.class.getClassLoader().getResource("otel/ingest/" + name).toURI());
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(tree(line));
        }
        return out;
    }

    @Test
    void fiveExecuteToolSpansOfOneToolBreakTheLoopOnTheFifthCall(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("decisions.jsonl");
        int exit = NoosStreamsCli.commandLine().execute("replay", "--offline", "--log-format", "spans",
                "--input", resource("loop.jsonl").toString(), "--output", out.toString(), "--no-progress");
        assertEquals(0, exit);
        List<JsonNode> toolCalls = lines(out).stream()
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
    void spansAndLogRecordsInSeveralFilesWithTheIngestInTheSummaryAndTheReport(@TempDir Path dir) throws Exception {
        Path spans = resource("shapes/openai-v2-latest-event-only.jsonl");
        Path logs = resource("shapes/openai-v2-latest-event-only-logs.jsonl");
        Path summary = dir.resolve("summary.json");
        Path report = dir.resolve("report.html");

        CliRun run = CliRun.of("replay", "--offline", "--log-format", "spans", "--input", spans.toString(),
                "--input", logs.toString(), "--output", dir.resolve("d.jsonl").toString(), "--summary",
                summary.toString(), "--report", report.toString(), "--no-progress");

        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode s = Json.mapper().readTree(summary.toFile());
        assertEquals(spans + ", " + logs, s.get("parameters").get("input").asText());
        JsonNode ingest = s.get("ingest");
        assertEquals(2, ingest.get("inputs").size());
        assertEquals(logs.toString(), ingest.get("inputs").get(1).get("file").asText());
        assertEquals(4, ingest.get("inputs").get(1).get("log_records").asLong());
        assertEquals(4, ingest.get("messages_from").get("details_event").asLong());
        assertEquals(2, ingest.get("tool_calls").get("joined").asLong());
        assertEquals(0, ingest.get("issues").size());
        // the replay and the ingest count turns alike
        assertEquals(2, s.get("turns").asLong());
        assertEquals(s.get("turns").asLong(), ingest.get("turns").asLong());

        String html = Files.readString(report);
        assertTrue(html.contains("<h2>Span ingest</h2>"), html);
        assertTrue(html.contains(logs.toString()), html);
        assertTrue(html.contains("Nothing was left unmapped."), html);
        assertFalse(html.contains("noos-spans-"), "the temporary envelope file is not the input");
    }

    @Test
    void damagedAndUnknownRecordsInAFurtherInputAreReportedUnderItsNameAndTheRestIsDecided(@TempDir Path dir)
            throws Exception {
        Path spans = resource("shapes/openai-v2-latest-event-only.jsonl");
        Path logs = resource("shapes/openai-v2-latest-event-only-logs.jsonl");
        Path extra = Files.writeString(dir.resolve("extra.jsonl"), String.join("\n",
                "{\"resourceSpans\": [",   // cut short
                "{\"event_name\":\"gen_ai.some.future.event\",\"body\":{},\"trace_id\":\"0x5b8aa5a2d2c872e8321cf37308d69df1\","
                        + "\"span_id\":\"0x051581bf3cb55c01\"}",
                "[1, 2]") + "\n");
        Path clean = dir.resolve("clean.jsonl");
        Path withExtra = dir.resolve("with-extra.jsonl");
        Path summary = dir.resolve("summary.json");
        assertEquals(0, CliRun.of("replay", "--offline", "--log-format", "spans", "--input", spans.toString(),
                "--input", logs.toString(), "--output", clean.toString(), "--no-progress").exitCode());

        CliRun run = CliRun.of("replay", "--offline", "--log-format", "spans", "--input", spans.toString(),
                "--input", extra.toString(), "--input", logs.toString(), "--output", withExtra.toString(),
                "--summary", summary.toString(), "--no-progress");

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(lines(clean).stream().map(n -> n.get("decision")).toList(),
                lines(withExtra).stream().map(n -> n.get("decision")).toList());
        JsonNode ingest = Json.mapper().readTree(summary.toFile()).get("ingest");
        List<String> files = new ArrayList<>();
        ingest.get("inputs").forEach(i -> files.add(i.get("file").asText()));
        assertEquals(List.of(spans.toString(), extra.toString(), logs.toString()), files);
        Map<String, String> firstPlaceOf = new HashMap<>();
        ingest.get("issues").forEach(i -> firstPlaceOf.put(i.get("issue").asText(), i.get("examples").get(0).asText()));
        assertEquals(Map.of("unparseable_line", "extra.jsonl:1", "unread_event", "extra.jsonl:2",
                "not_a_record", "extra.jsonl:3"), firstPlaceOf);
        assertFalse(run.stderr().contains("Exception"), run.stderr());
    }

    @Test
    void aMissingOrUnreadableInputIsAOneLineErrorNamingIt(@TempDir Path dir) throws Exception {
        Path spans = resource("shapes/openai-v2-latest-event-only.jsonl");
        Path missing = dir.resolve("gone.jsonl");
        Path notJson = Files.write(dir.resolve("binary.jsonl"), new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}', '\n'});
        Path out = dir.resolve("d.jsonl");

        CliRun absent = CliRun.of("replay", "--offline", "--log-format", "spans", "--input", spans.toString(),
                "--input", missing.toString(), "--output", out.toString(), "--no-progress");
        CliRun directory = CliRun.of("replay", "--offline", "--log-format", "spans", "--input", dir.toString(),
                "--output", out.toString(), "--no-progress");
        CliRun unreadable = CliRun.of("replay", "--offline", "--log-format", "spans", "--input", notJson.toString(),
                "--output", out.toString(), "--no-progress");

        assertEquals(2, absent.exitCode());
        assertEquals("error: --input " + missing + ": no such file", absent.stderr().strip());
        assertEquals(2, directory.exitCode());
        assertEquals("error: --input " + dir + ": is a directory, not a file", directory.stderr().strip());
        assertFalse(Files.exists(out), "nothing is written for a missing input");
        assertEquals(1, unreadable.exitCode());
        String[] errLines = unreadable.stderr().strip().split("\n");
        String last = errLines[errLines.length - 1];
        assertTrue(last.startsWith("error: ") && last.contains("binary.jsonl"), unreadable.stderr());
        assertTrue(unreadable.stderr().contains("unparseable_line: 1 (binary.jsonl:1)"), unreadable.stderr());
        assertFalse(unreadable.stderr().contains("Exception"), unreadable.stderr());
    }

    @Test
    void theSummaryNamesEveryIssueWithItsPlacesAndCountsTurnsAsTheReplay(@TempDir Path dir) throws Exception {
        Path summary = dir.resolve("summary.json");
        Path report = dir.resolve("report.html");

        CliRun run = CliRun.of("replay", "--offline", "--log-format", "spans", "--input",
                resource("unmappable.jsonl").toString(), "--output", dir.resolve("d.jsonl").toString(),
                "--summary", summary.toString(), "--report", report.toString(), "--no-progress");

        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode s = Json.mapper().readTree(summary.toFile());
        JsonNode ingest = s.get("ingest");
        JsonNode first = ingest.get("issues").get(0);
        assertEquals("unparseable_line", first.get("issue").asText());
        assertEquals(2, first.get("count").asLong());
        assertEquals("unmappable.jsonl:1", first.get("examples").get(0).asText());
        assertEquals(1, ingest.get("spans").get("other").asLong());
        assertEquals(s.get("turns").asLong(), ingest.get("turns").asLong());   // turn 0 only
        assertEquals(1, s.get("turns").asLong());
        assertTrue(Files.readString(report).contains("unmappable.jsonl:14"));
        assertTrue(run.stderr().contains("unparseable_line: 2 (unmappable.jsonl:1, unmappable.jsonl:14)"), run.stderr());
    }

    @Test
    void withoutAConversationIdAUsersCostRunsOnAcrossQuestionsUnlessOneSessionPerTraceIsAsked(@TempDir Path dir)
            throws Exception {
        // gus: two traces (no conversation id), 50 output tokens in each of three model calls
        Path continued = dir.resolve("continued.jsonl");
        Path perTrace = dir.resolve("per-trace.jsonl");
        assertEquals(0, CliRun.of("replay", "--offline", "--log-format", "spans", "--input",
                resource("no-content.jsonl").toString(), "--output", continued.toString(), "--no-progress").exitCode());
        assertEquals(0, CliRun.of("replay", "--offline", "--log-format", "spans", "--input",
                resource("no-content.jsonl").toString(), "--output", perTrace.toString(), "--session-per-trace",
                "--no-progress").exitCode());

        JsonNode last = lines(continued).get(lines(continued).size() - 1);
        assertTrue(last.get("session_id").isNull());
        assertEquals(150, last.get("metrics").get("noos.total_tokens_out").asLong());
        JsonNode lastPerTrace = lines(perTrace).get(lines(perTrace).size() - 1);
        assertEquals("91", lastPerTrace.get("session_id").asText());
        assertEquals(50, lastPerTrace.get("metrics").get("noos.total_tokens_out").asLong());   // reset
    }

    @Test
    void spanOptionsAndSeveralInputsNeedTheSpanLogFormat(@TempDir Path dir) throws Exception {
        String out = dir.resolve("d.jsonl").toString();
        CliRun two = CliRun.of("replay", "--offline", "--input", resource("loop.jsonl").toString(), "--input",
                resource("loop.jsonl").toString(), "--output", out);
        CliRun option = CliRun.of("replay", "--offline", "--input", resource("loop.jsonl").toString(),
                "--session-per-trace", "--output", out);

        assertEquals(2, two.exitCode());
        assertTrue(two.stderr().contains("several --input files need --log-format spans"), two.stderr());
        assertEquals(2, option.exitCode());
        assertTrue(option.stderr().contains("apply to --log-format spans only"), option.stderr());
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
