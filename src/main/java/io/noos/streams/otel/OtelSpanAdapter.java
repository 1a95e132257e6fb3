package io.noos.streams.otel;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Converts one OpenTelemetry GenAI span, in the SDK's dict form, into regulator events exactly as
 * the reference regulator does (spec §18).
 *
 * <p>The events always come out in this order, whatever the order inside the span:
 *
 * <ol>
 *   <li>{@code TurnStart} from the first {@code gen_ai.user.message} event whose
 *       {@code attributes.content} is a string;
 *   <li>{@code TurnComplete} from the first such {@code gen_ai.assistant.message} event;
 *   <li>{@code Cost}, when {@code gen_ai.usage.input_tokens} or {@code gen_ai.usage.output_tokens}
 *       is an unsigned integer: each count truncated modulo 2^32 (a missing one is 0), wall clock
 *       from the span's start and end times, provider from {@code gen_ai.system};
 *   <li>for each {@code gen_ai.tool.message} event with a string {@code gen_ai.tool.name}, in span
 *       order: {@code ToolCall} when {@code gen_ai.tool.arguments} is present, then
 *       {@code ToolResult} when {@code gen_ai.tool.duration_ms} is an unsigned integer.
 * </ol>
 *
 * <p>Anything missing or of the wrong kind produces nothing; a span that is not a JSON object, or
 * that has nothing recognisable, gives an empty list. "Unsigned integer" means a JSON integer
 * literal with no sign, fraction or exponent and a value of at most 2^64−1.
 */
public final class OtelSpanAdapter {

    static final String USER_MESSAGE = "gen_ai.user.message";
    static final String ASSISTANT_MESSAGE = "gen_ai.assistant.message";
    static final String TOOL_MESSAGE = "gen_ai.tool.message";
    static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String SYSTEM = "gen_ai.system";
    static final String START_TIME = "start_time_unix_nano";
    static final String END_TIME = "end_time_unix_nano";
    static final String TOOL_NAME = "gen_ai.tool.name";
    static final String TOOL_ARGUMENTS = "gen_ai.tool.arguments";
    static final String TOOL_DURATION = "gen_ai.tool.duration_ms";
    static final String ERROR_TYPE = "error.type";
    static final String TOOL_ERROR = "gen_ai.tool.error";

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private OtelSpanAdapter() {}

    /**
     * Converts the span held in {@code json}.
     *
     * @throws InvalidEventException if the text is not one well-formed JSON value with valid
     *     Unicode strings
     */
    public static List<AgentEvent> fromSpanJson(String json) {
        return fromSpan(JsonValue.parse(json));
    }

    /**
     * Converts the span held in {@code utf8Json}, for example a Kafka record value.
     *
     * @throws InvalidEventException if the bytes are not UTF-8 or not one well-formed JSON value
     */
    public static List<AgentEvent> fromSpanJson(byte[] utf8Json) {
        if (utf8Json == null) {
            throw new InvalidEventException("JSON text is required, got null");
        }
        return fromSpanJson(decodeUtf8(utf8Json));
    }

    /** Converts an already parsed span. */
    public static List<AgentEvent> fromSpan(JsonValue span) {
        List<AgentEvent> out = new ArrayList<>();
        List<JsonValue> spanEvents = span.get("events").flatMap(JsonValue::asArray).orElse(List.of());
        JsonValue attributes = span.get("attributes").orElse(JsonValue.JsonNull.INSTANCE);

        firstMessageContent(spanEvents, USER_MESSAGE).ifPresent(content -> out.add(new AgentEvent.TurnStart(content)));
        firstMessageContent(spanEvents, ASSISTANT_MESSAGE)
                .ifPresent(content -> out.add(new AgentEvent.TurnComplete(content)));
        cost(span, attributes).ifPresent(out::add);
        for (JsonValue spanEvent : spanEvents) {
            if (hasName(spanEvent, TOOL_MESSAGE)) {
                addToolEvents(spanEvent, out);
            }
        }
        return List.copyOf(out);
    }

