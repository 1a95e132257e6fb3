package io.noos.streams.otel;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A parsed JSON value that, unlike Jackson's tree model, keeps every number's literal text.
 *
 * <p>The OTel adapter needs the literal: the reference accepts a counter only when it is an
 * <em>unsigned integer</em> (no sign, fraction or exponent, at most 2^64−1), so {@code -0},
 * {@code 800.0} and {@code 1e3} must stay distinguishable from {@code 0} and {@code 800}.
 *
 * <p>The accessors mirror the reference's {@code serde_json::Value} lookups: a lookup on the wrong
 * kind of value is simply empty.
 */
public sealed interface JsonValue {

    /** Parses one JSON text; see {@link JsonValueReader} for what counts as malformed. */
    static JsonValue parse(String text) {
        return JsonValueReader.read(text);
    }

    /** The member {@code key} of an object; empty when absent or when this is not an object. */
    default Optional<JsonValue> get(String key) {
        return Optional.empty();
    }

    /** The text of a string value; empty for every other kind of value. */
    default Optional<String> asString() {
        return Optional.empty();
    }

    /** The elements of an array; empty for every other kind of value. */
    default Optional<List<JsonValue>> asArray() {
        return Optional.empty();
    }

    /**
     * The value of an unsigned integer literal (0 … 2^64−1) as unsigned bits in a {@code long};
     * empty for every other value, including {@code -0}, {@code 800.0} and {@code 1e3}.
     */
    default OptionalLong asU64() {
        return OptionalLong.empty();
    }

    /** A JSON object. Member order is not kept: nothing the reference does depends on it. */
    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public JsonObject {
            members = Map.copyOf(members);
        }

        @Override
        public Optional<JsonValue> get(String key) {
            return Optional.ofNullable(members.get(key));
        }
    }

    /** A JSON array. */
    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }

        @Override
        public Optional<List<JsonValue>> asArray() {
            return Optional.of(elements);
        }
    }

    /** A JSON string. */
    record JsonString(String value) implements JsonValue {
        public JsonString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Optional<String> asString() {
            return Optional.of(value);
        }
    }

    /** A JSON number, held as its literal text exactly as written in the input. */
    record JsonNumber(String literal) implements JsonValue {
        private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private static final int MAX_U64_DIGITS = 20;

        public JsonNumber {
            if (!JSON_NUMBER.matcher(literal).matches()) {
                throw new IllegalArgumentException("not a JSON number literal: " + literal);
            }
        }

        /** True when the literal has no fraction and no exponent (it may have a minus sign). */
        public boolean isIntegerLiteral() {
            return literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
        }

        public boolean isNegative() {
            return literal.startsWith("-");
        }

        @Override
        public OptionalLong asU64() {
            if (isNegative() || !isIntegerLiteral() || literal.length() > MAX_U64_DIGITS) {
                return OptionalLong.empty();
            }
            BigInteger value = new BigInteger(literal);
            return value.bitLength() <= Long.SIZE ? OptionalLong.of(value.longValue()) : OptionalLong.empty();
        }

        /** The literal read as a double, correctly rounded (huge magnitudes give an infinity). */
        public double doubleValue() {
            return Double.parseDouble(literal);
        }
    }

    /** {@code true} or {@code false}. */
    record JsonBoolean(boolean value) implements JsonValue {}

    /** {@code null}. */
    enum JsonNull implements JsonValue {
        INSTANCE
    }
}
