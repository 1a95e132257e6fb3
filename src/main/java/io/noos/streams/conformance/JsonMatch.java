package io.noos.streams.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The vectors' comparison rules (FORMAT.md): numbers equal within 1e-9 absolute, strings, booleans
 * and null exact, arrays element by element, objects key by key. A missing key and a null value
 * are the same (nullable fields may be either). Non-finite doubles appear as the strings "NaN",
 * "Infinity" and "-Infinity".
 */
final class JsonMatch {
    static final double TOLERANCE = 1e-9;

    private JsonMatch() {}

    /** Whole-value comparison. */
    static boolean matches(JsonNode expected, JsonNode actual) {
        if (isNullish(expected) || isNullish(actual)) {
            return isNullish(expected) && isNullish(actual);
        }
        if (expected.isNumber() || actual.isNumber()) {
            return numbersMatch(expected, actual);
        }
        if (expected.isTextual() || expected.isBoolean()) {
            return expected.equals(actual);
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!matches(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!expected.has(k) && !isNullish(actual.get(k))) {
                    return false;
                }
            }
            return matchesNamedKeys(expected, actual);
        }
        return expected.equals(actual);
    }

    /** Only the keys {@code expected} names are compared (accessors, metrics, export). */
    static boolean matchesNamedKeys(JsonNode expected, JsonNode actual) {
        if (!expected.isObject() || !actual.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!matches(e.getValue(), actual.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNullish(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    private static boolean numbersMatch(JsonNode expected, JsonNode actual) {
        Double e = numeric(expected);
        Double a = numeric(actual);
        if (e == null || a == null) {
            return false;
        }
        if (expected.isIntegralNumber() && actual.isIntegralNumber()) {
            return expected.bigIntegerValue().equals(actual.bigIntegerValue());
        }
        if (e.isNaN() || a.isNaN() || e.isInfinite() || a.isInfinite()) {
            return e.equals(a);
        }
        return Math.abs(e - a) <= TOLERANCE;
    }

    /** The node's numeric value, reading the non-finite strings; null for anything else. */
    private static Double numeric(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            switch (n.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: return null;
            }
        }
        return null;
    }
}
