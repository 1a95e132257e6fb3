package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one JSON value of an input file into spans and log records:
 *
 * <ul>
 *   <li>an OTLP export request, {@code {"resourceSpans":[...]}} and/or {@code {"resourceLogs":[...]}}
 *       (as a Collector's file exporter writes it, or protobuf's {@code MessageToJson}): its spans and
 *       log records are flattened, each keeping its resource's attributes;
 *   <li>a single span: the SDK dict form, an OTLP/JSON span, or the Python SDK's {@code span.to_json()}
 *       ({@code context.trace_id}, ISO-8601 {@code start_time}/{@code end_time});
 *   <li>a single log record: an OTLP/JSON log record or the Python SDK's {@code to_json()} of one
 *       ({@code body}, {@code event_name}, {@code timestamp}, {@code trace_id}/{@code span_id});
 *   <li>an array of any of these.
 * </ul>
 *
 * Field names are accepted in both spellings ({@code trace_id}/{@code traceId},
 * {@code start_time_unix_nano}/{@code startTimeUnixNano}, {@code resource_spans}/{@code resourceSpans}, ...).
 * A record is a log record when it has a field only log records have (body, severity, observed time,
 * event name) and no field only spans have (start or end time, context, kind, status, events); its event
 * name may also be under {@code name}.
 */
final class RecordParser {
    private static final List<String> SPAN_ONLY_FIELDS = List.of("start_time_unix_nano", "startTimeUnixNano",
            "start_time", "end_time_unix_nano", "endTimeUnixNano", "end_time", "context", "kind", "status",
            "events", "parent_id", "parentSpanId", "parent_span_id");
    private static final List<String> LOG_ONLY_FIELDS = List.of("body", "severity_number", "severityNumber",
            "severity_text", "severityText", "observed_timestamp", "observedTimeUnixNano", "observed_time_unix_nano",
            "event_name", "eventName");

    /** The records of one JSON value. */
    record Records(List<OtelSpan> spans, List<OtelLog> logs) {}

    private final Location location;
    private final IssueSink issues;
    private final List<OtelSpan> spans = new ArrayList<>();
    private final List<OtelLog> logs = new ArrayList<>();

    private RecordParser(Location location, IssueSink issues) {
        this.location = location;
        this.issues = issues;
    }

    /** The records in {@code value}, read at {@code location}; counts what is not a record. */
    static Records parse(JsonValue value, Location location, IssueSink issues) {
        RecordParser parser = new RecordParser(location, issues);
        if (value instanceof JsonValue.JsonArray array
                && array.elements().stream().noneMatch(e -> e instanceof JsonValue.JsonObject)) {
            issues.count(IngestIssue.NOT_A_RECORD);
        } else {
            parser.value(value);
        }
        return new Records(List.copyOf(parser.spans), List.copyOf(parser.logs));
    }

    private void value(JsonValue value) {
        if (value instanceof JsonValue.JsonArray array) {
            for (JsonValue element : array.elements()) {
                value(element);
            }
            return;
        }
        if (!(value instanceof JsonValue.JsonObject)) {
            issues.count(IngestIssue.NOT_A_RECORD);
            return;
        }
        Optional<List<JsonValue>> spanBatch = either(value, "resourceSpans", "resource_spans").flatMap(JsonValue::asArray);
        Optional<List<JsonValue>> logBatch = either(value, "resourceLogs", "resource_logs").flatMap(JsonValue::asArray);
        if (spanBatch.isEmpty() && logBatch.isEmpty()) {
            if (isLogRecord(value)) {
                logs.add(log(value, logs.size()));
            } else {
                spans.add(span(value, resourceOf(value), spans.size()));
            }
            return;
        }
        for (JsonValue resourceSpans : spanBatch.orElse(List.of())) {
            Map<String, JsonValue> resource = resourceOf(resourceSpans);
            for (JsonValue scope : scopes(resourceSpans, "scopeSpans", "scope_spans", "instrumentationLibrarySpans")) {
                for (JsonValue span : scope.get("spans").flatMap(JsonValue::asArray).orElse(List.of())) {
                    if (span instanceof JsonValue.JsonObject) {
                        spans.add(span(span, resource, spans.size()));
                    } else {
                        issues.count(IngestIssue.NOT_A_RECORD);
                    }
                }
            }
        }
        for (JsonValue resourceLogs : logBatch.orElse(List.of())) {
            for (JsonValue scope : scopes(resourceLogs, "scopeLogs", "scope_logs", "instrumentationLibraryLogs")) {
                for (JsonValue log : either(scope, "logRecords", "log_records").flatMap(JsonValue::asArray)
                        .orElse(List.of())) {
                    if (log instanceof JsonValue.JsonObject) {
                        logs.add(log(log, logs.size()));
                    } else {
                        issues.count(IngestIssue.NOT_A_RECORD);
                    }
                }
            }
        }
    }

    private static List<JsonValue> scopes(JsonValue resource, String name, String otherName, String legacyName) {
        return either(resource, name, otherName).or(() -> resource.get(legacyName))
                .flatMap(JsonValue::asArray).orElse(List.of());
    }

