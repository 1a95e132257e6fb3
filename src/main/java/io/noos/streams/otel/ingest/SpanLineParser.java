package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the JSON value of one line into spans: a single span object (SDK dict form or OTLP/JSON
 * span), or an OTLP export batch {@code {"resourceSpans":[{"resource":{...},"scopeSpans":[{"spans":[...]}]}]}}
 * whose spans are flattened, each keeping its resource's attributes. Field names are accepted in
 * both spellings ({@code trace_id}/{@code traceId}, {@code start_time_unix_nano}/{@code startTimeUnixNano},
 * {@code resource_spans}/{@code resourceSpans}, ...).
 */
final class SpanLineParser {
    private SpanLineParser() {}

    /** The spans on line {@code line}; counts what is not a span. */
    static List<OtelSpan> parse(JsonValue value, long line, IssueSink issues) {
        if (!(value instanceof JsonValue.JsonObject)) {
            issues.count(IngestIssue.NOT_A_SPAN);
            return List.of();
        }
        Optional<List<JsonValue>> batch = either(value, "resourceSpans", "resource_spans").flatMap(JsonValue::asArray);
        List<OtelSpan> out = new ArrayList<>();
        if (batch.isEmpty()) {
            out.add(span(value, resourceOf(value, issues), line, 0, issues));
            return out;
        }
        for (JsonValue resourceSpans : batch.get()) {
            Map<String, JsonValue> resource = resourceOf(resourceSpans, issues);
            List<JsonValue> scopes = either(resourceSpans, "scopeSpans", "scope_spans")
                    .or(() -> resourceSpans.get("instrumentationLibrarySpans"))
                    .flatMap(JsonValue::asArray).orElse(List.of());
            for (JsonValue scope : scopes) {
                for (JsonValue span : scope.get("spans").flatMap(JsonValue::asArray).orElse(List.of())) {
                    if (span instanceof JsonValue.JsonObject) {
                        out.add(span(span, resource, line, out.size(), issues));
                    } else {
                        issues.count(IngestIssue.NOT_A_SPAN);
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, JsonValue> resourceOf(JsonValue owner, IssueSink issues) {
        return owner.get("resource").map(r -> OtlpValues.attributesOf(r, issues)).orElse(Map.of());
    }

    private static OtelSpan span(JsonValue span, Map<String, JsonValue> resource, long line, int index,
                                 IssueSink issues) {
        List<OtelSpan.Event> events = new ArrayList<>();
        for (JsonValue e : span.get("events").flatMap(JsonValue::asArray).orElse(List.of())) {
            if (e instanceof JsonValue.JsonObject) {
                events.add(new OtelSpan.Event(e.get("name").flatMap(JsonValue::asString).orElse(null),
                        either(e, "time_unix_nano", "timeUnixNano").orElse(null),
                        OtlpValues.attributesOf(e, issues)));
            }
        }
        JsonValue status = span.get("status").orElse(JsonValue.JsonNull.INSTANCE);
        return new OtelSpan(line, index, traceId(span), span.get("name").flatMap(JsonValue::asString).orElse(""),
                OtlpValues.attributesOf(span, issues), resource, events,
                either(span, "start_time_unix_nano", "startTimeUnixNano").orElse(null),
                either(span, "end_time_unix_nano", "endTimeUnixNano").orElse(null),
                isError(either(status, "code", "status_code").orElse(null)),
                either(status, "message", "description").flatMap(JsonValue::asString)
                        .filter(m -> !m.isEmpty()).orElse(null));
    }

    private static String traceId(JsonValue span) {
        Optional<String> id = either(span, "trace_id", "traceId")
                .or(() -> span.get("context").flatMap(c -> either(c, "trace_id", "traceId")))
                .flatMap(JsonValue::asString);
        if (id.isEmpty()) {
            return null;
        }
        String hex = id.get().toLowerCase(Locale.ROOT);
        hex = hex.startsWith("0x") ? hex.substring(2) : hex;
        return hex.isEmpty() ? null : hex;
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
