package io.noos.streams.otel.ingest;

import static io.noos.streams.otel.ingest.IngestFixtures.call;
import static io.noos.streams.otel.ingest.IngestFixtures.complete;
import static io.noos.streams.otel.ingest.IngestFixtures.cost;
import static io.noos.streams.otel.ingest.IngestFixtures.ev;
import static io.noos.streams.otel.ingest.IngestFixtures.result;
import static io.noos.streams.otel.ingest.IngestFixtures.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * One scripted conversation ({@link ScriptedExports}) exported in every instrumentation shape, every
 * encoding and every file layout gives the same envelopes (event ids aside, which name files and
 * lines), and those are the script's: two turns, seven tool calls each with its result, nine costs.
 */
class ExportEquivalenceTest {
    /** Reads every shape with the same options: the user and conversation attributes of all of them. */
    static final IngestOptions OPTIONS = IngestOptions.defaults()
            .withUserAttributes(List.of("user.id", "traceloop.association.properties.user_id"))
            .withConversationAttributes(List.of("gen_ai.conversation.id",
                    "traceloop.association.properties.session_id"));

    @TempDir
    Path dir;

    /** An envelope without its event id. */
    record Content(String user, String agent, String session, long atMs, EnvelopeEvent event) {
        static Content of(EventEnvelope e) {
            return new Content(e.userId(), e.agentId(), e.sessionId(), e.atMs(), e.event());
        }
    }

    /** The script's events, as the rules of the ingest give them (ms after T0). */
    static List<IngestFixtures.Ev> expected() {
        List<IngestFixtures.Ev> out = new ArrayList<>();
        String u = ScriptedExports.USER;
        out.add(ev(u, 0, start(ScriptedExports.Q1)));
        for (int k = 1; k <= 6; k++) {
            long t = 400L * (k - 1);
            out.add(ev(u, t + 300, cost(40 + 20L * k, 15, 300, "openai")));
            out.add(ev(u, t + 320, call("search_invoices", "{\"order\":77,\"page\":" + k + "}")));
            out.add(ev(u, t + 380, result("search_invoices", true, 60, null)));
        }
        out.add(ev(u, 2700, complete(ScriptedExports.A1)));
        out.add(ev(u, 2700, cost(200, 12, 300, "openai")));
        out.add(ev(u, 10_000, start(ScriptedExports.Q2)));
        out.add(ev(u, 10_300, cost(230, 14, 300, "openai")));
        out.add(ev(u, 10_320, call("send_email", "{\"to\":\"billing\"}")));
        out.add(ev(u, 10_400, result("send_email", false, 80, "SMTPError")));
        out.add(ev(u, 10_700, complete(ScriptedExports.A2)));
        out.add(ev(u, 10_700, cost(260, 9, 280, "openai")));
        return out;
    }

    private IngestResult read(ScriptedExports.Shape shape, ScriptedExports.Encoding encoding,
                              ScriptedExports.Layout layout) throws IOException {
        Path sub = Files.createDirectories(dir.resolve(shape.name() + "-" + encoding + "-" + layout));
        return SpanFileIngest.read(ScriptedExports.write(ScriptedExports.records(shape), encoding, layout, sub), OPTIONS);
    }

    @Test
    void theBaselineIsTheScript() throws IOException {
        IngestResult r = read(ScriptedExports.Shape.NO_ROOT_SPAN_ONLY, ScriptedExports.Encoding.OTLP_JSON_LINES,
                ScriptedExports.Layout.ONE_FILE);

        assertEquals(expected(), IngestFixtures.evs(r));
        for (EventEnvelope e : r.envelopes()) {
            assertEquals(ScriptedExports.CONVERSATION, e.sessionId());
        }
        assertEquals(Map.of(), r.report().issues());
        assertEquals(2, r.report().turns());
        assertEquals(new IngestReport.ToolCounts(7, 0, 0), r.report().tools());
    }

    @TestFactory
    Stream<DynamicTest> everyShapeEncodingAndLayoutGivesTheSameEnvelopes() throws IOException {
        List<Content> baseline = read(ScriptedExports.Shape.NO_ROOT_SPAN_ONLY, ScriptedExports.Encoding.OTLP_JSON_LINES,
                ScriptedExports.Layout.ONE_FILE).envelopes().stream().map(Content::of).toList();
        List<DynamicTest> tests = new ArrayList<>();
        for (ScriptedExports.Shape shape : ScriptedExports.Shape.values()) {
            for (ScriptedExports.Encoding encoding : ScriptedExports.Encoding.values()) {
                for (ScriptedExports.Layout layout : ScriptedExports.Layout.values()) {
                    tests.add(DynamicTest.dynamicTest(shape + " / " + encoding + " / " + layout, () -> {
                        IngestResult r = read(shape, encoding, layout);
                        List<Content> got = r.envelopes().stream().map(Content::of).toList();
                        assertEquals(baseline.size(), got.size(), () -> r.report().describe());
                        for (int i = 0; i < got.size(); i++) {
                            assertEquals(baseline.get(i), got.get(i), "envelope " + i);
                        }
                        assertEquals(Map.of(), r.report().issues(), () -> r.report().describe());
                        assertEquals(2, r.report().turns());
                    }));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void theSixCallLoopIsCaughtOnItsFifthCallAndTheNextQuestionStartsAfresh() throws IOException {
        IngestResult r = read(ScriptedExports.Shape.DEFAULT_MESSAGE_EVENTS, ScriptedExports.Encoding.SDK_TO_JSON,
                ScriptedExports.Layout.ONE_FILE_REVERSED);
        UserDecider decider = new UserDecider(TopologySettings.defaults().decider());
        Map<String, UserState> users = new HashMap<>();
        List<DecisionRecord> toolCalls = new ArrayList<>();
        for (EventEnvelope e : r.envelopes()) {
            UserDecider.Outcome outcome = decider.apply(users.get(e.userId()), e);
            users.put(e.userId(), outcome.state());
            if (e.event() instanceof EnvelopeEvent.Single s && s.event() instanceof io.noos.streams.core.AgentEvent.ToolCall) {
                toolCalls.add(outcome.decision());
            }
        }
        assertEquals(List.of("continue", "continue", "continue", "continue", "circuit_break", "circuit_break",
                "continue"), toolCalls.stream().map(d -> d.decision().kind()).toList());
        Decision.CircuitBreak stop = assertInstanceOf(Decision.CircuitBreak.class, toolCalls.get(4).decision());
        assertEquals(new BreakReason.RepeatedToolCallLoop("search_invoices", 5), stop.reason());
        assertEquals(1, toolCalls.get(4).turn());
        assertEquals(2, toolCalls.get(6).turn());
    }
}