    private static boolean isLogRecord(JsonValue value) {
        return LOG_ONLY_FIELDS.stream().anyMatch(f -> value.get(f).isPresent())
                && SPAN_ONLY_FIELDS.stream().noneMatch(f -> value.get(f).isPresent());
    }

    private Map<String, JsonValue> resourceOf(JsonValue owner) {
        return owner.get("resource").map(r -> OtlpValues.attributesOf(r, issues)).orElse(Map.of());
    }

    private OtelSpan span(JsonValue span, Map<String, JsonValue> resource, int index) {
        List<OtelSpan.Event> events = new ArrayList<>();
        for (JsonValue e : span.get("events").flatMap(JsonValue::asArray).orElse(List.of())) {
            if (e instanceof JsonValue.JsonObject) {
                events.add(new OtelSpan.Event(e.get("name").flatMap(JsonValue::asString).orElse(null),
                        either(e, "time_unix_nano", "timeUnixNano").or(() -> e.get("timestamp")).orElse(null),
                        OtlpValues.attributesOf(e, issues)));
            }
        }
        JsonValue status = span.get("status").orElse(JsonValue.JsonNull.INSTANCE);
        Optional<JsonValue> context = span.get("context");
        return new OtelSpan(location, index,
                id(either(span, "trace_id", "traceId").or(() -> context.flatMap(c -> either(c, "trace_id", "traceId"))),
                        OtelIds.TRACE_ID_BYTES),
                id(either(span, "span_id", "spanId").or(() -> context.flatMap(c -> either(c, "span_id", "spanId"))),
                        OtelIds.SPAN_ID_BYTES),
                span.get("name").flatMap(JsonValue::asString).orElse(""),
                OtlpValues.attributesOf(span, issues), resource, events,
                either(span, "start_time_unix_nano", "startTimeUnixNano").or(() -> span.get("start_time")).orElse(null),
                either(span, "end_time_unix_nano", "endTimeUnixNano").or(() -> span.get("end_time")).orElse(null),
                isError(either(status, "code", "status_code").orElse(null)),
                either(status, "message", "description").flatMap(JsonValue::asString)
                        .filter(m -> !m.isEmpty()).orElse(null));
    }

    private OtelLog log(JsonValue log, int index) {
        Map<String, JsonValue> attributes = OtlpValues.attributesOf(log, issues);
        String eventName = either(log, "eventName", "event_name").flatMap(JsonValue::asString)
                .filter(n -> !n.isEmpty())
                .or(() -> Optional.ofNullable(OtlpValues.string(attributes, "event.name")))
                .orElseGet(() -> log.get("name").flatMap(JsonValue::asString).orElse(null));
        JsonValue time = either(log, "timeUnixNano", "time_unix_nano").or(() -> log.get("timestamp"))
                .filter(t -> OtlpValues.nanos(t).orElse(0) > 0)
                .or(() -> either(log, "observedTimeUnixNano", "observed_time_unix_nano")
                        .or(() -> log.get("observed_timestamp")))
                .orElse(null);
        return new OtelLog(location, index,
                id(either(log, "traceId", "trace_id"), OtelIds.TRACE_ID_BYTES),
                id(either(log, "spanId", "span_id"), OtelIds.SPAN_ID_BYTES),
                eventName, time, body(log.get("body").orElse(null), log.get("attributes").orElse(null)), attributes);
    }

    /**
     * The body as a plain value. An OTLP record (attributes as a key/value array, or a body that is
     * exactly one AnyValue) holds an AnyValue, converted; otherwise the body is taken as it is.
     */
    private static JsonValue body(JsonValue body, JsonValue attributes) {
        if (body == null || body == JsonValue.JsonNull.INSTANCE) {
            return null;
        }
        JsonValue plain = OtlpValues.anyValue(body);
        boolean otlp = attributes instanceof JsonValue.JsonArray || isAnyValue(body);
        return otlp && plain != null ? plain : body;
    }

    private static boolean isAnyValue(JsonValue body) {
        if (!(body instanceof JsonValue.JsonObject object) || object.members().size() != 1) {
            return false;
        }
        String kind = object.members().keySet().iterator().next();
        return List.of("stringValue", "kvlistValue", "arrayValue", "intValue", "doubleValue", "boolValue", "bytesValue")
                .contains(kind);
    }

    private static String id(Optional<JsonValue> value, int bytes) {
        return OtelIds.normalize(value.flatMap(JsonValue::asString).orElse(null), bytes);
    }

    private static boolean isError(JsonValue code) {
        if (code instanceof JsonValue.JsonNumber n) {
            return n.literal().equals("2");
        }
        String text = code == null ? null : code.asString().orElse(null);
        return text != null && (text.equalsIgnoreCase("ERROR") || text.equalsIgnoreCase("STATUS_CODE_ERROR"));
    }

    private static Optional<JsonValue> either(JsonValue object, String name, String otherName) {
        return object.get(name).or(() -> object.get(otherName));
    }
}
