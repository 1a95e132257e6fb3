package io.noos.streams.otel.ingest;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.noos.streams.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scripted agent conversation, exported the ways real GenAI instrumentation exports it: each
 * {@link Shape} is what an instrumentation setup emits (which spans, which attributes, which log
 * records, written from the semantic conventions and the instrumentations' documentation), each
 * {@link Encoding} how an exporter writes records to a file, each {@link Layout} how the records end
 * up spread over files.
 *
 * <p>The script: user {@code bo}, conversation {@code c-loop}. Turn 1: "Find the invoice for order 77";
 * the model asks six times in a row for {@code search_invoices} (call ids {@code call_1} ... {@code call_6},
 * arguments {@code {"order":77,"page":k}}), each executed in a tool span, then answers. Turn 2: "Email
 * billing about order 77"; the model asks for {@code send_email}, which fails ({@code error.type
 * SMTPError}), then answers. Every model call is sent the whole history. Times are whole
 * milliseconds after {@link IngestFixtures#T0}.
 */
final class ScriptedExports {
    static final String USER = "bo";
    static final String CONVERSATION = "c-loop";
    static final String Q1 = "Find the invoice for order 77";
    static final String Q2 = "Email billing about order 77";
    static final String A1 = "No invoice for order 77 was found.";
    static final String A2 = "I could not email billing.";
    static final String SYSTEM = "You are the billing assistant.";

    private ScriptedExports() {}

    /** One message of the chat history, as the script knows it. */
    record Message(String role, String text, Call toolCall, String toolCallId) {}

    /** A model's tool call. */
    record Call(String id, String name, String arguments) {}

    /** A model call: when, what it was sent, what it answered. */
    record ModelCall(int n, long startMs, long endMs, List<Message> input, Call toolCall, String answer, long in,
                     long out, int turn) {
        String finishReason() {
            return toolCall != null ? "tool_calls" : "stop";
        }
    }

    /** A tool execution. */
    record ToolRun(int n, long startMs, long endMs, Call call, String error, int turn) {}

    /** The script's model calls and tool runs. */
    record Script(List<ModelCall> calls, List<ToolRun> tools) {}

    /**
     * Who runs the script and when: several parties give interleaved conversations.
     *
     * @param user         the user
     * @param conversation the conversation id
     * @param offsetMs     added to every time
     * @param salt         makes trace, span and tool call ids distinct from other parties'
     */
    record Party(String user, String conversation, long offsetMs, int salt) {
        static final Party BO = new Party(USER, CONVERSATION, 0, 0);

        String callId(int k) {
            return salt == 0 ? "call_" + k : "call_" + salt + "_" + k;
        }
    }

    static Script script() {
        return script(Party.BO);
    }

    static Script script(Party party) {
        List<ModelCall> calls = new ArrayList<>();
        List<ToolRun> tools = new ArrayList<>();
        List<Message> history = new ArrayList<>(List.of(new Message("system", SYSTEM, null, null),
                new Message("user", Q1, null, null)));
        long t = 0;
        for (int k = 1; k <= 6; k++) {
            Call call = new Call(party.callId(k), "search_invoices", "{\"order\":77,\"page\":" + k + "}");
            calls.add(new ModelCall(k, t, t + 300, List.copyOf(history), call, null, 40L + 20 * k, 15, 1));
            tools.add(new ToolRun(k, t + 320, t + 380, call, null, 1));
            history.add(new Message("assistant", null, call, null));
            history.add(new Message("tool", "{\"found\":false,\"page\":" + k + "}", null, call.id()));
            t += 400;
        }
        calls.add(new ModelCall(7, t, t + 300, List.copyOf(history), null, A1, 200, 12, 1));
        history.add(new Message("assistant", A1, null, null));
        history.add(new Message("user", Q2, null, null));
        t = 10_000;
        Call email = new Call(party.callId(7), "send_email", "{\"to\":\"billing\"}");
        calls.add(new ModelCall(8, t, t + 300, List.copyOf(history), email, null, 230, 14, 2));
        tools.add(new ToolRun(7, t + 320, t + 400, email, "SMTPError", 2));
        history.add(new Message("assistant", null, email, null));
        history.add(new Message("tool", "SMTP server unavailable", null, email.id()));
        calls.add(new ModelCall(9, t + 420, t + 700, List.copyOf(history), null, A2, 260, 9, 2));
        return new Script(calls, tools);
    }

    // ---- records, before encoding -------------------------------------------------------------

    /** A span as an exporter sees it; attribute values are String, Long, Double, Boolean, List or Map. */
    record Span(String traceId, String spanId, String parentId, String name, int kind, long startMs, long endMs,
                Map<String, Object> attributes, String statusMessage) {}

    /**
     * A log record (an event) as an exporter sees it, at {@code timeMs} plus {@code micros}: the SDK
     * stamps each record when it is emitted, so the records of one call have distinct times.
     */
    record Log(String traceId, String spanId, long timeMs, int micros, String eventName, Object body,
               Map<String, Object> attributes) {
        long nanos() {
            return ScriptedExports.nanos(timeMs) + micros * 1_000L;
        }
    }

    /** What an instrumentation setup emits for the script. */
    enum Shape {
        /** latest conventions, content on the spans (SPAN_ONLY), an application span around each turn */
        APP_SPAN_SPAN_ONLY,
        /** latest conventions, SPAN_ONLY, no application span: user and conversation on every span (baggage) */
        NO_ROOT_SPAN_ONLY,
        /** latest conventions, EVENT_ONLY: gen_ai.client.inference.operation.details log records */
        NO_ROOT_EVENT_ONLY,
        /** latest conventions, SPAN_AND_EVENT: both */
        NO_ROOT_SPAN_AND_EVENT,
        /** openai-v2 default mode with content: gen_ai.*.message and gen_ai.choice log records */
        DEFAULT_MESSAGE_EVENTS,
        /** openllmetry with indexed prompt/completion attributes; user and conversation as association properties */
        OPENLLMETRY_ATTRIBUTES,
        /** openllmetry in event mode: message events, the choice's tool calls beside its message */
        OPENLLMETRY_EVENTS
    }

    /** The records of {@code shape}, in the order a batching exporter writes them (each span at its end). */
    static List<Object> records(Shape shape) {
        return records(shape, Party.BO);
    }

    /** The records of {@code shape} for {@code party}. */
    static List<Object> records(Shape shape, Party party) {
        Script script = shifted(script(party), party.offsetMs());
        int salt = party.salt();
        List<Object> out = new ArrayList<>();
        boolean appSpan = shape == Shape.APP_SPAN_SPAN_ONLY;
        boolean traceloop = shape == Shape.OPENLLMETRY_ATTRIBUTES || shape == Shape.OPENLLMETRY_EVENTS;
        Map<String, Object> context = new LinkedHashMap<>();
        if (traceloop) {
            context.put("traceloop.association.properties.user_id", party.user());
            context.put("traceloop.association.properties.session_id", party.conversation());
        } else {
            context.put("user.id", party.user());
            context.put("gen_ai.conversation.id", party.conversation());
        }
        List<Object[]> timed = new ArrayList<>();   // {exportTimeMs, record}
        for (ModelCall c : script.calls()) {
            String trace = appSpan ? traceOfTurn(salt, c.turn()) : traceOf(salt, c.n());
            String spanId = spanOf(salt, c.n());
            Map<String, Object> a = traceloop ? traceloopAttributes(c, shape == Shape.OPENLLMETRY_ATTRIBUTES)
                    : chatAttributes(c, shape);
            if (!appSpan) {
                a.putAll(context);
            }
            timed.add(new Object[] {c.endMs(), new Span(trace, spanId, appSpan ? rootOf(salt, c.turn()) : null,
                    traceloop ? "openai.chat" : "chat gpt-4o-mini", 3, c.startMs(), c.endMs(), a, null)});
            if (shape == Shape.NO_ROOT_EVENT_ONLY || shape == Shape.NO_ROOT_SPAN_AND_EVENT) {
                Map<String, Object> d = chatAttributes(c, Shape.NO_ROOT_SPAN_ONLY);
                d.put("gen_ai.input.messages", structuredInput(c));
                d.put("gen_ai.output.messages", structuredOutput(c));
                timed.add(new Object[] {c.endMs(), new Log(trace, spanId, c.endMs(), 0,
                        "gen_ai.client.inference.operation.details", null, d)});
            }
            if (shape == Shape.DEFAULT_MESSAGE_EVENTS || shape == Shape.OPENLLMETRY_EVENTS) {
                for (Log log : messageEvents(c, trace, spanId, shape == Shape.OPENLLMETRY_EVENTS)) {
                    timed.add(new Object[] {log.timeMs(), log});
                }
            }
        }
        for (ToolRun t : script.tools()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("gen_ai.operation.name", "execute_tool");
            a.put("gen_ai.tool.name", t.call().name());
            a.put("gen_ai.tool.call.id", t.call().id());
            a.put("gen_ai.tool.type", "function");
            if (t.error() != null) {
                a.put("error.type", t.error());
            }
            if (!appSpan) {
                a.putAll(context);
            }
            String trace = appSpan ? traceOfTurn(salt, t.turn()) : traceOf(salt, 100 + t.n());
            timed.add(new Object[] {t.endMs(), new Span(trace, spanOf(salt, 100 + t.n()),
                    appSpan ? rootOf(salt, t.turn()) : null,
                    "execute_tool " + t.call().name(), 1, t.startMs(), t.endMs(), a, t.error() == null ? null
                    : "SMTP server unavailable")});
        }
        if (appSpan) {
            for (int turn = 1; turn <= 2; turn++) {
                long start = party.offsetMs() + (turn == 1 ? -20 : 9_980);
                long end = party.offsetMs() + (turn == 1 ? 2_720 : 10_720);
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("http.request.method", "POST");
                a.put("http.route", "/chat");
                a.putAll(context);
                timed.add(new Object[] {end, new Span(traceOfTurn(salt, turn), rootOf(salt, turn), null, "POST /chat", 2,
                        start, end,
                        a, null)});
            }
        }
        timed.sort((x, y) -> Long.compare((Long) x[0], (Long) y[0]));   // stable
        for (Object[] t : timed) {
            out.add(t[1]);
        }
        return out;
    }

    private static String traceOf(int salt, int n) {
        return String.format("4bf92f3577b34da6a3ce929d%04x%04x", salt, n);
    }

    private static String traceOfTurn(int salt, int turn) {
        return String.format("0af7651916cd43dd8448eb21%04x%04x", salt, turn);
    }

    private static String rootOf(int salt, int turn) {
        return String.format("b7ad6b71%04x%04x", salt, turn);
    }

    private static String spanOf(int salt, int n) {
        return String.format("00f067aa%04x%04x", salt, n);
    }

    private static Script shifted(Script script, long offsetMs) {
        return new Script(script.calls().stream().map(c -> new ModelCall(c.n(), c.startMs() + offsetMs,
                        c.endMs() + offsetMs, c.input(), c.toolCall(), c.answer(), c.in(), c.out(), c.turn())).toList(),
                script.tools().stream().map(t -> new ToolRun(t.n(), t.startMs() + offsetMs, t.endMs() + offsetMs,
                        t.call(), t.error(), t.turn())).toList());
    }

    private static Map<String, Object> chatAttributes(ModelCall c, Shape shape) {
        boolean latest = shape != Shape.DEFAULT_MESSAGE_EVENTS;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("gen_ai.operation.name", "chat");
        a.put("gen_ai.request.model", "gpt-4o-mini");
        a.put(latest ? "gen_ai.provider.name" : "gen_ai.system", "openai");
        a.put("server.address", "api.openai.com");
        a.put("gen_ai.response.finish_reasons", List.of(c.finishReason()));
        a.put("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
        a.put("gen_ai.response.id", "chatcmpl-" + c.n());
        a.put("gen_ai.usage.input_tokens", c.in());
        a.put("gen_ai.usage.output_tokens", c.out());
        if (shape == Shape.APP_SPAN_SPAN_ONLY || shape == Shape.NO_ROOT_SPAN_ONLY
                || shape == Shape.NO_ROOT_SPAN_AND_EVENT) {
            a.put("gen_ai.input.messages", json(structuredInput(c)));
            a.put("gen_ai.output.messages", json(structuredOutput(c)));
        }
        return a;
    }

    /** The input as util-genai serialises it: {@code [{role, parts:[...]}]}, tool arguments parsed. */
    private static List<Object> structuredInput(ModelCall c) {
        List<Object> messages = new ArrayList<>();
        for (Message m : c.input()) {
            List<Object> parts = new ArrayList<>();
            if (m.toolCall() != null) {
                parts.add(toolCallPart(m.toolCall()));
            } else if (m.toolCallId() != null) {
                parts.add(map("response", m.text(), "id", m.toolCallId(), "type", "tool_call_response"));
            } else {
                parts.add(map("content", m.text(), "type", "text"));
            }
            messages.add(map("role", m.role(), "parts", parts));
        }
        return messages;
    }

    private static List<Object> structuredOutput(ModelCall c) {
        Object part = c.toolCall() != null ? toolCallPart(c.toolCall()) : map("content", c.answer(), "type", "text");
        return List.of(map("role", "assistant", "parts", List.of(part), "finish_reason", c.finishReason()));
    }

    private static Map<String, Object> toolCallPart(Call call) {
        return map("arguments", parse(call.arguments()), "name", call.name(), "id", call.id(), "type", "tool_call");
    }

    private static Map<String, Object> openAiToolCall(Call call) {
        return map("id", call.id(), "type", "function", "function", map("name", call.name(), "arguments", call.arguments()));
    }

    /** The older conventions' events of one call: a record per history message at its start, the choice at its end. */
    private static List<Log> messageEvents(ModelCall c, String trace, String spanId, boolean openllmetry) {
        List<Log> logs = new ArrayList<>();
        Map<String, Object> a = map(openllmetry ? "gen_ai.provider.name" : "gen_ai.system", "openai");
        for (Message m : c.input()) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (m.toolCall() != null) {
                body.put("tool_calls", List.of(openAiToolCall(m.toolCall())));
            } else {
                body.put("content", m.text());
            }
            if (m.toolCallId() != null) {
                body.put("id", m.toolCallId());
            }
            logs.add(new Log(trace, spanId, c.startMs(), logs.size() + 1, "gen_ai." + m.role() + ".message", body, a));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        Map<String, Object> body = map("index", 0L, "finish_reason", c.finishReason(), "message", message);
        if (!openllmetry) {
            message.put("role", "assistant");
        }
        if (c.toolCall() != null) {
            (openllmetry ? body : message).put("tool_calls", List.of(openAiToolCall(c.toolCall())));
        } else {
            message.put("content", c.answer());
        }
        logs.add(new Log(trace, spanId, c.endMs(), 0, "gen_ai.choice", body, a));
        return logs;
    }

    /** openllmetry's span attributes: the history as gen_ai.prompt.N.*, the choice as gen_ai.completion.0.*. */
    private static Map<String, Object> traceloopAttributes(ModelCall c, boolean withMessages) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("llm.request.type", "chat");
        a.put("gen_ai.system", "openai");
        a.put("gen_ai.request.model", "gpt-4o-mini");
        a.put("llm.is_streaming", false);
        if (withMessages) {
            for (int i = 0; i < c.input().size(); i++) {
                Message m = c.input().get(i);
                String p = "gen_ai.prompt." + i + ".";
                a.put(p + "role", m.role());
                if (m.text() != null) {
                    a.put(p + "content", m.text());
                }
                if (m.toolCallId() != null) {
                    a.put(p + "tool_call_id", m.toolCallId());
                }
                if (m.toolCall() != null) {
                    a.put(p + "tool_calls.0.id", m.toolCall().id());
                    a.put(p + "tool_calls.0.name", m.toolCall().name());
                    a.put(p + "tool_calls.0.arguments", m.toolCall().arguments());
                }
            }
        }
        a.put("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
        a.put("gen_ai.response.id", "chatcmpl-" + c.n());
        a.put("llm.usage.total_tokens", c.in() + c.out());
        a.put("gen_ai.usage.output_tokens", c.out());
        a.put("gen_ai.usage.input_tokens", c.in());
        if (withMessages) {
            a.put("gen_ai.completion.0.finish_reason", c.finishReason());
            a.put("gen_ai.completion.0.role", "assistant");
            if (c.toolCall() != null) {
                a.put("gen_ai.completion.0.tool_calls.0.id", c.toolCall().id());
                a.put("gen_ai.completion.0.tool_calls.0.name", c.toolCall().name());
                a.put("gen_ai.completion.0.tool_calls.0.arguments", c.toolCall().arguments());
            } else {
                a.put("gen_ai.completion.0.content", c.answer());
            }
        }
        return a;
    }

    /** The records of several parties in one export order (each at the time it is exported). */
    static List<Object> interleaved(List<List<Object>> exports) {
        List<Object> all = new ArrayList<>();
        exports.forEach(all::addAll);
        all.sort(java.util.Comparator.comparingLong(r -> r instanceof Span s ? nanos(s.endMs()) : ((Log) r).nanos()));
        return all;
    }

    // ---- encodings ------------------------------------------------------------------------------

    /** How an exporter writes records. */
    enum Encoding {
        /** a Collector's file exporter: OTLP/JSON export requests, one per line, hex ids, times as strings */
        OTLP_JSON_LINES,
        /** protobuf's MessageToJson of export requests: base64 ids, enum names, indent 2 */
        OTLP_PROTOBUF_PRETTY,
        /** the Python SDK's span.to_json() / LogRecord.to_json(): indent 4, 0x ids, ISO-8601 times */
        SDK_TO_JSON,
        /** the SDK dict form, one record per line, nanosecond integers */
        SDK_DICT_LINES
    }

    /** How the records are spread over files. */
    enum Layout {
        /** one file, in export order */
        ONE_FILE,
        /** one file, in reverse order: logs before their spans, later spans first */
        ONE_FILE_REVERSED,
        /** log records in a file given before the spans' file */
        LOGS_FIRST_FILE
    }

    private static final int BATCH = 3;

    /** Writes {@code records} to files in {@code dir}; returns them in the order to read them. */
    static List<Path> write(List<Object> records, Encoding encoding, Layout layout, Path dir) {
        List<Object> spans = records.stream().filter(r -> r instanceof Span).toList();
        List<Object> logs = records.stream().filter(r -> r instanceof Log).toList();
        List<Path> files = new ArrayList<>();
        String base = encoding.name().toLowerCase() + "-" + layout.name().toLowerCase();
        switch (layout) {
            case ONE_FILE -> files.add(writeFile(dir.resolve(base + ".jsonl"), records, encoding));
            case ONE_FILE_REVERSED -> {
                List<Object> reversed = new ArrayList<>(records);
                Collections.reverse(reversed);
                files.add(writeFile(dir.resolve(base + ".jsonl"), reversed, encoding));
            }
            case LOGS_FIRST_FILE -> {
                if (!logs.isEmpty()) {
                    files.add(writeFile(dir.resolve(base + "-logs.jsonl"), logs, encoding));
                }
                files.add(writeFile(dir.resolve(base + "-spans.jsonl"), spans, encoding));
            }
        }
        return files;
    }

    /** Writes {@code records} to {@code file} in {@code encoding}. */
    static Path writeFile(Path file, List<Object> records, Encoding encoding) {
        StringBuilder text = new StringBuilder();
        if (encoding == Encoding.SDK_TO_JSON || encoding == Encoding.SDK_DICT_LINES) {
            for (Object r : records) {
                Object value = encoding == Encoding.SDK_TO_JSON ? toJson(r) : dictForm(r);
                text.append(encoding == Encoding.SDK_TO_JSON ? pretty(value, 4) : json(value)).append('\n');
            }
        } else {
            boolean base64 = encoding == Encoding.OTLP_PROTOBUF_PRETTY;
            for (int from = 0; from < records.size(); ) {   // batches of one kind of record
                boolean spanBatch = records.get(from) instanceof Span;
                int to = from;
                while (to < records.size() && to - from < BATCH && (records.get(to) instanceof Span) == spanBatch) {
                    to++;
                }
                Object request = otlpRequest(records.subList(from, to), spanBatch, base64);
                text.append(base64 ? pretty(request, 2) : json(request)).append('\n');
                from = to;
            }
        }
        try {
            return Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<String, Object> RESOURCE = map("telemetry.sdk.language", "python",
            "telemetry.sdk.name", "opentelemetry", "service.name", "billing-assistant");

    private static Object otlpRequest(List<Object> batch, boolean spans, boolean base64) {
        List<Object> items = new ArrayList<>();
        for (Object r : batch) {
            items.add(spans ? otlpSpan((Span) r, base64) : otlpLog((Log) r, base64));
        }
        Map<String, Object> scope = map("scope", map("name", "opentelemetry.instrumentation.openai_v2"),
                spans ? "spans" : "logRecords", items);
        return map(spans ? "resourceSpans" : "resourceLogs", List.of(map("resource", map("attributes",
                otlpAttributes(RESOURCE)), spans ? "scopeSpans" : "scopeLogs", List.of(scope))));
    }

    private static Map<String, Object> otlpSpan(Span s, boolean base64) {
        Map<String, Object> span = map("traceId", id(s.traceId(), base64), "spanId", id(s.spanId(), base64));
        if (s.parentId() != null) {
            span.put("parentSpanId", id(s.parentId(), base64));
        }
        span.put("name", s.name());
        span.put("kind", base64 ? List.of("SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                "SPAN_KIND_CLIENT").get(s.kind()) : s.kind());
        span.put("startTimeUnixNano", Long.toString(nanos(s.startMs())));
        span.put("endTimeUnixNano", Long.toString(nanos(s.endMs())));
        span.put("attributes", otlpAttributes(s.attributes()));
        span.put("status", s.statusMessage() == null ? map()
                : map("message", s.statusMessage(), "code", base64 ? "STATUS_CODE_ERROR" : 2));
        return span;
    }

    private static Map<String, Object> otlpLog(Log l, boolean base64) {
        Map<String, Object> log = map("observedTimeUnixNano", Long.toString(l.nanos()));
        if (l.body() != null) {
            log.put("body", anyValue(l.body()));
        }
        log.put("attributes", otlpAttributes(l.attributes()));
        log.put("traceId", id(l.traceId(), base64));
        log.put("spanId", id(l.spanId(), base64));
        log.put("eventName", l.eventName());
        return log;
    }

    private static List<Object> otlpAttributes(Map<String, Object> attributes) {
        List<Object> out = new ArrayList<>();
        attributes.forEach((k, v) -> out.add(map("key", k, "value", anyValue(v))));
        return out;
    }

    private static Map<String, Object> anyValue(Object v) {
        if (v instanceof String s) {
            return map("stringValue", s);
        }
        if (v instanceof Boolean b) {
            return map("boolValue", b);
        }
        if (v instanceof Long || v instanceof Integer) {
            return map("intValue", v.toString());
        }
        if (v instanceof Double d) {
            return map("doubleValue", d);
        }
        if (v instanceof List<?> list) {
            return map("arrayValue", map("values", list.stream().map(ScriptedExports::anyValue).toList()));
        }
        Map<?, ?> m = (Map<?, ?>) v;
        List<Object> values = new ArrayList<>();
        m.forEach((k, x) -> values.add(map("key", k, "value", anyValue(x))));
        return map("kvlistValue", map("values", values));
    }

    private static Object toJson(Object r) {
        if (r instanceof Span s) {
            Map<String, Object> status = map("status_code", s.statusMessage() == null ? "UNSET" : "ERROR");
            if (s.statusMessage() != null) {
                status.put("description", s.statusMessage());
            }
            return map("name", s.name(),
                    "context", map("trace_id", "0x" + s.traceId(), "span_id", "0x" + s.spanId(), "trace_state", "[]"),
                    "kind", List.of("SpanKind.INTERNAL", "SpanKind.INTERNAL", "SpanKind.SERVER", "SpanKind.CLIENT")
                            .get(s.kind()),
                    "parent_id", s.parentId() == null ? null : "0x" + s.parentId(),
                    "start_time", iso(nanos(s.startMs())), "end_time", iso(nanos(s.endMs())), "status", status,
                    "attributes", s.attributes(), "events", List.of(), "links", List.of(),
                    "resource", map("attributes", RESOURCE, "schema_url", ""));
        }
        Log l = (Log) r;
        return map("body", l.body(), "severity_number", null, "severity_text", null, "attributes", l.attributes(),
                "dropped_attributes", 0, "timestamp", null, "observed_timestamp", iso(l.nanos()),
                "trace_id", "0x" + l.traceId(), "span_id", "0x" + l.spanId(), "trace_flags", 1,
                "resource", map("attributes", RESOURCE, "schema_url", ""), "event_name", l.eventName());
    }

    private static Object dictForm(Object r) {
        if (r instanceof Span s) {
            Map<String, Object> span = map("name", s.name(), "trace_id", s.traceId(), "span_id", s.spanId(),
                    "start_time_unix_nano", nanos(s.startMs()), "end_time_unix_nano", nanos(s.endMs()),
                    "attributes", s.attributes(), "resource", map("attributes", RESOURCE));
            if (s.statusMessage() != null) {
                span.put("status", map("code", "ERROR", "message", s.statusMessage()));
            }
            return span;
        }
        Log l = (Log) r;
        return map("trace_id", l.traceId(), "span_id", l.spanId(), "time_unix_nano", l.nanos(),
                "event_name", l.eventName(), "body", l.body(), "attributes", l.attributes());
    }

    // ---- helpers ------------------------------------------------------------------------------

    static long nanos(long ms) {
        return IngestFixtures.T0 * 1_000_000L + ms * 1_000_000L;
    }

    private static String iso(long n) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L));
    }

    private static String id(String hex, boolean base64) {
        return base64 ? Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)) : hex;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Object parse(String json) {
        try {
            return Json.mapper().readValue(json, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(Object value, int indent) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter(" ".repeat(indent), "\n"))
                .withArrayIndenter(new DefaultIndenter(" ".repeat(indent), "\n"));
        ObjectMapper mapper = Json.mapper();
        ObjectWriter writer = mapper.writer(printer);
        try {
            return writer.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
