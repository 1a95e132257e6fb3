package io.noos.streams.otel.ingest;

import static io.noos.streams.otel.ingest.IngestFixtures.call;
import static io.noos.streams.otel.ingest.IngestFixtures.complete;
import static io.noos.streams.otel.ingest.IngestFixtures.cost;
import static io.noos.streams.otel.ingest.IngestFixtures.ev;
import static io.noos.streams.otel.ingest.IngestFixtures.evs;
import static io.noos.streams.otel.ingest.IngestFixtures.result;
import static io.noos.streams.otel.ingest.IngestFixtures.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same conversation as real instrumentations export it, one hand-made file (or pair of files)
 * per setup in {@code src/test/resources/otel/ingest/shapes/}, written from the GenAI semantic
 * conventions and the instrumentations' documented output:
 *
 * <p>user {@code ana} in conversation {@code conv-7} asks "Where is my order 1042?"; the model calls
 * {@code lookup_order} twice (call ids {@code call_a}, {@code call_b}), each executed in a tool span
 * made with {@code opentelemetry-util-genai}, then answers; five seconds later she asks "Can you
 * expedite it?" and gets an answer without tools. Every model call is sent the whole history.
 *
 * <p>Whatever the setup, that is two turns, two tool calls each with its result, and four costs.
 */
class InstrumentationShapesTest {
    private static final String Q1 = "Where is my order 1042?";
    private static final String Q2 = "Can you expedite it?";
    private static final String ARGS = "{\"order_id\":\"1042\"}";

    /** What every setup that captures content gives (times in ms after {@link IngestFixtures#T0}). */
    private static final List<IngestFixtures.Ev> CONVERSATION = List.of(
            ev("ana", 0, start(Q1)),
            ev("ana", 400, cost(50, 12, 400, "openai")),
            ev("ana", 450, call("lookup_order", ARGS)),
            ev("ana", 500, result("lookup_order", true, 50, null)),
            ev("ana", 900, cost(80, 12, 350, "openai")),
            ev("ana", 950, call("lookup_order", ARGS)),
            ev("ana", 1000, result("lookup_order", true, 50, null)),
            ev("ana", 1400, complete("Order 1042 ships tomorrow.")),
            ev("ana", 1400, cost(110, 9, 350, "openai")),
            ev("ana", 5000, start(Q2)),
            ev("ana", 5300, complete("Expedited: order 1042 arrives today.")),
            ev("ana", 5300, cost(130, 8, 300, "openai")));

    static IngestResult read(IngestOptions options, String... files) {
        try {
            return SpanFileIngest.read(Arrays.stream(files).map(f -> IngestFixtures.resource("shapes/" + f)).toList(),
                    options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IngestResult read(String... files) {
        return read(IngestOptions.defaults(), files);
    }

    private static void assertTheConversation(IngestResult r) {
        assertEquals(CONVERSATION, evs(r));
        for (EventEnvelope e : r.envelopes()) {
            assertEquals("conv-7", e.sessionId());
        }
        assertEquals(2, r.report().turns());
        assertEquals(new IngestReport.ToolCounts(2, 0, 0), r.report().tools());
    }

    @Test
    void latestConventionsWithMessagesOnTheSpansAndEverySpanItsOwnTrace() {
        // OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental, ..._CAPTURE_MESSAGE_CONTENT=SPAN_ONLY,
        // no application span: user and conversation on every span through baggage; a Collector's batches
        IngestResult r = read("openai-v2-latest-span-only.jsonl");

        assertTheConversation(r);
        assertEquals(Map.of(), r.report().issues());
        assertEquals(1, r.report().conversations());
        assertEquals(4, (long) r.report().contentSources().get("span_attributes"));
    }

    @Test
    void latestConventionsWithMessagesInOperationDetailsLogRecordsOfAnotherFile() {
        // ..._CAPTURE_MESSAGE_CONTENT=EVENT_ONLY: the spans carry no messages
        IngestResult r = read("openai-v2-latest-event-only.jsonl", "openai-v2-latest-event-only-logs.jsonl");

        assertTheConversation(r);
        assertEquals(Map.of(), r.report().issues());
        assertEquals(new IngestReport.LogUse(4, 4, 0), r.report().logs());
        assertEquals(4, (long) r.report().contentSources().get("details_event"));
    }

    @Test
    void withoutTheLogFileTheSameSpansGiveCostsAndToolsButNoTurns() {
        IngestResult r = read("openai-v2-latest-event-only.jsonl");

        assertEquals(0, evs(r).stream().filter(e -> e.event() instanceof io.noos.streams.core.AgentEvent.TurnStart)
                .count());
        assertEquals(4, r.report().eventsByType().get("cost"));
        assertEquals(2, r.report().eventsByType().get("tool_call"));
    }

    @Test
    void defaultModeWithMessagesAsPerMessageLogRecordsInTheSameFile() {
        // default conventions (<= 1.36), ..._CAPTURE_MESSAGE_CONTENT=true: gen_ai.*.message records with the
        // whole history on every call, and gen_ai.choice; a call's records come before its span
        IngestResult r = read("openai-v2-default.jsonl");

        assertTheConversation(r);
        assertEquals(Map.of(), r.report().issues());
        assertEquals(4, (long) r.report().contentSources().get("message_events"));
        assertEquals(r.report().logs().read(), r.report().logs().attached());
    }

    @Test
    void defaultModeWithoutContentStillFindsTheTurnsFromTheUserMessageRecords() {
        IngestResult r = read("openai-v2-default-no-content.jsonl");

        List<IngestFixtures.Ev> expected = CONVERSATION.stream()
                .filter(e -> !(e.event() instanceof io.noos.streams.core.AgentEvent.TurnComplete))
                .map(e -> e.event() instanceof io.noos.streams.core.AgentEvent.TurnStart ? ev("ana", e.ms(), start(""))
                        : e.event() instanceof io.noos.streams.core.AgentEvent.ToolCall c
                                ? ev("ana", e.ms(), call(c.toolName(), null)) : e)
                .toList();
        assertEquals(expected, evs(r));
        assertEquals(Map.of(IngestIssue.USER_MESSAGE_WITHOUT_TEXT, 2L, IngestIssue.TURN_WITHOUT_RESPONSE, 2L),
                r.report().issues());
    }

    @Test
    void openllmetryAttributesPrintedByTheConsoleExporter() {
        // span.to_json(): pretty-printed over many lines, ISO-8601 times, 0x ids; user and conversation
        // as traceloop association properties
        IngestResult r = read(IngestOptions.defaults()
                        .withUserAttributes(List.of("traceloop.association.properties.user_id"))
                        .withConversationAttributes(List.of("traceloop.association.properties.session_id")),
                "openllmetry-console.json");

        assertTheConversation(r);
        assertEquals(Map.of(), r.report().issues());
        assertEquals(4, (long) r.report().contentSources().get("prompt_attributes"));
    }

    @Test
    void anApplicationSpanAroundEachTurnWrittenByProtobufWithBase64Ids() {
        IngestResult r = read("openai-v2-latest-app-span-protobuf.json");

        assertTheConversation(r);
        assertEquals(Map.of(), r.report().issues());
        // the two HTTP spans lend the user and the conversation; they are not failures
        assertEquals(2, r.report().spans().contextOnly());
        assertTrue(r.report().describe().contains("2 used only for user/conversation"), r.report().describe());
    }
}
