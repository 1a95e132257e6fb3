package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.otel.JsonValue;
import io.noos.streams.otel.ReferenceJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The current GenAI conventions (v1.37+): messages in {@code gen_ai.input.messages} /
 * {@code gen_ai.output.messages} (on the span, or on a {@code gen_ai.client.inference.operation.details}
 * event), usage in {@code gen_ai.usage.*}, tools as {@code execute_tool} spans, evaluations as
 * {@code gen_ai.evaluation.result} events.
 */
final class CurrentShape {
    static final String OPERATION = "gen_ai.operation.name";
    static final String EXECUTE_TOOL = "execute_tool";
    static final String EVALUATION_EVENT = "gen_ai.evaluation.result";
    static final String DETAILS_EVENT = "gen_ai.client.inference.operation.details";

    private static final String TRACELOOP_KIND = "traceloop.span.kind";
    private static final String TRACELOOP_TOOL = "tool";
    private static final String INPUT_MESSAGES = "gen_ai.input.messages";
    private static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
    private static final List<String> AGENT_OPERATIONS = List.of("invoke_agent", "create_agent");

    private CurrentShape() {}

    /**
     * A tool execution span: {@code execute_tool} by operation name or by span name as
     * instrumentations write it, or a traceloop tool span ({@code traceloop.span.kind = tool}).
     */
    static boolean isToolSpan(OtelSpan span) {
        return EXECUTE_TOOL.equals(OtlpValues.string(span.attributes(), OPERATION))
                || span.name().startsWith(EXECUTE_TOOL) || isTraceloopTool(span);
    }

    static boolean isTraceloopTool(OtelSpan span) {
        return TRACELOOP_TOOL.equals(OtlpValues.string(span.attributes(), TRACELOOP_KIND));
    }