    /** The string content of the first event with this name that has one; others are skipped. */
    private static Optional<String> firstMessageContent(List<JsonValue> spanEvents, String eventName) {
        for (JsonValue spanEvent : spanEvents) {
            if (hasName(spanEvent, eventName)) {
                Optional<String> content = spanEvent.get("attributes").flatMap(a -> stringAt(a, "content"));
                if (content.isPresent()) {
                    return content;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<AgentEvent> cost(JsonValue span, JsonValue attributes) {
        OptionalLong tokensIn = u64At(attributes, INPUT_TOKENS);
        OptionalLong tokensOut = u64At(attributes, OUTPUT_TOKENS);
        if (tokensIn.isEmpty() && tokensOut.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AgentEvent.Cost(
                truncateToU32(tokensIn.orElse(0)),
                truncateToU32(tokensOut.orElse(0)),
                wallclockMs(span),
                stringAt(attributes, SYSTEM).orElse(null)));
    }

    /** The reference casts u64 to u32, keeping the low 32 bits: 4294967296 becomes 0. */
    private static long truncateToU32(long u64) {
        return u64 & FieldChecks.U32_MAX;
    }

    /** Span length in whole milliseconds, capped at the u32 maximum; 0 when unknown or negative. */
    static long wallclockMs(JsonValue span) {
        OptionalLong start = u64At(span, START_TIME);
        OptionalLong end = u64At(span, END_TIME);
        if (start.isEmpty() || end.isEmpty() || Long.compareUnsigned(end.getAsLong(), start.getAsLong()) < 0) {
            return 0;
        }
        long millis = Long.divideUnsigned(end.getAsLong() - start.getAsLong(), NANOS_PER_MILLI);
        // After dividing a u64 by 10^6 the result is below 2^45, so a signed min is safe here.
        return Math.min(millis, FieldChecks.U32_MAX);
    }

    private static void addToolEvents(JsonValue toolEvent, List<AgentEvent> out) {
        JsonValue attributes = toolEvent.get("attributes").orElse(JsonValue.JsonNull.INSTANCE);
        Optional<String> toolName = stringAt(attributes, TOOL_NAME);
        if (toolName.isEmpty()) {
            return;
        }
        attributes.get(TOOL_ARGUMENTS)
                .ifPresent(arguments -> out.add(new AgentEvent.ToolCall(toolName.get(), argsJson(arguments))));
        u64At(attributes, TOOL_DURATION)
                .ifPresent(durationMs -> out.add(toolResult(toolName.get(), durationMs, attributes)));
    }

    /** A string passes through verbatim, {@code null} means no arguments, anything else is re-serialised. */
    private static String argsJson(JsonValue arguments) {
        if (arguments instanceof JsonValue.JsonString string) {
            return string.value();
        }
        if (arguments == JsonValue.JsonNull.INSTANCE) {
            return null;
        }
        return ReferenceJson.write(arguments);
    }

    private static AgentEvent.ToolResult toolResult(String toolName, long durationMs, JsonValue attributes) {
        String errorSummary = errorSummary(attributes);
        return new AgentEvent.ToolResult(toolName, errorSummary == null, durationMs, errorSummary);
    }

    /**
     * {@code error.type} when that key is present, whatever its value; only without it is
     * {@code gen_ai.tool.error} consulted. Either way only a string counts as a summary, so a
     * present but non-string {@code error.type} hides the fallback and reads as success.
     */
    private static String errorSummary(JsonValue attributes) {
        return attributes.get(ERROR_TYPE)
                .or(() -> attributes.get(TOOL_ERROR))
                .flatMap(JsonValue::asString)
                .orElse(null);
    }

    private static boolean hasName(JsonValue spanEvent, String name) {
        return stringAt(spanEvent, "name").filter(name::equals).isPresent();
    }

    private static Optional<String> stringAt(JsonValue object, String key) {
        return object.get(key).flatMap(JsonValue::asString);
    }

    private static OptionalLong u64At(JsonValue object, String key) {
        return object.get(key).map(JsonValue::asU64).orElse(OptionalLong.empty());
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return Utf8.decode(bytes);
        } catch (InvalidEventException e) {
            throw new InvalidEventException("malformed JSON: " + e.getMessage(), e);
        }
    }
}
