package io.noos.streams.otel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real exports contain that tidy fixtures do not: conversations interleaved, spans and logs in
 * different encodings, parent spans missing, and damaged or unknown records among good ones. Good
 * records keep giving the script's envelopes; the rest is reported with a reason, never a crash.
 */
class MessyExportsTest {
    private static final IngestOptions OPTIONS = ExportEquivalenceTest.OPTIONS;

    @TempDir
    Path dir;

    private static List<ExportEquivalenceTest.Content> contents(List<EventEnvelope> envelopes) {
        return envelopes.stream().map(ExportEquivalenceTest.Content::of).toList();
    }

    private List<ExportEquivalenceTest.Content> solo(ScriptedExports.Shape shape, ScriptedExports.Party party)
            throws IOException {
        Path file = ScriptedExports.writeFile(dir.resolve("solo-" + party.salt() + ".jsonl"),
                ScriptedExports.records(shape, party), ScriptedExports.Encoding.OTLP_JSON_LINES);
        return contents(SpanFileIngest.read(List.of(file), OPTIONS).envelopes());
    }

    @Test
    void interleavedConversationsOfOneAndOfSeveralUsersStayApart() throws IOException {
        ScriptedExports.Shape shape = ScriptedExports.Shape.NO_ROOT_SPAN_ONLY;
        ScriptedExports.Party other = new ScriptedExports.Party("bo", "c-other", 1_000, 1);
        ScriptedExports.Party cy = new ScriptedExports.Party("cy", "c-cy", 500, 2);
        List<Object> records = ScriptedExports.interleaved(List.of(ScriptedExports.records(shape),
                ScriptedExports.records(shape, other), ScriptedExports.records(shape, cy)));
        Path file = ScriptedExports.writeFile(dir.resolve("all.jsonl"), records, ScriptedExports.Encoding.SDK_TO_JSON);

        IngestResult r = SpanFileIngest.read(List.of(file), OPTIONS);

        for (ScriptedExports.Party p : List.of(ScriptedExports.Party.BO, other, cy)) {
            assertEquals(solo(shape, p), contents(r.envelopes()).stream()
                    .filter(e -> e.user().equals(p.user()) && e.session().equals(p.conversation())).toList(), p.toString());
        }
        List<String> boTurnSessions = r.envelopes().stream().filter(e -> e.userId().equals("bo"))
                .filter(e -> ((EnvelopeEvent.Single) e.event()).event() instanceof AgentEvent.TurnStart)
                .map(EventEnvelope::sessionId).toList();
        assertEquals(List.of("c-loop", "c-other", "c-loop", "c-other"), boTurnSessions);
        assertEquals(Map.of(), r.report().issues());
        assertEquals(3, r.report().conversations());
        assertEquals(6, r.report().turns());
    }

    @Test
    void spansAndTheirLogRecordsMayComeInDifferentEncodingsAndFiles() throws IOException {
        List<Object> records = ScriptedExports.records(ScriptedExports.Shape.DEFAULT_MESSAGE_EVENTS);
        Path logs = ScriptedExports.writeFile(dir.resolve("logs.json"),
                records.stream().filter(x -> x instanceof ScriptedExports.Log).toList(),
                ScriptedExports.Encoding.SDK_TO_JSON);
        Path spans = ScriptedExports.writeFile(dir.resolve("spans.json"),
                records.stream().filter(x -> x instanceof ScriptedExports.Span).toList(),
                ScriptedExports.Encoding.OTLP_PROTOBUF_PRETTY);

        IngestResult r = SpanFileIngest.read(List.of(logs, spans), OPTIONS);

        assertEquals(solo(ScriptedExports.Shape.NO_ROOT_SPAN_ONLY, ScriptedExports.Party.BO), contents(r.envelopes()));
        assertEquals(Map.of(), r.report().issues());
    }

    @Test
    void missingParentSpansLoseOnlyWhatTheyCarried() throws IOException {
        List<Object> records = new ArrayList<>(ScriptedExports.records(ScriptedExports.Shape.APP_SPAN_SPAN_ONLY));
        records.removeIf(x -> x instanceof ScriptedExports.Span s && s.parentId() == null);
        Path file = ScriptedExports.writeFile(dir.resolve("children.jsonl"), records,
                ScriptedExports.Encoding.OTLP_JSON_LINES);

        IngestResult r = SpanFileIngest.read(List.of(file), OPTIONS.withDefaultUser("someone"));

        // the application spans carried the user and the conversation; the turns are still the script's
        List<ExportEquivalenceTest.Content> expected = solo(ScriptedExports.Shape.NO_ROOT_SPAN_ONLY,
                ScriptedExports.Party.BO).stream().map(c -> new ExportEquivalenceTest.Content("someone", null, null,
                c.atMs(), c.event())).toList();
        assertEquals(expected, contents(r.envelopes()));
        // the nine model calls; the tool spans follow the model calls that requested them
        assertEquals(9, r.report().count(IngestIssue.SPAN_WITHOUT_USER));
        assertEquals(2, r.report().turns());
    }

