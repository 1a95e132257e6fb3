package io.noos.streams.otel.ingest;

import static io.noos.streams.otel.ingest.IngestFixtures.call;
import static io.noos.streams.otel.ingest.IngestFixtures.complete;
import static io.noos.streams.otel.ingest.IngestFixtures.cost;
import static io.noos.streams.otel.ingest.IngestFixtures.ev;
import static io.noos.streams.otel.ingest.IngestFixtures.evs;
import static io.noos.streams.otel.ingest.IngestFixtures.ingest;
import static io.noos.streams.otel.ingest.IngestFixtures.lines;
import static io.noos.streams.otel.ingest.IngestFixtures.quality;
import static io.noos.streams.otel.ingest.IngestFixtures.result;
import static io.noos.streams.otel.ingest.IngestFixtures.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.otel.OtelSpanAdapter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The span logs of {@code src/test/resources/otel/ingest/}, one per input shape and mapping rule.
 * Times in the expectations are milliseconds after {@link IngestFixtures#T0}.
 */
class SpanFileIngestTest {

    private static List<String> ids(IngestResult r) {
        return r.envelopes().stream().map(EventEnvelope::eventId).toList();
    }

    private static List<AgentEvent> eventsOf(IngestResult r, int fromIndex, int toIndex) {
        return r.envelopes().subList(fromIndex, toIndex).stream()
                .map(e -> ((EnvelopeEvent.Single) e.event()).event()).toList();
    }

    @Nested
    class OldShape {
        private final IngestResult r = ingest("old-dict.jsonl");

        @Test
        void mapsAsTheReferenceAdapterWithTurnStartAtTheSpanStartAndTheRestAtItsEnd() {
            assertEquals(List.of(
                    ev("alice", 0, start("refactor this function to be async")),
                    ev("alice", 900, complete("add logging and error handling")),
                    ev("alice", 900, cost(350, 120, 900, "openai")),
                    ev("alice", 900, call("search", "{\"limit\":5,\"q\":\"async\"}")),
                    ev("alice", 900, result("search", false, 42, "timeout")),
                    ev("alice", 1000, start("explain tokio runtime")),
                    // -5 is not an unsigned integer (ignored), 5 000 000 000 truncates to 705 032 704;
                    // the times are digit strings, read as the numbers they spell
                    ev("alice", 1250, cost(0, 705_032_704, 250, null))), evs(r));
        }

        @Test
        void givesExactlyTheAdapterEventsForADictFormSpan() throws IOException {
            String line = Files.readAllLines(IngestFixtures.resource("old-dict.jsonl")).get(0);

            assertEquals(OtelSpanAdapter.fromSpanJson(line), eventsOf(r, 0, 5));
        }

        @Test
        void countsWhatTheReferenceMappingIgnoresOrTruncates() {
            assertEquals(Map.of(IngestIssue.INVALID_TOKEN_COUNT, 1L, IngestIssue.TOKEN_COUNT_OUT_OF_RANGE, 1L,
                    IngestIssue.OLD_SHAPE_UNREAD, 1L), r.report().issues());
            assertEquals(2, r.report().spans().referenceShape());
        }

        @Test
        void withoutAConversationIdTheUsersTracesShareOneSessionlessConversation() {
            assertNull(r.envelopes().get(0).sessionId());
            assertNull(r.envelopes().get(5).sessionId());
        }

        @Test
        void sessionIsTheTraceIdWhenOnePerTraceIsAskedForAndIdsNameFileLineAndNumber() {
            IngestResult perTrace = ingest("old-dict.jsonl", IngestOptions.defaults().withSessionPerTrace(true));

            assertEquals(evs(r), evs(perTrace));
            assertEquals("aaa1", perTrace.envelopes().get(0).sessionId());
            assertEquals("aaa2", perTrace.envelopes().get(5).sessionId());
            assertEquals(List.of("old-dict.jsonl#1#1", "old-dict.jsonl#1#2", "old-dict.jsonl#1#3", "old-dict.jsonl#1#4",
                    "old-dict.jsonl#1#5", "old-dict.jsonl#2#1", "old-dict.jsonl#2#2"), ids(r));
        }
    }

    @Nested
    class CurrentConventionsDictForm {
        private final IngestResult r = ingest("new-dict.jsonl");

        @Test
        void anAgentLoopIsOneTurn() {
            assertEquals(List.of(
                    // last user message of the first model call, its two text parts joined by a newline,
                    // at the start of the trace's first span (the invoke_agent span)
                    ev("bob", 0, start("Speed up\nthe schema cache")),
                    ev("bob", 600, cost(100, 20, 500, "anthropic")),
                    // the execute_tool span, not the tool_call part of the first model output
                    ev("bob", 700, call("read_file", "{\"path\":\"cache.rs\"}")),
                    ev("bob", 750, result("read_file", true, 50, null)),
                    ev("bob", 1400, complete("Added an LRU cache to the schema loader")),
                    // prompt_tokens stands in for input_tokens, gen_ai.system for gen_ai.provider.name
                    ev("bob", 1400, cost(180, 40, 600, "anthropic")),
                    ev("bob", 1500, quality(0.8))), evs(r));
        }

        @Test
        void theAgentSpanUsageIsNotCountedOnTopOfItsModelCalls() {
            assertEquals(Map.of(IngestIssue.AGENT_USAGE_NOT_COUNTED, 1L), r.report().issues());
            assertEquals(List.of(1L), lines(r.report(), IngestIssue.AGENT_USAGE_NOT_COUNTED));
        }

        @Test
        void sessionIsTheConversationAndAgentTheAgentName() {
            for (EventEnvelope e : r.envelopes()) {
                assertEquals("conv-7", e.sessionId());
                assertEquals("coder", e.agentId());
            }
            assertEquals(List.of("new-dict.jsonl#2#1", "new-dict.jsonl#2#2", "new-dict.jsonl#3#1", "new-dict.jsonl#3#2",
                    "new-dict.jsonl#4#1", "new-dict.jsonl#4#2", "new-dict.jsonl#4#3"), ids(r));
        }
    }

    @Nested
    class AgentLoopWithoutToolSpans {
        private final IngestResult r = ingest("agent-loop-parts.jsonl");

        @Test
        void toolCallPartsStandInForExecuteToolSpansAndOnlyTheLastOutputCompletes() {
            assertEquals(List.of(
                    ev("joy", 0, start("find order 42")),
                    ev("joy", 100, call("search_orders", "{\"page\":1}")),
                    ev("joy", 100, cost(10, 2, 100, "openai")),
                    ev("joy", 300, call("search_orders", "{\"page\":2}")),
                    ev("joy", 500, complete("order 42 ships today")),
                    // a trace holding two user questions: each new one starts a turn
                    ev("joy", 1000, start("question one")),
                    ev("joy", 1200, start("question two"))), evs(r));
        }

        @Test
        void droppedOutputsAndMissingResponsesAreCounted() {
            assertEquals(Map.of(IngestIssue.INTERMEDIATE_OUTPUT_DROPPED, 1L, IngestIssue.TURN_WITHOUT_RESPONSE, 2L),
                    r.report().issues());
            assertEquals(List.of(2L), lines(r.report(), IngestIssue.INTERMEDIATE_OUTPUT_DROPPED));
            assertEquals(List.of(4L, 5L), lines(r.report(), IngestIssue.TURN_WITHOUT_RESPONSE));
        }
    }

    @Nested
    class OtlpAttributeArrays {
        private final IngestResult r = ingest("otlp-array.jsonl");

        @Test
        void readsTypedValuesStringTimesAndStatusCodeTwo() {
            assertEquals(List.of(
                    ev("carl", 0, start("refactor this function to be async")),
                    // kvlistValue arguments written as the reference's compact JSON, keys sorted
                    ev("carl", 200, call("fetch_url", "{\"retries\":2,\"url\":\"https://example.com\"}")),
                    ev("carl", 260, result("fetch_url", false, 60, "permission denied")),
                    ev("carl", 900, complete("add logging and error handling")),
                    // intValue as a string ("350") and as a number (120)
                    ev("carl", 900, cost(350, 120, 900, "openai")),
                    ev("carl", 950, quality(0.25))), evs(r));
            assertEquals(Map.of(), r.report().issues());
            assertNull(r.envelopes().get(0).sessionId());
        }
    }

    @Nested
    class OtlpBatch {
        private final IngestResult r = ingest("otlp-batch.jsonl");

        @Test
        void flattensResourceSpansWithTheResourceUserAndOrdersTurnsByTime() {
            assertEquals(List.of(
                    ev("carol", 0, start("where is my parcel")),
                    ev("carol", 400, complete("it ships tomorrow")),
                    ev("carol", 400, cost(12, 6, 400, "openai")),
                    ev("dave", 500, start("cancel my order")),
                    ev("dave", 700, complete("done")),
                    // an old-shape span in OTLP form goes through the reference adapter too
                    ev("carol", 1000, start("explain tokio runtime rust async")),
                    ev("carol", 1300, complete("Tokio is async Rust runtime")),
                    ev("carol", 1300, cost(10, 20, 300, "openai")),
                    ev("carol", 1300, call("docs", "{\"n\":3,\"q\":\"x\"}")),
                    ev("carol", 1300, result("docs", true, 15, null))), evs(r));
            assertEquals(Map.of(), r.report().issues());
            assertEquals(3, r.report().spans().total());
            assertEquals(1, r.report().spans().referenceShape());
        }

        @Test
        void allEventsOfTheLineAreNumberedInOutputOrder() {
            for (int i = 0; i < 10; i++) {
                assertEquals("otlp-batch.jsonl#1#" + (i + 1), r.envelopes().get(i).eventId());
            }
        }
    }

    @Nested
    class Tools {
        private final IngestResult r = ingest("tool-error.jsonl");

        @Test
        void errorTypeOrErrorStatusMarksAFailure() {
            assertEquals(List.of(
                    // error.type wins over the status message as the summary
                    ev("erin", 0, call("search", "{\"q\":\"x\"}")),
                    ev("erin", 1200, result("search", false, 1200, "TimeoutError")),
                    // Python SDK status spelling: status_code / description
                    ev("erin", 1300, call("search", null)),
                    ev("erin", 1310, result("search", false, 10, "not found")),
                    // tool name from the span name; structured arguments as compact JSON
                    ev("erin", 1400, call("grep", "{\"a\":-0.0,\"b\":[1000.0]}")),
                    ev("erin", 1405, result("grep", true, 5, null))), evs(r));
        }

        @Test
        void aTraceWithoutAModelCallHasNoTurnStartAndIsCounted() {
            assertEquals(Map.of(IngestIssue.TURN_WITHOUT_INPUT, 1L), r.report().issues());
        }
    }

    @Nested
    class Evaluations {
        private final IngestResult r = ingest("evaluation.jsonl");

        @Test
        void evaluationsBecomeQualityFeedbackNoEarlierThanTheirSpansEnd() {
            assertEquals(List.of(
                    ev("fay", 0, start("summarise the report")),
                    ev("fay", 1000, complete("the report says sales grew")),
                    ev("fay", 1000, cost(30, 8, 1000, "openai")),
                    // recorded at 400 on the span that ends at 1000: placed after its response
                    ev("fay", 1000, quality(0.9)),
                    // a span holding only an evaluation; the score is passed on unclamped
                    ev("fay", 2100, quality(1.5))), evs(r));
        }

        @Test
        void anEvaluationWithoutAScoreIsCounted() {
            assertEquals(Map.of(IngestIssue.INVALID_EVALUATION_SCORE, 1L), r.report().issues());
        }
    }

    @Nested
    class Grouping {

        @Test
        void userFromSpanThenResourceThenTrace() {
            IngestResult r = ingest("grouping.jsonl");

            assertEquals(List.of(
                    ev("u1", 0, start("first question")), ev("u1", 100, complete("first answer")),
                    ev("u5", 200, start("tenant question")), ev("u5", 250, complete("tenant answer")),
                    ev("u2", 500, start("third question")), ev("u2", 600, complete("third answer")),
                    // enduser.id on the span beats user.id on its resource
                    ev("u4", 700, start("fourth question")), ev("u4", 800, complete("fourth answer")),
                    // no user on the span: found on the HTTP span of the same trace, later in the file
                    ev("u1", 1000, start("second question")), ev("u1", 1100, complete("second answer"))), evs(r));
            // the HTTP span only lends its user to its trace: counted as used for context, not as an issue
            assertEquals(Map.of(IngestIssue.SPAN_WITHOUT_USER, 1L), r.report().issues());
            assertEquals(1, r.report().spans().contextOnly());
            assertEquals(List.of(6L), lines(r.report(), IngestIssue.SPAN_WITHOUT_USER));
            assertEquals(4, r.report().users());   // u1, u5, u2, u4
        }

        @Test
        void sessionIsTheConversationIdElseNoneOrTheTraceIdWhenAskedFor() {
            IngestResult r = ingest("grouping.jsonl");
            IngestResult perTrace = ingest("grouping.jsonl", IngestOptions.defaults().withSessionPerTrace(true));

            assertEquals(Arrays.asList("c-1", "c-1", null, null, null, null, null, null, "c-1", "c-1"),
                    r.envelopes().stream().map(EventEnvelope::sessionId).toList());
            assertEquals(List.of("c-1", "c-1", "76", "76", "73", "73", "74", "74", "c-1", "c-1"),
                    perTrace.envelopes().stream().map(EventEnvelope::sessionId).toList());
        }

        @Test
        void conversationAndAgentComeFromAnySpanOfTheTraceEvenOneThatMapsToNothing() {
            IngestResult r = ingest("conversation.jsonl");

            assertEquals(List.of(ev("ivy", 100, start("plan the migration")), ev("ivy", 800, complete("step one: back up"))),
                    evs(r));
            for (EventEnvelope e : r.envelopes()) {
                assertEquals("c-9", e.sessionId());
                assertEquals("planner", e.agentId());
            }
            // the invoke_agent span names the user, agent and conversation but maps to nothing: not an issue
            assertEquals(Map.of(), r.report().issues());
            assertEquals(1, r.report().spans().contextOnly());
        }

        @Test
        void spansWithoutUserGoToTheDefaultUserWhenOneIsSet() {
            IngestResult r = ingest("grouping.jsonl", IngestOptions.defaults().withDefaultUser("anon"));

            assertTrue(evs(r).contains(ev("anon", 300, start("orphan question"))));
            assertEquals(1, r.report().count(IngestIssue.SPAN_WITHOUT_USER));
            assertEquals(12, r.envelopes().size());
        }

        @Test
        void theUserAttributesAreConfigurable() {
            IngestResult r = ingest("grouping.jsonl",
                    IngestOptions.defaults().withUserAttributes(List.of("tenant.user", "user.id", "enduser.id")));

            assertEquals(List.of(ev("t9", 200, start("tenant question")), ev("t9", 250, complete("tenant answer"))),
                    evs(r).stream().filter(e -> e.user().equals("t9")).toList());
            assertTrue(evs(r).stream().noneMatch(e -> e.user().equals("u5")));
        }

        @Test
        void onlyTheConfiguredAttributeCountsWhenOneIsGiven() {
            IngestResult r = ingest("grouping.jsonl", IngestOptions.defaults().withUserAttribute("tenant.user"));

            assertEquals(List.of("t9", "t9"), r.envelopes().stream().map(EventEnvelope::userId).toList());
            assertEquals(5, r.report().count(IngestIssue.SPAN_WITHOUT_USER));
        }
    }

    @Nested
    class WithoutContent {

        @Test
        void costAndToolsStillMapWithoutATurnStart() {
            IngestResult r = ingest("no-content.jsonl");

            assertEquals(List.of(
                    ev("gus", 300, cost(100, 50, 300, "openai")),
                    ev("gus", 400, call("lookup", null)),
                    ev("gus", 420, result("lookup", true, 20, null)),
                    ev("gus", 700, cost(100, 50, 200, "openai")),
                    ev("gus", 2200, cost(100, 50, 200, "openai"))), evs(r));
            assertEquals(Map.of(IngestIssue.TURN_WITHOUT_INPUT, 2L), r.report().issues());
            assertEquals(List.of(1L, 4L), lines(r.report(), IngestIssue.TURN_WITHOUT_INPUT));
        }

        @Test
        void anEmptyTurnStartAtEachTracesStartWhenEnabled() {
            IngestResult r = ingest("no-content.jsonl", IngestOptions.defaults().withEmptyTurnStartWithoutInput(true));

            List<IngestFixtures.Ev> evs = evs(r);
            assertEquals(ev("gus", 0, start("")), evs.get(0));
            assertEquals(ev("gus", 2000, start("")), evs.get(5));
            assertEquals(7, evs.size());
            assertEquals(2, r.report().count(IngestIssue.TURN_WITHOUT_INPUT));
        }
    }

    @Nested
    class Unmappable {
        private final IngestResult r = ingest("unmappable.jsonl");

        @Test
        void everyProblemIsCountedWithItsLines() {
            IngestReport report = r.report();
            Map<IngestIssue, Long> expected = Map.ofEntries(
                    Map.entry(IngestIssue.UNPARSEABLE_LINE, 2L),        // lines 1 (text), 14 (not UTF-8)
                    Map.entry(IngestIssue.NOT_A_RECORD, 2L),            // line 2 (array), 9 (a number in spans)
                    Map.entry(IngestIssue.MALFORMED_ATTRIBUTE, 2L),     // line 9: no key, unknown value kind
                    Map.entry(IngestIssue.NO_MAPPABLE_CONTENT, 2L),     // line 5, 10
                    Map.entry(IngestIssue.SPAN_WITHOUT_USER, 1L),       // line 8
                    Map.entry(IngestIssue.SPAN_WITHOUT_TRACE_ID, 1L),   // line 11
                    Map.entry(IngestIssue.INVALID_SPAN_TIMES, 1L),      // line 11 (line 4 is not GenAI)
                    Map.entry(IngestIssue.INVALID_TOKEN_COUNT, 1L),     // line 6: -5
                    Map.entry(IngestIssue.TOKEN_COUNT_OUT_OF_RANGE, 1L), // line 6: 5 000 000 000
                    Map.entry(IngestIssue.UNPARSEABLE_MESSAGES, 1L),    // line 7: "[{"
                    Map.entry(IngestIssue.NON_STRING_CONTENT, 1L),      // line 7: content 42
                    Map.entry(IngestIssue.TOOL_WITHOUT_NAME, 1L),       // line 10
                    Map.entry(IngestIssue.UNREAD_EVENT, 1L),            // line 12: gen_ai.choice on a new-shape span
                    Map.entry(IngestIssue.OLD_SHAPE_UNREAD, 3L),        // line 13: completion_tokens, body content, choice
                    Map.entry(IngestIssue.TURN_WITHOUT_INPUT, 5L));     // lines 6, 7, 9, 11, 12
            assertEquals(expected, report.issues());
            assertEquals(List.of(1L, 14L), lines(report, IngestIssue.UNPARSEABLE_LINE));
            assertEquals(List.of(6L, 7L, 9L, 11L, 12L), lines(report, IngestIssue.TURN_WITHOUT_INPUT));
            assertEquals(14, report.lines());
            assertEquals(1, report.blankLines());
            // lines 6, 7, 8, 9, 11, 12; 13; 5 and 10; 4 (not GenAI, names nobody)
            assertEquals(new IngestReport.SpanUse(6, 0, 0, 1, 0, 2, 1), report.spans());
            assertEquals(10, report.spans().total());
        }

        @Test
        void whatRemainsIsMapped() {
            assertEquals(List.of(
                    ev("zed", 110, cost(0, 4_294_967_295L, 10, null)),           // line 6: clamped, -5 ignored
                    ev("zed", 210, cost(0, 3, 10, null)),                        // line 7
                    ev("zed", 410, cost(0, 5, 10, null)),                        // line 9: resource user
                    // line 11 has no times: it keeps its place in the file, at the time read before it
                    ev("zed", 510, cost(0, 6, 0, null)),
                    ev("zed", 610, cost(0, 7, 10, null)),                        // line 12
                    ev("zed", 710, cost(8, 0, 10, null))), evs(r));              // line 13: reference mapping
            assertNull(r.envelopes().get(3).sessionId());
            assertEquals("unmappable.jsonl#11#1", r.envelopes().get(3).eventId());
            assertEquals(Map.of("cost", 6L), r.report().eventsByType());
        }

        @Test
        void theSummaryNamesEachIssueWithItsPlaces() {
            String text = r.report().describe();

            assertTrue(text.contains("spans: 10: 6 model calls, 0 agent spans, 0 tool executions, 1 reference shape"),
                    text);
            assertTrue(text.contains("conversations: 1, turns: 1, users: 1, envelopes: 6"), text);
            assertTrue(text.contains("unparseable_line: 2 (unmappable.jsonl:1, unmappable.jsonl:14) - text that is "
                    + "not valid UTF-8 JSON"), text);
        }
    }

    @Nested
    class Files_ {
        @TempDir
        Path dir;

        @Test
        void gzipFilesAreReadAndIdsUseTheNameWithoutGz() throws IOException {
            Path gz = dir.resolve("spans.jsonl.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(Files.readAllBytes(IngestFixtures.resource("otlp-array.jsonl")));
            }

            IngestResult r = SpanFileIngest.read(gz);

            assertEquals(evs(ingest("otlp-array.jsonl")), evs(r));
            assertEquals("spans.jsonl#1#1", r.envelopes().get(0).eventId());
        }

        @Test
        void anEmptyFileGivesNothing() throws IOException {
            Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n  \n", StandardCharsets.UTF_8);

            IngestResult r = SpanFileIngest.read(empty);

            assertEquals(List.of(), r.envelopes());
            assertEquals(Map.of(), r.report().issues());
            assertEquals(2, r.report().blankLines());
        }
    }
}
