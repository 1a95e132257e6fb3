package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.otel.JsonValue;
import io.noos.streams.otel.OtelSpanAdapter;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The reference's shape: spans with {@code gen_ai.user/system/assistant/tool.message} span events whose
 * {@code attributes.content} holds the text. (The same events as log records, with the text in the body,
 * as instrumentations emit them, are read by {@link EventMessages}.)
 * They are mapped by the reference adapter itself ({@link OtelSpanAdapter#fromSpan}, spec section 18)
 * and nothing else; this class only counts what that mapping leaves unread or had to coerce, without
 * changing its result.
 */
final class ReferenceShape {
    static final Set<String> MESSAGE_EVENTS =
            Set.of("gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message");

    private static final String USER_MESSAGE = "gen_ai.user.message";
    private static final String ASSISTANT_MESSAGE = "gen_ai.assistant.message";
    private static final String TOOL_MESSAGE = "gen_ai.tool.message";
    private static final List<String> TOKEN_COUNTS = List.of("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");
    private static final List<String> OLD_TOKEN_NAMES =
            List.of("gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens");

    private ReferenceShape() {}

    /** True when the span has a message event of the old conventions. */
    static boolean applies(OtelSpan span) {
        for (OtelSpan.Event e : span.events()) {
            if (e.name() != null && MESSAGE_EVENTS.contains(e.name())) {
                return true;
            }
        }
        return false;
    }

    /** The reference adapter's events for the span; counts what it does not read. */
    static List<AgentEvent> map(OtelSpan span, IssueSink issues) {
        auditTokens(span.attributes(), issues);
        auditEvents(span.events(), issues);
        return OtelSpanAdapter.fromSpan(span.toReferenceForm());
    }

    private static void auditTokens(Map<String, JsonValue> attributes, IssueSink issues) {
        for (String key : TOKEN_COUNTS) {
            JsonValue v = attributes.get(key);
            if (v == null) {
                continue;
            }
            OptionalLong u64 = v.asU64();
            if (u64.isEmpty()) {
                issues.count(IngestIssue.INVALID_TOKEN_COUNT);
            } else if (Long.compareUnsigned(u64.getAsLong(), FieldChecks.U32_MAX) > 0) {
                issues.count(IngestIssue.TOKEN_COUNT_OUT_OF_RANGE);
            }
        }
        for (String key : OLD_TOKEN_NAMES) {
            if (attributes.containsKey(key)) {
                issues.count(IngestIssue.OLD_SHAPE_UNREAD);
            }
        }
    }

    /** Mirrors the adapter's reading rules (first user/assistant message with string content; named tools). */
    private static void auditEvents(List<OtelSpan.Event> events, IssueSink issues) {
        boolean userRead = false;
        boolean assistantRead = false;
        for (OtelSpan.Event e : events) {
            String name = e.name() == null ? "" : e.name();
            boolean hasContent = e.attributes().get("content") instanceof JsonValue.JsonString;
            if (name.equals(USER_MESSAGE) && hasContent && !userRead) {
                userRead = true;
            } else if (name.equals(ASSISTANT_MESSAGE) && hasContent && !assistantRead) {
                assistantRead = true;
            } else if (!name.equals(TOOL_MESSAGE) || !isReadToolMessage(e.attributes())) {
                issues.count(IngestIssue.OLD_SHAPE_UNREAD);
            }
        }
    }

    /** A tool message the adapter turns into at least one event. */
    private static boolean isReadToolMessage(Map<String, JsonValue> attributes) {
        return attributes.get("gen_ai.tool.name") instanceof JsonValue.JsonString
                && (attributes.containsKey("gen_ai.tool.arguments")
                        || attributes.getOrDefault("gen_ai.tool.duration_ms", JsonValue.JsonNull.INSTANCE)
                                .asU64().isPresent());
    }
}
