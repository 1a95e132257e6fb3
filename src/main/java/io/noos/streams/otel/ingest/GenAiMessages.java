package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.otel.JsonValue;
import io.noos.streams.otel.ReferenceJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the message lists of the current conventions ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}): {@code [{role, parts:[{type:"text", content} | {type:"tool_call",
 * id, name, arguments} | {type:"tool_call_response", id, response} | ...]}]}, given as a structured
 * value or as JSON text of one. A message with a string {@code content} and no {@code parts} (an
 * older flattened form) counts as one text part.
 */
final class GenAiMessages {
    /** Separator between the text parts of one message. */
    static final String PART_SEPARATOR = "\n";

    private GenAiMessages() {}

    /** The messages held in an attribute value, or null (counted) when it holds none. */
    static List<JsonValue> read(JsonValue value, IssueSink issues) {
        JsonValue messages = value;
        if (value instanceof JsonValue.JsonString text) {
            try {
                messages = JsonValue.parse(text.value());
            } catch (InvalidEventException e) {
                messages = null;
            }
        }
        List<JsonValue> list = messages == null ? null : messages.asArray().orElse(null);
        if (list == null) {
            issues.count(IngestIssue.UNPARSEABLE_MESSAGES);
        }
        return list;
    }

    /** The text of the last message whose role is {@code user}, or null when there is none with text. */
    static String lastUserText(List<JsonValue> messages, IssueSink issues) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonValue m = messages.get(i);
            if (m.get("role").flatMap(JsonValue::asString).filter("user"::equals).isPresent()) {
                return text(m, issues);
            }
        }
        return null;
    }

    /** The text of the first output message (the first choice), or null when it has none. */
    static String firstChoiceText(List<JsonValue> messages, IssueSink issues) {
        return messages.isEmpty() ? null : text(messages.get(0), issues);
    }

    /**
     * The {@code tool_call} parts of the first output message as tool calls, in order. Arguments:
     * a string verbatim, null or absent as none, anything else as the reference's compact JSON.
     */
    static List<AgentEvent.ToolCall> firstChoiceToolCalls(List<JsonValue> messages, IssueSink issues) {
        List<AgentEvent.ToolCall> calls = new ArrayList<>();
        if (messages.isEmpty()) {
            return calls;
        }
        for (JsonValue part : parts(messages.get(0))) {
            if (isType(part, "tool_call")) {
                String name = part.get("name").flatMap(JsonValue::asString).orElse(null);
                if (name == null) {
                    issues.count(IngestIssue.TOOL_WITHOUT_NAME);
                } else {
                    calls.add(new AgentEvent.ToolCall(name, arguments(part.get("arguments").orElse(null))));
                }
            }
        }
        return calls;
    }

    /** Tool arguments as {@code args_json}: a string verbatim, null or absent as none, else compact JSON. */
    static String arguments(JsonValue value) {
        if (value == null || value == JsonValue.JsonNull.INSTANCE) {
            return null;
        }
        return value instanceof JsonValue.JsonString s ? s.value() : ReferenceJson.write(value);
    }

    /** The message's text parts joined by {@link #PART_SEPARATOR}, or null when it has no text part. */
    private static String text(JsonValue message, IssueSink issues) {
        if (message.get("parts").isEmpty()) {
            JsonValue content = message.get("content").orElse(null);
            if (content != null && content != JsonValue.JsonNull.INSTANCE && content.asString().isEmpty()) {
                issues.count(IngestIssue.NON_STRING_CONTENT);
            }
            return content == null ? null : content.asString().orElse(null);
        }
        StringBuilder text = null;
        for (JsonValue part : parts(message)) {
            if (!isType(part, "text")) {
                continue;
            }
            String content = part.get("content").flatMap(JsonValue::asString).orElse(null);
            if (content == null) {
                issues.count(IngestIssue.NON_STRING_CONTENT);
            } else if (text == null) {
                text = new StringBuilder(content);
            } else {
                text.append(PART_SEPARATOR).append(content);
            }
        }
        return text == null ? null : text.toString();
    }

    private static List<JsonValue> parts(JsonValue message) {
        return message.get("parts").flatMap(JsonValue::asArray).orElse(List.of());
    }

    private static boolean isType(JsonValue part, String type) {
        return part.get("type").flatMap(JsonValue::asString).filter(type::equals).isPresent();
    }
}