    @Test
    void damagedAndUnknownRecordsAreReportedAndTheRestIsRead() throws IOException {
        List<Object> records = ScriptedExports.records(ScriptedExports.Shape.DEFAULT_MESSAGE_EVENTS);
        Path good = ScriptedExports.writeFile(dir.resolve("good.json"), records, ScriptedExports.Encoding.SDK_TO_JSON);
        String goodText = Files.readString(good);
        String firstRecord = goodText.substring(0, goodText.indexOf("\n}\n") + 3);
        String junk = String.join("\n",
                "this is not json",
                "42",
                firstRecord.substring(0, firstRecord.length() / 2),           // a pretty record cut short
                // a GenAI log record of a span that is not in the input
                "{\"body\":{\"content\":\"hi\"},\"event_name\":\"gen_ai.user.message\",\"trace_id\":\"0x"
                        + "1".repeat(32) + "\",\"span_id\":\"0x" + "2".repeat(16) + "\"}",
                // a GenAI log record without ids
                "{\"body\":{\"content\":\"hi\"},\"event_name\":\"gen_ai.user.message\",\"trace_id\":\"\","
                        + "\"span_id\":\"\"}",
                // an event nobody reads, and an application log line
                "{\"body\":\"x\",\"event_name\":\"gen_ai.something.new\",\"trace_id\":\"0x" + "1".repeat(32) + "\"}",
                "{\"body\":\"GET /health 200\",\"severity_text\":\"INFO\"}",
                // a model call whose messages are neither a list nor JSON text of one
                "{\"name\":\"chat\",\"trace_id\":\"77\",\"start_time_unix_nano\":1,\"end_time_unix_nano\":2,"
                        + "\"attributes\":{\"user.id\":\"zoe\",\"gen_ai.operation.name\":\"chat\","
                        + "\"gen_ai.input.messages\":{\"role\":\"user\"},\"gen_ai.usage.output_tokens\":1}}",
                "");
        Path messy = Files.writeString(dir.resolve("messy.json"), junk + goodText, StandardCharsets.UTF_8);

        IngestResult r = SpanFileIngest.read(List.of(messy), OPTIONS);

        List<ExportEquivalenceTest.Content> bo = contents(r.envelopes()).stream().filter(e -> e.user().equals("bo"))
                .toList();
        assertEquals(solo(ScriptedExports.Shape.NO_ROOT_SPAN_ONLY, ScriptedExports.Party.BO), bo);
        assertEquals(Map.of(IngestIssue.UNPARSEABLE_LINE, 2L, IngestIssue.NOT_A_RECORD, 1L,
                IngestIssue.LOG_WITHOUT_SPAN, 2L, IngestIssue.UNREAD_EVENT, 1L, IngestIssue.UNPARSEABLE_MESSAGES, 1L,
                IngestIssue.TURN_WITHOUT_INPUT, 1L), r.report().issues());
        assertEquals(List.of(1L, 3L), IngestFixtures.lines(r.report(), IngestIssue.UNPARSEABLE_LINE));
        assertEquals(1, r.report().logs().notGenAi());
        String described = r.report().describe();
        assertTrue(described.contains("log_without_span: 2 (messy.json:"), described);
    }

    @Test
    void aSpanWithoutTimesKeepsItsPlaceInsteadOfMovingToTheEpoch() throws IOException {
        Path file = Files.writeString(dir.resolve("times.jsonl"), String.join("\n",
                "{\"name\":\"chat\",\"trace_id\":\"a\",\"start_time\":\"2023-11-14T22:13:20.000000Z\","
                        + "\"end_time\":\"2023-11-14T22:13:20.100000Z\",\"attributes\":{\"user.id\":\"al\","
                        + "\"gen_ai.operation.name\":\"chat\",\"gen_ai.input.messages\":"
                        + "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hello\"}]}]}}",
                "{\"name\":\"execute_tool x\",\"trace_id\":\"a\",\"attributes\":{\"gen_ai.tool.name\":\"x\"}}",
                ""), StandardCharsets.UTF_8);

        IngestResult r = SpanFileIngest.read(file);

        // the tool span has no times: it takes the end of the span read before it, not time 0
        assertEquals(List.of("turn_start", "tool_call", "tool_result"),
                r.envelopes().stream().map(e -> e.event().type()).toList());
        assertEquals(IngestFixtures.T0 + 100, r.envelopes().get(1).atMs());
        assertNull(r.envelopes().get(0).sessionId());
        assertEquals(1, r.report().count(IngestIssue.INVALID_SPAN_TIMES));
    }
}
