package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.Set;

/**
 * The per-message events of the older GenAI conventions (v1.36 and before) as log records, as
 * {@code opentelemetry-instrumentation-openai-v2} (default mode) and openllmetry (event mode) emit them
 * around each model call: one {@code gen_ai.{system,user,assistant,tool}.message} record per message
 * of the history, its body {@code {content, tool_calls?, id?}}, then one {@code gen_ai.choice} record
 * per choice, its body {@code {index, finish_reason, message:{role, content, tool_calls?}}} (openllmetry
 * puts {@code tool_calls} beside {@code message}). Without content capture the bodies have no
 * {@code content} and no arguments, but the records are still there.
 */
final class EventMessages {
    static final String CHOICE = "gen_ai.choice";
    static final Set<String> MESSAGE_EVENTS = ReferenceShape.MESSAGE_EVENTS;

    private EventMessages() {}

    static boolean isMessage(String eventName) {
        return eventName != null && MESSAGE_EVENTS.contains(eventName);
    }

    /**
     * A message record as a message of the history; its role from the event name, its text from the
     * body's {@code content} (or from the body itself when that is text).
     */
    static ChatMessage message(OtelLog log, IssueSink issues) {
        String role = log.eventName().substring("gen_ai.".length(), log.eventName().length() - ".message".length());
        JsonValue body = log.body() == null ? JsonValue.JsonNull.INSTANCE : log.body();
        JsonValue content = body instanceof JsonValue.JsonString ? body : body.get("content").orElse(null);
        return new ChatMessage(GenAiMessages.role(role, content), GenAiMessages.contentText(content, issues),
                GenAiMessages.openAiToolCalls(body.get("tool_calls").orElse(null), issues));
    }

    /** The choice index of a {@code gen_ai.choice} record (0 when absent). */
    static long choiceIndex(OtelLog log) {
        JsonValue index = log.body() == null ? null : log.body().get("index").orElse(null);
        return index == null ? 0 : index.asU64().orElse(Long.MAX_VALUE);
    }

    /** A {@code gen_ai.choice} record as the output message it carries. */
    static ChatMessage choice(OtelLog log, IssueSink issues) {
        JsonValue body = log.body() == null ? JsonValue.JsonNull.INSTANCE : log.body();
        JsonValue message = body.get("message").orElse(JsonValue.JsonNull.INSTANCE);
        JsonValue toolCalls = message.get("tool_calls").or(() -> body.get("tool_calls")).orElse(null);
        return new ChatMessage("assistant", GenAiMessages.contentText(message.get("content").orElse(null), issues),
                GenAiMessages.openAiToolCalls(toolCalls, issues));
    }

    /** The choice's finish reason, or null. */
    static String finishReason(OtelLog log) {
        return log.body() == null ? null : log.body().get("finish_reason").flatMap(JsonValue::asString).orElse(null);
    }
}
