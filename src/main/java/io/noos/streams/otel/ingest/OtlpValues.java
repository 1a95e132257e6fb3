package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads attribute collections and values in both encodings a span log may use, giving the plain
 * values of the SDK dict form:
 *
 * <ul>
 *   <li>SDK dict form: {@code "attributes": {"k": v}}, values as they are;
 *   <li>OTLP/JSON: {@code "attributes": [{"key": k, "value": AnyValue}]}, where AnyValue is one of
 *       {@code stringValue}, {@code boolValue}, {@code intValue} (number or decimal string),
 *       {@code doubleValue}, {@code arrayValue.values}, {@code kvlistValue.values},
 *       {@code bytesValue} (kept as its base64 string), or {@code {}} (null).
 * </ul>
 *
 * <p>An {@code intValue} becomes an integer literal and a {@code doubleValue} a literal with a
 * fraction or exponent ({@code 800} becomes {@code 800.0}), so a double count stays "not an unsigned
 * integer" for the reference mapping as it is in the dict form. The proto3 spellings {@code "NaN"},
 * {@code "Infinity"} and {@code "-Infinity"} stay strings (see {@link #number}).
 */
final class OtlpValues {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
    private static final Pattern ANY_DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern ISO_DATE_TIME =
            Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?");

    private OtlpValues() {}

    /** The attributes held in {@code value} as a map; anything that is neither form gives an empty map. */
    static Map<String, JsonValue> attributes(JsonValue value, IssueSink issues) {
        if (value instanceof JsonValue.JsonObject object) {
            return object.members();
        }
        if (value instanceof JsonValue.JsonArray array) {
            return keyValues(array.elements(), issues);
        }
        return Map.of();
    }

    /** The attributes of {@code owner.attributes}; empty when absent. */
    static Map<String, JsonValue> attributesOf(JsonValue owner, IssueSink issues) {
        return owner.get("attributes").map(a -> attributes(a, issues)).orElse(Map.of());
    }

    /** {@code [{key, value}]} as a map; a repeated key keeps its last value, as in the dict form. */
    private static Map<String, JsonValue> keyValues(List<JsonValue> entries, IssueSink issues) {
        Map<String, JsonValue> out = new LinkedHashMap<>();
        for (JsonValue entry : entries) {
            Optional<String> key = entry.get("key").flatMap(JsonValue::asString);
            JsonValue value = key.isPresent()
                    ? anyValue(entry.get("value").orElse(new JsonValue.JsonObject(Map.of())))
                    : null;
            if (value == null) {
                issues.count(IngestIssue.MALFORMED_ATTRIBUTE);
            } else {
                out.put(key.get(), value);
            }
        }
        return out;
    }

    /** One OTLP AnyValue as a plain value, or null when it is not one. */
    static JsonValue anyValue(JsonValue any) {
        if (!(any instanceof JsonValue.JsonObject object)) {
            return null;
        }
        Map<String, JsonValue> m = object.members();
        if (m.isEmpty()) {
            return JsonValue.JsonNull.INSTANCE;
        }
        if (m.size() != 1) {
            return null;
        }
        Map.Entry<String, JsonValue> only = m.entrySet().iterator().next();
        JsonValue v = only.getValue();
        switch (only.getKey()) {
            case "stringValue":
            case "bytesValue":
                return v instanceof JsonValue.JsonString ? v : null;
            case "boolValue":
                return v instanceof JsonValue.JsonBoolean ? v : null;
            case "intValue":
                return intValue(v);
            case "doubleValue":
                return doubleValue(v);
            case "arrayValue":
                return arrayValue(v);
            case "kvlistValue":
                return kvlistValue(v);
            default:
                return null;
        }
    }

    private static JsonValue intValue(JsonValue v) {
        String literal = v instanceof JsonValue.JsonNumber n ? n.literal() : v.asString().orElse(null);
        return literal != null && INTEGER.matcher(literal).matches() ? new JsonValue.JsonNumber(literal) : null;
    }

    private static JsonValue doubleValue(JsonValue v) {
        if (v instanceof JsonValue.JsonNumber n) {
            return n.isIntegerLiteral() ? new JsonValue.JsonNumber(n.literal() + ".0") : n;
        }
        String text = v.asString().orElse(null);
        if (text == null) {
            return null;
        }
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return v;
        }
        try {
            double d = Double.parseDouble(text);
            return Double.isFinite(d) ? new JsonValue.JsonNumber(Double.toString(d)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonValue arrayValue(JsonValue v) {
        List<JsonValue> values = v.get("values").flatMap(JsonValue::asArray).orElse(List.of());
        JsonValue[] out = new JsonValue[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = anyValue(values.get(i));
            if (out[i] == null) {
                return null;
            }
        }
        return new JsonValue.JsonArray(List.of(out));
    }

    private static JsonValue kvlistValue(JsonValue v) {
        Map<String, JsonValue> out = new HashMap<>();
        for (JsonValue entry : v.get("values").flatMap(JsonValue::asArray).orElse(List.of())) {
            Optional<String> key = entry.get("key").flatMap(JsonValue::asString);
            JsonValue value = key.isEmpty() ? null
                    : anyValue(entry.get("value").orElse(new JsonValue.JsonObject(Map.of())));
            if (value == null) {
                return null;
            }
            out.put(key.get(), value);
        }
        return new JsonValue.JsonObject(out);
    }

    /**
     * A time in nanoseconds since the epoch, below 2^63: a non-negative integer literal or a string
     * of decimal digits (OTLP/JSON writes 64-bit integers as strings), or an ISO-8601 date-time as
     * the Python SDK's {@code to_json()} writes it ({@code 2023-11-14T22:13:20.123456Z}; an offset
     * instead of {@code Z} is applied, a time without one is UTC).
     */
    static OptionalLong nanos(JsonValue v) {
        if (v instanceof JsonValue.JsonNumber n) {
            OptionalLong u64 = n.asU64();
            return u64.isPresent() && u64.getAsLong() >= 0 ? u64 : OptionalLong.empty();
        }
        String text = v == null ? null : v.asString().orElse(null);
        if (text == null) {
            return OptionalLong.empty();
        }
        if (DIGITS.matcher(text).matches()) {
            long parsed = Long.parseUnsignedLong(text);
            return parsed >= 0 ? OptionalLong.of(parsed) : OptionalLong.empty();
        }
        return isoNanos(text.trim());
    }

    private static OptionalLong isoNanos(String text) {
        if (!ISO_DATE_TIME.matcher(text).matches()) {
            return OptionalLong.empty();
        }
        String iso = text.replace(' ', 'T').replace('z', 'Z').replaceFirst("([+-][0-9]{2})([0-9]{2})$", "$1:$2");
        Instant instant;
        try {
            instant = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                instant = LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return OptionalLong.empty();
            }
        }
        if (instant.getEpochSecond() < 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
                    instant.getNano()));
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * A time value as the reference mapping should see it: a digit string becomes the number it
     * spells, an ISO-8601 date-time its nanoseconds, so every encoding of a time gives the same wall
     * clock.
     */
    static JsonValue timeForReference(JsonValue v) {
        if (v instanceof JsonValue.JsonString s) {
            if (ANY_DIGITS.matcher(s.value()).matches()) {
                return new JsonValue.JsonNumber(s.value().replaceFirst("^0+(?=.)", ""));
            }
            OptionalLong iso = isoNanos(s.value().trim());
            if (iso.isPresent()) {
                return new JsonValue.JsonNumber(Long.toString(iso.getAsLong()));
            }
        }
        return v;
    }

    /**
     * A number: any JSON number literal, or the proto3 spellings {@code "NaN"}, {@code "Infinity"},
     * {@code "-Infinity"} of a non-finite double.
     */
    static OptionalDouble number(JsonValue v) {
        if (v instanceof JsonValue.JsonNumber n) {
            return OptionalDouble.of(n.doubleValue());
        }
        if (v instanceof JsonValue.JsonString s) {
            switch (s.value()) {
                case "NaN":
                    return OptionalDouble.of(Double.NaN);
                case "Infinity":
                    return OptionalDouble.of(Double.POSITIVE_INFINITY);
                case "-Infinity":
                    return OptionalDouble.of(Double.NEGATIVE_INFINITY);
                default:
                    return OptionalDouble.empty();
            }
        }
        return OptionalDouble.empty();
    }

    /** The string at {@code key}, or null. */
    static String string(Map<String, JsonValue> attributes, String key) {
        JsonValue v = attributes.get(key);
        return v == null ? null : v.asString().orElse(null);
    }

    /** The non-empty string at {@code key}, or the integer literal there, or null (used for ids). */
    static String id(Map<String, JsonValue> attributes, String key) {
        JsonValue v = attributes.get(key);
        if (v instanceof JsonValue.JsonString s) {
            return s.value().isEmpty() ? null : s.value();
        }
        if (v instanceof JsonValue.JsonNumber n && n.isIntegerLiteral()) {
            return n.literal();
        }
        return null;
    }
}
