package io.noos.streams.otel.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * What a model call (or agent invocation) says about the conversation: the messages it was given and
 * the first choice it returned, each from the first source that has it.
 *
 * @param input        the input messages (the chat history, the newest last), or null when unknown
 * @param inputSource  where the input came from ({@link Source#NONE} when unknown)
 * @param output       the first choice, or null when unknown
 * @param outputSource where the output came from
 */
record CallContent(List<ChatMessage> input, Source inputSource, ChatMessage output, Source outputSource) {

    /**
     * Where a model call's messages were found: {@code gen_ai.input/output.messages} span attributes,
     * {@code gen_ai.client.inference.operation.details} events, the older conventions'
     * {@code gen_ai.*.message} and {@code gen_ai.choice} log records, openllmetry's
     * {@code gen_ai.prompt.N.*} / {@code gen_ai.completion.N.*} attributes, or nowhere (content not
     * captured).
     */
    enum Source {
        SPAN_ATTRIBUTES,
        DETAILS_EVENT,
        MESSAGE_EVENTS,
        PROMPT_ATTRIBUTES,
        NONE;

        /** The name in lower case, for reports. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final CallContent EMPTY = new CallContent(null, Source.NONE, null, Source.NONE);

    CallContent {
        input = input == null ? null : List.copyOf(input);
    }

    /** This content, with each part it lacks taken from {@code fallback}. */
    CallContent orElse(CallContent fallback) {
        return new CallContent(input != null ? input : fallback.input, input != null ? inputSource : fallback.inputSource,
                output != null ? output : fallback.output, output != null ? outputSource : fallback.outputSource);
    }

    boolean isEmpty() {
        return input == null && output == null;
    }

    /** The newest user message of the input, or null. */
    ChatMessage latestUserMessage() {
        if (input == null) {
            return null;
        }
        for (int i = input.size() - 1; i >= 0; i--) {
            if (input.get(i).isUser()) {
                return input.get(i);
            }
        }
        return null;
    }

    /**
     * Each user message of the input as the identity that tells a new question from one already seen:
     * its text ("" when not captured) and how many user messages before it in this input had the same
     * text. The identity survives a history that grows, or loses its oldest messages.
     */
    List<String> userMessageIdentities() {
        List<String> ids = new ArrayList<>();
        if (input == null) {
            return ids;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (ChatMessage m : input) {
            if (m.isUser()) {
                String text = m.text() == null ? "" : m.text();
                int before = seen.merge(text, 1, Integer::sum) - 1;
                ids.add(before + "\u0000" + text);
            }
        }
        return ids;
    }

    /**
     * This content with only what turns and tools need: the user messages, the tool calls of the
     * history, and the output. The texts of other messages (system prompts, tool results, earlier
     * answers) are dropped, so a long history repeated on every call is not held many times.
     */
    CallContent compact() {
        if (input == null) {
            return this;
        }
        List<ChatMessage> kept = new ArrayList<>();
        for (ChatMessage m : input) {
            if (m.isUser()) {
                kept.add(new ChatMessage(m.role(), m.text(), List.of()));
            } else if (!m.toolCalls().isEmpty()) {
                kept.add(new ChatMessage(m.role(), null, m.toolCalls()));
            }
        }
        return new CallContent(kept, inputSource, output, outputSource);
    }

    /** Every tool call part of the input history and the output, for arguments joined by call id. */
    List<ChatMessage.ToolCallPart> allToolCallParts() {
        List<ChatMessage.ToolCallPart> parts = new ArrayList<>();
        if (input != null) {
            input.forEach(m -> parts.addAll(m.toolCalls()));
        }
        if (output != null) {
            parts.addAll(output.toolCalls());
        }
        return parts;
    }
}
