package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The indexed message attributes of openllmetry (traceloop) and of the GenAI conventions before
 * structured messages: {@code gen_ai.prompt.<i>.role|content|tool_call_id} and
 * {@code gen_ai.prompt.<i>.tool_calls.<j>.id|name|arguments} for the input,
 * {@code gen_ai.completion.<i>.role|content|finish_reason|tool_calls.<j>.*} (or
 * {@code .function_call.name|arguments}) for the choices. Content may be a string or JSON text of a
 * list of OpenAI content parts.
 */
final class PromptAttributes {
    private static final Pattern KEY =
            Pattern.compile("gen_ai\\.(prompt|completion)\\.([0-9]{1,9})\\.(.+)");
    private static final Pattern TOOL_CALL_FIELD = Pattern.compile("tool_calls\\.([0-9]{1,9})\\.(id|name|arguments)");

    private PromptAttributes() {}

    /** The input messages and the first choice found in {@code attributes}; parts not there are null. */
    static CallContent read(Map<String, JsonValue> attributes, IssueSink issues) {
        Map<Integer, Map<String, JsonValue>> prompts = new TreeMap<>();
        Map<Integer, Map<String, JsonValue>> completions = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : attributes.entrySet()) {
            Matcher m = KEY.matcher(e.getKey());
            if (m.matches()) {
                (m.group(1).equals("prompt") ? prompts : completions)
                        .computeIfAbsent(Integer.parseInt(m.group(2)), i -> new TreeMap<>()).put(m.group(3), e.getValue());
            }
        }
        List<ChatMessage> input = null;
        if (!prompts.isEmpty()) {
            input = new ArrayList<>();
            for (Map<String, JsonValue> fields : prompts.values()) {
                input.add(message(fields, "", issues));
            }
        }
        ChatMessage output = completions.isEmpty() ? null
                : message(completions.values().iterator().next(), "assistant", issues);
        return new CallContent(input, input == null ? CallContent.Source.NONE : CallContent.Source.PROMPT_ATTRIBUTES,
                output, output == null ? CallContent.Source.NONE : CallContent.Source.PROMPT_ATTRIBUTES);
    }

    private static ChatMessage message(Map<String, JsonValue> fields, String defaultRole, IssueSink issues) {
        String role = OtlpValues.string(fields, "role");
        Map<Integer, String[]> calls = new TreeMap<>();
        for (Map.Entry<String, JsonValue> f : fields.entrySet()) {
            Matcher m = TOOL_CALL_FIELD.matcher(f.getKey());
            if (m.matches()) {
                String[] call = calls.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new String[3]);
                int slot = switch (m.group(2)) {
                    case "id" -> 0;
                    case "name" -> 1;
                    default -> 2;
                };
                call[slot] = slot == 2 ? GenAiMessages.arguments(f.getValue()) : GenAiMessages.id(f.getValue());
            }
        }
        if (calls.isEmpty() && fields.containsKey("function_call.name")) {
            calls.put(0, new String[] {null, OtlpValues.string(fields, "function_call.name"),
                    GenAiMessages.arguments(fields.get("function_call.arguments"))});
        }
        List<ChatMessage.ToolCallPart> toolCalls = new ArrayList<>();
        for (String[] call : calls.values()) {
            if (call[1] == null) {
                issues.count(IngestIssue.TOOL_WITHOUT_NAME);
            } else {
                toolCalls.add(new ChatMessage.ToolCallPart(call[0], call[1], call[2]));
            }
        }
        return new ChatMessage(GenAiMessages.role(role == null ? defaultRole : role, fields.get("content")),
                GenAiMessages.contentText(fields.get("content"), issues), toolCalls);
    }
}
