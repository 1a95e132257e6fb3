package io.noos.streams.otel.ingest;

import java.util.List;

/**
 * A message of a model call's input or output, whatever convention it came in.
 *
 * @param role      {@code user}, {@code assistant}, {@code system}, {@code tool}, ... (never null; "" when unknown;
 *                  {@code tool} for a user message of tool results only, see {@link GenAiMessages#role})
 * @param text      its text parts joined by {@link #PART_SEPARATOR}, or null when it has none (content not
 *                  captured, or only tool calls)
 * @param toolCalls the tool calls it requests, in order
 */
record ChatMessage(String role, String text, List<ToolCallPart> toolCalls) {
    /** Separator between the text parts of one message. */
    static final String PART_SEPARATOR = "\n";

    ChatMessage {
        toolCalls = List.copyOf(toolCalls);
    }

    boolean isUser() {
        return role.equals("user");
    }

    /**
     * A tool call a model asked for.
     *
     * @param id        {@code gen_ai.tool.call.id} / the provider's call id, or null
     * @param name      the tool name (never null)
     * @param arguments the arguments as {@code args_json} (a string verbatim, structured values as compact
     *                  JSON), or null when not captured
     */
    record ToolCallPart(String id, String name, String arguments) {}
}
