package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One span, whatever encoding it came in, with attributes as plain values (see {@link OtlpValues}).
 *
 * @param location      where it was read
 * @param indexInLine   its position among the spans of that value (from 0; more than one in a batch)
 * @param traceId       see {@link OtelIds}; null when the span has none
 * @param spanId        see {@link OtelIds}; null when the span has none
 * @param name          the span name, or "" when absent
 * @param attributes    the span's attributes
 * @param resource      its resource's attributes (empty when the line has none)
 * @param events        its span events, in order
 * @param startTime     the start time value as written (number, digit string or ISO-8601), or null
 * @param endTime       the end time value as written, or null
 * @param statusError   whether the status code is ERROR ({@code ERROR}, {@code STATUS_CODE_ERROR} or 2)
 * @param statusMessage the status message or description, or null
 */
record OtelSpan(Location location, int indexInLine, String traceId, String spanId, String name,
                Map<String, JsonValue> attributes, Map<String, JsonValue> resource, List<Event> events,
                JsonValue startTime, JsonValue endTime, boolean statusError, String statusMessage) {

    /**
     * A span event.
     *
     * @param name       its name, or null when absent or not a string
     * @param time       its time value as written, or null
     * @param attributes its attributes
     */
    record Event(String name, JsonValue time, Map<String, JsonValue> attributes) {}

    /**
     * Attributes that only say whose work a span is part of; an application span carries them (often
     * through baggage) without being a GenAI operation.
     */
    static final Set<String> CONTEXT_ATTRIBUTES = Set.of("gen_ai.conversation.id", "gen_ai.agent.id",
            "gen_ai.agent.name", "gen_ai.agent.description");

    /**
     * True when the span is a GenAI operation: it has a gen_ai.* attribute other than the
     * {@link #CONTEXT_ATTRIBUTES}, or a gen_ai.* event.
     */
    boolean isGenAi() {
        for (String key : attributes.keySet()) {
            if (key.startsWith("gen_ai.") && !CONTEXT_ATTRIBUTES.contains(key)) {
                return true;
            }
        }
        for (Event e : events) {
            if (e.name() != null && e.name().startsWith("gen_ai.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The span in the SDK dict form that {@link io.noos.streams.otel.OtelSpanAdapter#fromSpan} reads:
     * {@code attributes} and each event's {@code attributes} as objects, the times under
     * {@code start_time_unix_nano} / {@code end_time_unix_nano} (see {@link OtlpValues#timeForReference}).
     * For a span that already was in that form the adapter sees the same values.
     */
    JsonValue toReferenceForm() {
        Map<String, JsonValue> span = new HashMap<>();
        span.put("attributes", new JsonValue.JsonObject(attributes));
        List<JsonValue> eventValues = new ArrayList<>(events.size());
        for (Event e : events) {
            Map<String, JsonValue> event = new HashMap<>();
            if (e.name() != null) {
                event.put("name", new JsonValue.JsonString(e.name()));
            }
            event.put("attributes", new JsonValue.JsonObject(e.attributes()));
            eventValues.add(new JsonValue.JsonObject(event));
        }
        span.put("events", new JsonValue.JsonArray(eventValues));
        if (startTime != null) {
            span.put("start_time_unix_nano", OtlpValues.timeForReference(startTime));
        }
        if (endTime != null) {
            span.put("end_time_unix_nano", OtlpValues.timeForReference(endTime));
        }
        return new JsonValue.JsonObject(span);
    }
}