    /** An agent invocation or creation span. */
    static boolean isAgentSpan(OtelSpan span) {
        String operation = OtlpValues.string(span.attributes(), OPERATION);
        for (String agentOperation : AGENT_OPERATIONS) {
            if (agentOperation.equals(operation) || span.name().startsWith(agentOperation)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A model call or agent span as far as the span itself tells: its messages (the span's
     * {@code gen_ai.input/output.messages}, else those of its operation-details span event, else
     * openllmetry's indexed attributes), its usage and its finish reasons. Log records of the span
     * may add messages later ({@link LogJoin}).
     */
    static SpanFacts.Mapping.ModelCall modelCall(OtelSpan span, long wallclockMs, boolean agent, IssueSink issues) {
        CallContent content = messages(span.attributes(), CallContent.Source.SPAN_ATTRIBUTES, issues);
        for (OtelSpan.Event e : span.events()) {
            if (DETAILS_EVENT.equals(e.name())) {
                content = content.orElse(messages(e.attributes(), CallContent.Source.DETAILS_EVENT, issues));
            }
        }
        content = content.orElse(PromptAttributes.read(span.attributes(), issues)).compact();
        return new SpanFacts.Mapping.ModelCall(agent, content, cost(span.attributes(), wallclockMs, issues),
                finishReasons(span.attributes()));
    }

    /** The {@code gen_ai.input.messages} and the first of {@code gen_ai.output.messages} in {@code attributes}. */
    static CallContent messages(Map<String, JsonValue> attributes, CallContent.Source source, IssueSink issues) {
        List<ChatMessage> input = null;
        JsonValue inputValue = attributes.get(INPUT_MESSAGES);
        if (inputValue != null) {
            input = GenAiMessages.read(inputValue, issues);
        }
        ChatMessage output = null;
        JsonValue outputValue = attributes.get(OUTPUT_MESSAGES);
        if (outputValue != null) {
            List<ChatMessage> outputs = GenAiMessages.read(outputValue, issues);
            output = outputs == null || outputs.isEmpty() ? null : outputs.get(0);
        }
        return new CallContent(input, input == null ? CallContent.Source.NONE : source,
                output, output == null ? CallContent.Source.NONE : source);
    }

    /** {@code gen_ai.response.finish_reasons} (a list, or one string), else empty. */
    static List<String> finishReasons(Map<String, JsonValue> attributes) {
        JsonValue v = attributes.get("gen_ai.response.finish_reasons");
        if (v instanceof JsonValue.JsonString s) {
            return List.of(s.value());
        }
        List<String> reasons = new ArrayList<>();
        for (JsonValue r : v == null ? List.<JsonValue>of() : v.asArray().orElse(List.of())) {
            r.asString().ifPresent(reasons::add);
        }
        return reasons;
    }

    /**
     * Usage as a Cost, or null when neither count is valid. Input from {@code input_tokens} else
     * {@code prompt_tokens}, output from {@code output_tokens} else {@code completion_tokens}; a
     * missing count is 0; provider from {@code gen_ai.provider.name} else {@code gen_ai.system}.
     */
    static AgentEvent.Cost cost(Map<String, JsonValue> attributes, long wallclockMs, IssueSink issues) {
        OptionalLong in = tokens(attributes, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", issues);
        OptionalLong out = tokens(attributes, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", issues);
        if (in.isEmpty() && out.isEmpty()) {
            return null;
        }
        String provider = OtlpValues.string(attributes, "gen_ai.provider.name");
        if (provider == null) {
            provider = OtlpValues.string(attributes, "gen_ai.system");
        }
        return new AgentEvent.Cost(in.orElse(0), out.orElse(0), Math.min(wallclockMs, FieldChecks.U32_MAX), provider);
    }

    /** The first of the two names holding a non-negative integer, clamped to u32; invalid values counted. */
    private static OptionalLong tokens(Map<String, JsonValue> attributes, String name, String fallback,
                                       IssueSink issues) {
        for (String key : List.of(name, fallback)) {
            JsonValue v = attributes.get(key);
            if (v == null) {
                continue;
            }
            if (!(v instanceof JsonValue.JsonNumber n) || !n.isIntegerLiteral() || n.isNegative()) {
                issues.count(IngestIssue.INVALID_TOKEN_COUNT);
                continue;
            }
            OptionalLong u64 = n.asU64();
            if (u64.isEmpty() || Long.compareUnsigned(u64.getAsLong(), FieldChecks.U32_MAX) > 0) {
                issues.count(IngestIssue.TOKEN_COUNT_OUT_OF_RANGE);
                return OptionalLong.of(FieldChecks.U32_MAX);
            }
            return u64;
        }
        return OptionalLong.empty();
    }

    /**
     * A tool execution span: ToolCall({@code gen_ai.tool.name}, {@code gen_ai.tool.call.arguments})
     * and ToolResult, a failure when {@code error.type} is set or the status is ERROR; the error
     * summary is {@code error.type}, else the status message. The tool name falls back to the span
     * name after {@code "execute_tool "}; a traceloop tool span gives {@code traceloop.entity.name} and
     * no arguments (its recorded input is the function's, not the model's arguments).
     */
    static SpanFacts.Mapping toolExecution(OtelSpan span, long durationMs, IssueSink issues) {
        Map<String, JsonValue> a = span.attributes();
        String name = OtlpValues.string(a, "gen_ai.tool.name");
        if (name == null && span.name().startsWith(EXECUTE_TOOL + " ")) {
            name = span.name().substring(EXECUTE_TOOL.length() + 1).trim();
        }
        if (name == null && isTraceloopTool(span)) {
            name = OtlpValues.string(a, "traceloop.entity.name");
        }
        if (name == null || name.isEmpty()) {
            issues.count(IngestIssue.TOOL_WITHOUT_NAME);
            return new SpanFacts.Mapping.None(true);
        }
        JsonValue errorType = a.get("error.type");
        boolean hasErrorType = errorType != null && errorType != JsonValue.JsonNull.INSTANCE;
        String summary = hasErrorType
                ? errorType.asString().orElseGet(() -> ReferenceJson.write(errorType))
                : span.statusError() ? span.statusMessage() : null;
        boolean success = !hasErrorType && !span.statusError();
        return new SpanFacts.Mapping.ToolExecution(
                new AgentEvent.ToolCall(name, GenAiMessages.arguments(a.get("gen_ai.tool.call.arguments"))),
                new AgentEvent.ToolResult(name, success, durationMs, summary),
                GenAiMessages.id(a.get("gen_ai.tool.call.id")));
    }

    /**
     * The span's {@code gen_ai.evaluation.result} scores, each at its event time but not before the
     * span's end (it scores that span's response). Other gen_ai.* events are counted as unread.
     */
    static List<SpanFacts.Evaluation> evaluations(OtelSpan span, long endNanos, IssueSink issues) {
        List<SpanFacts.Evaluation> out = new ArrayList<>();
        for (OtelSpan.Event e : span.events()) {
            if (EVALUATION_EVENT.equals(e.name())) {
                SpanFacts.Evaluation evaluation = evaluation(e.attributes(), e.time(), endNanos, issues);
                if (evaluation != null) {
                    out.add(evaluation);
                }
            } else if (e.name() != null && e.name().startsWith("gen_ai.") && !DETAILS_EVENT.equals(e.name())) {
                issues.count(IngestIssue.UNREAD_EVENT);
            }
        }
        return out;
    }

    /**
     * One {@code gen_ai.evaluation.result} (span event or log record) scoring a span that ends at
     * {@code endNanos}; null (counted) without a numeric {@code gen_ai.evaluation.score.value}.
     */
    static SpanFacts.Evaluation evaluation(Map<String, JsonValue> attributes, JsonValue time, long endNanos,
                                           IssueSink issues) {
        OptionalDouble score = OtlpValues.number(attributes.get("gen_ai.evaluation.score.value"));
        if (score.isEmpty()) {
            issues.count(IngestIssue.INVALID_EVALUATION_SCORE);
            return null;
        }
        return new SpanFacts.Evaluation(Math.max(OtlpValues.nanos(time).orElse(endNanos), endNanos),
                score.getAsDouble());
    }
}
