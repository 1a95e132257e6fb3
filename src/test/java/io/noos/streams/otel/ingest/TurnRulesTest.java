package io.noos.streams.otel.ingest;

import static io.noos.streams.otel.ingest.IngestFixtures.call;
import static io.noos.streams.otel.ingest.IngestFixtures.complete;
import static io.noos.streams.otel.ingest.IngestFixtures.cost;
import static io.noos.streams.otel.ingest.IngestFixtures.ev;
import static io.noos.streams.otel.ingest.IngestFixtures.evs;
import static io.noos.streams.otel.ingest.IngestFixtures.quality;
import static io.noos.streams.otel.ingest.IngestFixtures.result;
import static io.noos.streams.otel.ingest.IngestFixtures.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The turn, session and join rules of the ingest, one small inline log each (SDK dict form). */
class TurnRulesTest {
    @TempDir
    Path dir;

    private IngestResult read(IngestOptions options, String... lines) throws IOException {
        Path file = Files.writeString(dir.resolve("spans.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return SpanFileIngest.read(file, options);
    }

    private IngestResult read(String... lines) throws IOException {
        return read(IngestOptions.defaults(), lines);
    }

    /** A chat span from {@code fromMs} to {@code toMs} with these attributes (JSON members, no braces). */
    private static String chat(String trace, long fromMs, long toMs, String attributes) {
        return "{\"name\":\"chat\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + trace + "01\",\"start_time_unix_nano\":"
                + nanos(fromMs) + ",\"end_time_unix_nano\":" + nanos(toMs) + ",\"attributes\":{"
                + "\"gen_ai.operation.name\":\"chat\"," + attributes + "}}";
    }

    private static long nanos(long ms) {
        return (IngestFixtures.T0 + ms) * 1_000_000L;
    }

    private static String input(String... userTexts) {
        StringBuilder s = new StringBuilder("\"gen_ai.input.messages\":[");
        for (int i = 0; i < userTexts.length; i++) {
            String text = userTexts[i];
            boolean assistant = text.startsWith("A:");
            s.append(i == 0 ? "" : ",").append("{\"role\":\"").append(assistant ? "assistant" : "user")
                    .append("\",\"parts\":[{\"type\":\"text\",\"content\":\"")
                    .append(assistant ? text.substring(2) : text).append("\"}]}");
        }
        return s.append(']').toString();
    }

    private static String output(String text) {
        return "\"gen_ai.output.messages\":[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"" + text
                + "\"}]}]";
    }

    @Test
    void aQuestionAskedAgainIsANewTurnButTheSameMessageRepeatedInTheHistoryIsNot() throws IOException {
        IngestResult r = read(
                chat("t1", 0, 100, "\"user.id\":\"al\"," + input("status?") + "," + output("fine")),
                chat("t2", 200, 300, "\"user.id\":\"al\"," + input("status?", "A:fine", "status?") + "," + output("still fine")),
                // a call that only repeats the history (an agent loop step) adds no turn
                chat("t3", 400, 500, "\"user.id\":\"al\"," + input("status?", "A:fine", "status?") + "," + output("ok")));

        assertEquals(List.of(ev("al", 0, start("status?")), ev("al", 100, complete("fine")),
                ev("al", 200, start("status?")), ev("al", 500, complete("ok"))), evs(r));
        assertEquals(Map.of(IngestIssue.INTERMEDIATE_OUTPUT_DROPPED, 1L), r.report().issues());
    }

    @Test
    void aUserMessageHoldingOnlyToolResultsIsNotANewQuestion() throws IOException {
        // Anthropic's tool loop: the tool results go back in a user message of tool_result blocks
        String toolResults = "[{\\\"type\\\":\\\"tool_result\\\",\\\"tool_use_id\\\":\\\"tu_1\\\","
                + "\\\"content\\\":\\\"12 C\\\"}]";
        String first = "\"gen_ai.prompt.0.role\":\"user\",\"gen_ai.prompt.0.content\":\"weather in Oslo?\"";
        IngestResult r = read(
                chat("t1", 0, 100, "\"user.id\":\"al\"," + first),
                chat("t2", 200, 300, "\"user.id\":\"al\"," + first + ",\"gen_ai.prompt.1.role\":\"assistant\","
                        + "\"gen_ai.prompt.2.role\":\"user\",\"gen_ai.prompt.2.content\":\"" + toolResults + "\","
                        + "\"gen_ai.completion.0.role\":\"assistant\",\"gen_ai.completion.0.content\":\"12 C in Oslo\""),
                // the same in the current conventions' parts
                chat("t3", 400, 500, "\"user.id\":\"al\"," + input("weather in Oslo?").replace("]}]",
                        "]},{\"role\":\"user\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"tu_1\","
                                + "\"response\":\"12 C\"}]}]")));

        assertEquals(List.of(ev("al", 0, start("weather in Oslo?")), ev("al", 300, complete("12 C in Oslo"))), evs(r));
    }

    @Test
    void aLogRecordMayNameItsEventUnderName() throws IOException {
        IngestResult r = read(chat("t1", 0, 100, "\"user.id\":\"al\"," + input("hi")),
                "{\"name\":\"gen_ai.choice\",\"body\":{\"index\":0,\"message\":{\"content\":\"hello\"}},"
                        + "\"trace_id\":\"t1\",\"span_id\":\"t101\"}");

        assertEquals(List.of(ev("al", 0, start("hi")), ev("al", 100, complete("hello"))), evs(r));
        assertEquals(Map.of(), r.report().issues());
    }

    @Test
    void theConversationMayBeOnTheResource() throws IOException {
        IngestResult r = read("{\"name\":\"chat\",\"trace_id\":\"t1\",\"start_time_unix_nano\":" + nanos(0)
                + ",\"end_time_unix_nano\":" + nanos(10) + ",\"attributes\":{\"gen_ai.operation.name\":\"chat\","
                + input("hi") + "},\"resource\":{\"attributes\":{\"user.id\":\"al\",\"gen_ai.conversation.id\":\"r-1\"}}}");

        assertEquals(List.of("r-1"), r.envelopes().stream().map(EventEnvelope::sessionId).toList());
    }

    @Test
    void theConversationMayBeOnTheOperationDetailsSpanEvent() throws IOException {
        String details = ",\"events\":[{\"name\":\"gen_ai.client.inference.operation.details\",\"timestamp\":"
                + nanos(10) + ",\"attributes\":{\"gen_ai.conversation.id\":\"c-7\"," + input("hi") + "}}]}";
        IngestResult r = read(chat("t1", 0, 10, "\"user.id\":\"al\"").replaceFirst("}$", details));

        assertEquals(List.of(ev("al", 0, start("hi"))), evs(r));
        assertEquals(List.of("c-7"), r.envelopes().stream().map(EventEnvelope::sessionId).toList());
    }

    @Test
    void toolArgumentsComeFromWhicheverOfTheToolSpanAndTheModelsToolCallHasThem() throws IOException {
        // each model call and tool in its own trace; "a" has its arguments on the model's part only
        // (util-genai), "b" on the tool span only; every tool is counted once
        String asks = "\"gen_ai.output.messages\":[{\"role\":\"assistant\",\"parts\":["
                + "{\"type\":\"tool_call\",\"id\":\"call_a\",\"name\":\"lookup\",\"arguments\":{\"q\":1}},"
                + "{\"type\":\"tool_call\",\"id\":\"call_b\",\"name\":\"lookup\"}]}]";
        IngestResult r = read(
                chat("t1", 0, 100, "\"user.id\":\"al\",\"gen_ai.conversation.id\":\"c\"," + input("find it") + "," + asks),
                tool("t3", 130, 150, "\"gen_ai.tool.call.id\":\"call_b\",\"gen_ai.tool.call.arguments\":\"{\\\"q\\\":2}\""),
                tool("t2", 110, 120, "\"gen_ai.tool.call.id\":\"call_a\""),
                chat("t4", 200, 300, "\"user.id\":\"al\",\"gen_ai.conversation.id\":\"c\"," + input("find it") + ","
                        + output("found")));

        assertEquals(List.of(ev("al", 0, start("find it")), ev("al", 110, call("lookup", "{\"q\":1}")),
                ev("al", 120, result("lookup", true, 10, null)), ev("al", 130, call("lookup", "{\"q\":2}")),
                ev("al", 150, result("lookup", true, 20, null)), ev("al", 300, complete("found"))), evs(r));
        assertEquals(new IngestReport.ToolCounts(2, 0, 0), r.report().tools());
    }

    /** An {@code execute_tool} span of tool "lookup" without user or conversation, in its own trace. */
    private static String tool(String trace, long fromMs, long toMs, String attributes) {
        return "{\"name\":\"execute_tool lookup\",\"trace_id\":\"" + trace + "\",\"span_id\":\"" + trace
                + "01\",\"start_time_unix_nano\":\"" + nanos(fromMs) + "\",\"end_time_unix_nano\":\"" + nanos(toMs)
                + "\",\"attributes\":{\"gen_ai.operation.name\":\"execute_tool\",\"gen_ai.tool.name\":\"lookup\","
                + attributes + "}}";
    }

    @Test
    void aSpanWithoutAUserTakesItsConversationsAndOneWithNeitherIsCountedAndSkipped() throws IOException {
        IngestResult r = read(
                chat("t1", 0, 100, "\"user.id\":\"al\",\"gen_ai.conversation.id\":\"c\"," + input("hi") + ","
                        + output("hello")),
                chat("t2", 200, 300, "\"gen_ai.conversation.id\":\"c\"," + input("hi", "A:hello", "and Oslo?") + ","
                        + output("rainy")),
                chat("t3", 400, 500, input("who am I?") + "," + output("nobody")));

        assertEquals(List.of(ev("al", 0, start("hi")), ev("al", 100, complete("hello")), ev("al", 200, start("and Oslo?")),
                ev("al", 300, complete("rainy"))), evs(r));
        assertEquals(Map.of(IngestIssue.SPAN_WITHOUT_USER, 1L), r.report().issues());
    }

    @Test
    void aSpansOwnConversationIdWinsOverItsTracesAndTheOthersTakeTheTracesEarliest() throws IOException {
        // one long-lived trace serves two conversations; its first span was started before baggage was set
        IngestResult r = read(
                "{\"name\":\"worker\",\"trace_id\":\"t1\",\"span_id\":\"00\",\"start_time_unix_nano\":" + nanos(0)
                        + ",\"end_time_unix_nano\":" + nanos(900) + ",\"attributes\":{\"user.id\":\"al\"}}",
                chat("t1", 100, 200, "\"gen_ai.conversation.id\":\"a\"," + input("hi")).replace("t101", "01"),
                chat("t1", 300, 400, "\"gen_ai.conversation.id\":\"b\"," + input("hey")).replace("t101", "02"),
                chat("t1", 500, 600, input("hi", "A:hello", "more")).replace("t101", "03"));

        assertEquals(List.of("a:hi", "a:more", "b:hey"), r.envelopes().stream()
                .map(e -> e.sessionId() + ":" + ((AgentEvent.TurnStart) IngestFixtures.ev(e).event()).userMessage())
                .sorted().toList());
    }

    @Test
    void anEvaluationRecordWithoutSpanIdsJoinsTheModelCallOfItsResponseId() throws IOException {
        IngestResult r = read(
                chat("t1", 0, 100, "\"user.id\":\"al\",\"gen_ai.response.id\":\"resp-9\"," + input("hi") + ","
                        + output("hello")),
                "{\"event_name\":\"gen_ai.evaluation.result\",\"timestamp\":\"2023-11-14T22:13:25.000000Z\","
                        + "\"attributes\":{\"gen_ai.evaluation.name\":\"relevance\",\"gen_ai.evaluation.score.value\":0.4,"
                        + "\"gen_ai.response.id\":\"resp-9\"},\"trace_id\":\"\",\"span_id\":\"\"}");

        assertEquals(List.of(ev("al", 0, start("hi")), ev("al", 100, complete("hello")), ev("al", 5000, quality(0.4))),
                evs(r));
        assertEquals(Map.of(), r.report().issues());
    }

    @Test
    void aTraceloopToolSpanJoinsTheModelsRequestForItsTool() throws IOException {
        IngestResult r = read(IngestOptions.defaults().withUserAttribute("traceloop.association.properties.user_id"),
                "{\"name\":\"openai.chat\",\"trace_id\":\"t1\",\"start_time_unix_nano\":" + nanos(0)
                        + ",\"end_time_unix_nano\":" + nanos(100) + ",\"attributes\":{\"llm.request.type\":\"chat\","
                        + "\"gen_ai.system\":\"openai\",\"gen_ai.prompt.0.role\":\"user\",\"gen_ai.prompt.0.content\":"
                        + "\"weather in Oslo?\",\"gen_ai.completion.0.role\":\"assistant\","
                        + "\"gen_ai.completion.0.tool_calls.0.name\":\"get_weather\","
                        + "\"gen_ai.completion.0.tool_calls.0.arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\","
                        + "\"traceloop.association.properties.user_id\":\"al\"}}",
                "{\"name\":\"get_weather.tool\",\"trace_id\":\"t1\",\"start_time_unix_nano\":" + nanos(150)
                        + ",\"end_time_unix_nano\":" + nanos(170) + ",\"attributes\":{\"traceloop.span.kind\":\"tool\","
                        + "\"traceloop.entity.name\":\"get_weather\",\"traceloop.entity.input\":\"{\\\"args\\\":[]}\"}}");

        assertEquals(List.of(ev("al", 0, start("weather in Oslo?")), ev("al", 150, call("get_weather", "{\"city\":\"Oslo\"}")),
                ev("al", 170, result("get_weather", true, 20, null))), evs(r));
        assertEquals(new IngestReport.ToolCounts(1, 0, 0), r.report().tools());
    }

    @Test
    void anAgentSpanAndItsModelCallsMakeOneTurn() throws IOException {
        IngestResult r = read(
                "{\"name\":\"invoke_agent helper\",\"trace_id\":\"t1\",\"start_time_unix_nano\":" + nanos(0)
                        + ",\"end_time_unix_nano\":" + nanos(900) + ",\"attributes\":{\"user.id\":\"al\","
                        + "\"gen_ai.operation.name\":\"invoke_agent\",\"gen_ai.agent.name\":\"helper\"," + input("plan a trip")
                        + "," + output("Day 1: Oslo") + ",\"gen_ai.usage.input_tokens\":90,\"gen_ai.usage.output_tokens\":30}}",
                chat("t1", 100, 400, input("plan a trip") + "," + output("Day 1: Oslo")
                        + ",\"gen_ai.usage.input_tokens\":90,\"gen_ai.usage.output_tokens\":30"));

        assertEquals(List.of(ev("al", 0, start("plan a trip")), ev("al", 400, complete("Day 1: Oslo")),
                ev("al", 400, cost(90, 30, 300, null))), evs(r));
        assertEquals("helper", r.envelopes().get(0).agentId());
        assertEquals(Map.of(IngestIssue.AGENT_USAGE_NOT_COUNTED, 1L), r.report().issues());
    }

    @Test
    void withoutContentAModelCallAfterOneThatStoppedStartsATurn() throws IOException {
        String usage = ",\"user.id\":\"al\",\"gen_ai.usage.input_tokens\":1,\"gen_ai.usage.output_tokens\":1";
        IngestResult r = read(IngestOptions.defaults().withEmptyTurnStartWithoutInput(true),
                chat("t1", 0, 100, "\"gen_ai.response.finish_reasons\":[\"tool_calls\"]" + usage),
                chat("t2", 200, 300, "\"gen_ai.response.finish_reasons\":[\"stop\"]" + usage),
                chat("t3", 400, 500, "\"gen_ai.response.finish_reasons\":[\"stop\"]" + usage));

        // one call asked for tools, so the next one continues its turn; after "stop" a new turn begins
        assertEquals(List.of(ev("al", 0, start("")), ev("al", 100, cost(1, 1, 100, null)), ev("al", 300, cost(1, 1, 100, null)),
                ev("al", 400, start("")), ev("al", 500, cost(1, 1, 100, null))), evs(r));
        assertEquals(2, r.report().count(IngestIssue.TURN_WITHOUT_INPUT));
    }
}
