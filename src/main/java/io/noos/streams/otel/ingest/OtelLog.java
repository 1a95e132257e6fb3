package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.Map;

/**
 * One log record (an OTel event when it has an event name), whatever encoding it came in.
 *
 * @param location    where it was read
 * @param indexInLine its position among the records of that value
 * @param traceId     the trace it was emitted in (see {@link OtelIds}), or null
 * @param spanId      the span it was emitted in, or null
 * @param eventName   the event name ({@code eventName}/{@code event_name}, else the {@code event.name}
 *                    attribute of older SDKs), or null
 * @param time        the record's time value as written ({@code timeUnixNano}, {@code timestamp}; the
 *                    observed time when that is absent or 0), or null
 * @param body        the body as a plain value (an OTLP AnyValue converted), or null
 * @param attributes  its attributes
 */
record OtelLog(Location location, int indexInLine, String traceId, String spanId, String eventName, JsonValue time,
               JsonValue body, Map<String, JsonValue> attributes) {

    /** True when the record is a GenAI event: its name starts with {@code gen_ai.}. */
    boolean isGenAi() {
        return eventName != null && eventName.startsWith("gen_ai.");
    }
}
