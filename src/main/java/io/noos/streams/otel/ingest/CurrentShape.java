package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.pricing.Money;
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

    private static final String INPUT_MESSAGES = "gen_ai.input.messages";
    private static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
    private static final List<String> AGENT_OPERATIONS = List.of("invoke_agent", "create_agent");

    private CurrentShape() {}

    /** An {@code execute_tool} span: by operation name, or by span name as instrumentations write it. */
    static boolean isToolSpan(OtelSpan span) {
        return EXECUTE_TOOL.equals(OtlpValues.string(span.attributes(), OPERATION))
                || span.name().startsWith(EXECUTE_TOOL);
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
     * A model call or agent span: the last user message's text, the first choice's text and tool
     * calls, and the usage. A span with none of these maps to nothing.
     */
    static SpanFacts.Mapping modelCall(OtelSpan span, long wallclockMs, boolean agent, IssueSink issues) {
        String input = null;
        JsonValue inputValue = messagesValue(span, INPUT_MESSAGES);
        if (inputValue != null) {
            List<JsonValue> messages = GenAiMessages.read(inputValue, issues);
            input = messages == null ? null : GenAiMessages.lastUserText(messages, issues);
        }
        String output = null;
        List<AgentEvent.ToolCall> toolCalls = List.of();
        JsonValue outputValue = messagesValue(span, OUTPUT_MESSAGES);
        if (outputValue != null) {
            List<JsonValue> messages = GenAiMessages.read(outputValue, issues);
            if (messages != null) {
                output = GenAiMessages.firstChoiceText(messages, issues);
                toolCalls = GenAiMessages.firstChoiceToolCalls(messages, issues);
            }
        }
        AgentEvent.Cost cost = cost(span.attributes(), wallclockMs, issues);
        if (input == null && output == null && toolCalls.isEmpty() && cost == null) {
            return new SpanFacts.Mapping.None();
        }
        String model = OtlpValues.string(span.attributes(), "gen_ai.response.model");
        if (model == null || model.isEmpty()) {
            model = OtlpValues.string(span.attributes(), "gen_ai.request.model");
        }
        return new SpanFacts.Mapping.ModelCall(agent, input, output, toolCalls, cost,
                model == null || model.isEmpty() ? null : model,
                cost == null ? null : reportedCost(span.attributes(), issues));
    }

    /** {@code gen_ai.usage.cost.amount} (a number or decimal string) in {@code gen_ai.usage.cost.currency}, or null. */
    static Money reportedCost(Map<String, JsonValue> attributes, IssueSink issues) {
        JsonValue amount = attributes.get("gen_ai.usage.cost.amount");
        if (amount == null) {
            return null;
        }
        String text = amount instanceof JsonValue.JsonNumber n ? n.literal() : amount.asString().orElse(null);
        try {
            return Money.parse(text, OtlpValues.string(attributes, "gen_ai.usage.cost.currency"));
        } catch (IllegalArgumentException e) {
            issues.count(IngestIssue.INVALID_COST_AMOUNT);
            return null;
        }
    }

    /** The attribute on the span, else on its operation-details event, else null. */
    private static JsonValue messagesValue(OtelSpan span, String key) {
        JsonValue v = span.attributes().get(key);
        if (v != null) {
            return v;
        }
        for (OtelSpan.Event e : span.events()) {
            if (DETAILS_EVENT.equals(e.name()) && e.attributes().containsKey(key)) {
                return e.attributes().get(key);
            }
        }
        return null;
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
     * An {@code execute_tool} span: ToolCall({@code gen_ai.tool.name}, {@code gen_ai.tool.call.arguments})
     * and ToolResult, a failure when {@code error.type} is set or the status is ERROR; the error
     * summary is {@code error.type}, else the status message. The tool name falls back to the span
     * name after {@code "execute_tool "}.
     */
    static SpanFacts.Mapping toolExecution(OtelSpan span, long durationMs, IssueSink issues) {
        Map<String, JsonValue> a = span.attributes();
        String name = OtlpValues.string(a, "gen_ai.tool.name");
        if (name == null && span.name().startsWith(EXECUTE_TOOL + " ")) {
            name = span.name().substring(EXECUTE_TOOL.length() + 1).trim();
        }
        if (name == null || name.isEmpty()) {
            issues.count(IngestIssue.TOOL_WITHOUT_NAME);
            return new SpanFacts.Mapping.None();
        }
        JsonValue errorType = a.get("error.type");
        boolean hasErrorType = errorType != null && errorType != JsonValue.JsonNull.INSTANCE;
        String summary = hasErrorType
                ? errorType.asString().orElseGet(() -> ReferenceJson.write(errorType))
                : span.statusError() ? span.statusMessage() : null;
        boolean success = !hasErrorType && !span.statusError();
        return new SpanFacts.Mapping.ToolExecution(
                new AgentEvent.ToolCall(name, GenAiMessages.arguments(a.get("gen_ai.tool.call.arguments"))),
                new AgentEvent.ToolResult(name, success, durationMs, summary));
    }

    /**
     * The span's {@code gen_ai.evaluation.result} scores, each at its event time but not before the
     * span's end (it scores that span's response). Other gen_ai.* events are counted as unread.
     */
    static List<SpanFacts.Evaluation> evaluations(OtelSpan span, long endNanos, IssueSink issues) {
        List<SpanFacts.Evaluation> out = new ArrayList<>();
        for (OtelSpan.Event e : span.events()) {
            if (EVALUATION_EVENT.equals(e.name())) {
                OptionalDouble score = OtlpValues.number(e.attributes().get("gen_ai.evaluation.score.value"));
                if (score.isEmpty()) {
                    issues.count(IngestIssue.INVALID_EVALUATION_SCORE);
                    continue;
                }
                long at = Math.max(OtlpValues.nanos(e.time()).orElse(endNanos), endNanos);
                out.add(new SpanFacts.Evaluation(at, score.getAsDouble()));
            } else if (e.name() != null && e.name().startsWith("gen_ai.") && !DETAILS_EVENT.equals(e.name())) {
                issues.count(IngestIssue.UNREAD_EVENT);
            }
        }
        return out;
    }
}
