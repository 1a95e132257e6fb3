package io.noos.streams.otel.ingest;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.otel.JsonValue;
import io.noos.streams.otel.ReferenceJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads messages in the shapes the conventions and instrumentations write them, into
 * {@link ChatMessage}s:
 *
 * <ul>
 *   <li>the current conventions' lists ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}):
 *       {@code [{role, parts:[{type:"text", content} | {type:"tool_call", id, name, arguments} | ...]}]},
 *       as a structured value or as JSON text of one; a message with a string {@code content} and no
 *       {@code parts} (an older flattened form) counts as one text part;
 *   <li>OpenAI-style content ({@link #contentText}): a string, or a list of parts
 *       {@code {type:"text", text}} (or {@code content}), as the older events' bodies and openllmetry's
 *       attributes hold it;
 *   <li>OpenAI-style tool calls ({@link #openAiToolCalls}): {@code [{id, type, function:{name, arguments}}]}.
 * </ul>
 */
final class GenAiMessages {
    private static final Set<String> TOOL_RESULT_TYPES = Set.of("tool_call_response", "tool_result",
            "function_call_output");

    private GenAiMessages() {}

    /** The messages held in an attribute value, or null (counted) when it holds none. */
    static List<ChatMessage> read(JsonValue value, IssueSink issues) {
        List<JsonValue> list = jsonList(value);
        if (list == null) {
            issues.count(IngestIssue.UNPARSEABLE_MESSAGES);
            return null;
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonValue m : list) {
            if (!(m instanceof JsonValue.JsonObject)) {
                issues.count(IngestIssue.UNPARSEABLE_MESSAGES);
                continue;
            }
            String role = role(m.get("role").flatMap(JsonValue::asString).orElse(""),
                    m.get("parts").or(() -> m.get("content")).orElse(null));
            messages.add(new ChatMessage(role, partsText(m, issues), partsToolCalls(m, issues)));
        }
        return messages;
    }

    /**
     * The role a message plays: {@code tool} for a {@code user} message whose parts or content are
     * all tool results ({@code tool_call_response}, Anthropic's {@code tool_result}, OpenAI's
     * {@code function_call_output}), as providers that return tool results in user messages write
     * them: those are no question of the user's. Otherwise {@code declared}.
     */
    static String role(String declared, JsonValue partsOrContent) {
        if (!"user".equals(declared) || partsOrContent == null || partsOrContent instanceof JsonValue.JsonNull) {
            return declared;
        }
        List<JsonValue> parts = partsOrContent instanceof JsonValue.JsonString s && s.value().startsWith("[")
                ? jsonList(s) : partsOrContent.asArray().orElse(null);
        boolean onlyToolResults = parts != null && !parts.isEmpty() && parts.stream().allMatch(
                p -> p.get("type").flatMap(JsonValue::asString).filter(TOOL_RESULT_TYPES::contains).isPresent());
        return onlyToolResults ? "tool" : declared;
    }

    /** A list value, or JSON text of one; null otherwise. */
    private static List<JsonValue> jsonList(JsonValue value) {
        JsonValue parsed = value;
        if (value instanceof JsonValue.JsonString text) {
            try {
                parsed = JsonValue.parse(text.value());
            } catch (InvalidEventException e) {
                return null;
            }
        }
        return parsed.asArray().orElse(null);
    }

    /** The message's text parts joined, or null when it has no text part. */
    private static String partsText(JsonValue message, IssueSink issues) {
        if (message.get("parts").isEmpty()) {
            JsonValue content = message.get("content").orElse(null);
            return content == null ? null : contentText(content, issues);
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
                text.append(ChatMessage.PART_SEPARATOR).append(content);
            }
        }
        return text == null ? null : text.toString();
    }

    /** The {@code tool_call} parts of a message, in order; a part without a name is counted and skipped. */
    private static List<ChatMessage.ToolCallPart> partsToolCalls(JsonValue message, IssueSink issues) {
        List<ChatMessage.ToolCallPart> calls = new ArrayList<>();
        for (JsonValue part : parts(message)) {
            if (isType(part, "tool_call")) {
                String name = part.get("name").flatMap(JsonValue::asString).orElse(null);
                if (name == null) {
                    issues.count(IngestIssue.TOOL_WITHOUT_NAME);
                } else {
                    calls.add(new ChatMessage.ToolCallPart(id(part.get("id").orElse(null)), name,
                            arguments(part.get("arguments").orElse(null))));
                }
            }
        }
        return calls;
    }

    /**
     * The text of OpenAI-style content: a string as it is (JSON text of a list of parts is read as
     * that list), a list of parts as their text ({@code text} or {@code content} of {@code type:"text"}
     * parts, and bare strings) joined, or null when there is none. Content of another kind is counted.
     */
    static String contentText(JsonValue content, IssueSink issues) {
        if (content == null || content == JsonValue.JsonNull.INSTANCE) {
            return null;
        }
        if (content instanceof JsonValue.JsonString s) {
            List<JsonValue> parts = s.value().startsWith("[") ? jsonList(s) : null;
            return parts != null && !parts.isEmpty() && parts.stream().allMatch(p -> p.get("type").isPresent())
                    ? listText(parts, issues) : s.value();
        }
        if (content instanceof JsonValue.JsonArray array) {
            return listText(array.elements(), issues);
        }
        issues.count(IngestIssue.NON_STRING_CONTENT);
        return null;
    }

    private static String listText(List<JsonValue> parts, IssueSink issues) {
        StringBuilder text = null;
        for (JsonValue part : parts) {
            String piece = part.asString().orElse(null);
            if (piece == null && isType(part, "text")) {
                piece = part.get("text").or(() -> part.get("content")).flatMap(JsonValue::asString).orElse(null);
                if (piece == null) {
                    issues.count(IngestIssue.NON_STRING_CONTENT);
                }
            }
            if (piece != null) {
                text = text == null ? new StringBuilder(piece) : text.append(ChatMessage.PART_SEPARATOR).append(piece);
            }
        }
        return text == null ? null : text.toString();
    }

    /**
     * OpenAI-style tool calls: {@code [{id, type:"function", function:{name, arguments}}]}, or the flat
     * {@code [{id, name, arguments}]}. Calls without a name are counted and skipped.
     */
    static List<ChatMessage.ToolCallPart> openAiToolCalls(JsonValue toolCalls, IssueSink issues) {
        List<ChatMessage.ToolCallPart> calls = new ArrayList<>();
        for (JsonValue call : toolCalls == null ? List.<JsonValue>of() : toolCalls.asArray().orElse(List.of())) {
            JsonValue function = call.get("function").orElse(call);
            String name = function.get("name").flatMap(JsonValue::asString).orElse(null);
            if (name == null) {
                issues.count(IngestIssue.TOOL_WITHOUT_NAME);
            } else {
                calls.add(new ChatMessage.ToolCallPart(id(call.get("id").orElse(null)), name,
                        arguments(function.get("arguments").orElse(null))));
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

    /** A call id: a non-empty string (trimmed), or null. */
    static String id(JsonValue value) {
        String id = value == null ? null : value.asString().map(String::strip).orElse(null);
        return id == null || id.isEmpty() ? null : id;
    }

    private static List<JsonValue> parts(JsonValue message) {
        return message.get("parts").flatMap(JsonValue::asArray).orElse(List.of());
    }

    private static boolean isType(JsonValue part, String type) {
        return part.get("type").flatMap(JsonValue::asString).filter(type::equals).isPresent();
    }
}
