package io.noos.streams.otel;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The compact JSON text the reference writes for a non-string {@code gen_ai.tool.arguments} value
 * (spec §18, the reference's {@code serde_json} serialiser with default features):
 *
 * <ul>
 *   <li>no whitespace;
 *   <li>object keys in ascending code-point order (a repeated key has already kept its last value);
 *   <li>strings escape {@code "}, {@code \}, {@code \b \f \n \r \t}, and every other code point
 *       below U+0020 as <code>&#92;u00xx</code> with lowercase hex; everything else, including non-ASCII,
 *       {@code /} and U+007F, is written raw;
 *   <li>integer literals that fit i64 or u64 are written verbatim; every other number is written as
 *       a double, see {@link #formatDouble(double)}.
 * </ul>
 */
public final class ReferenceJson {

    private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final int MAX_I64_DIGITS = 20; // "-9223372036854775808" has 19 digits and a sign
    private static final int MAX_PLAIN_POINT_POSITION = 16;
    private static final int MIN_PLAIN_POINT_POSITION = -5; // exclusive
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Orders strings code point by code point, a proper prefix first (UTF-8 byte order). */
    static final Comparator<String> CODE_POINT_ORDER = ReferenceJson::compareCodePoints;

    private ReferenceJson() {}

    /** The compact text of {@code value}. */
    public static String write(JsonValue value) {
        StringBuilder out = new StringBuilder();
        append(value, out);
        return out.toString();
    }

    /**
     * A double as the reference prints it, from its shortest round-trip digits d₁…d_L and the
     * position kk such that the value is 0.d₁…d_L × 10^kk:
     *
     * <ul>
     *   <li>an integer with kk ≤ 16: the digits, zero-padded, then {@code .0} ({@code 100.0});
     *   <li>else 0 &lt; kk ≤ 16: a plain decimal ({@code 12.34});
     *   <li>else −5 &lt; kk ≤ 0: {@code 0.}, zeros, then the digits ({@code 0.00001});
     *   <li>otherwise scientific, lowercase {@code e}, no {@code +}, exponent kk−1
     *       ({@code 1e16}, {@code 1.5e-6});
     *   <li>zero is {@code 0.0} or {@code -0.0}.
     * </ul>
     *
     * <p>A non-finite value is written {@code null}, as the reference's serialiser does; it can only
     * arise from a literal beyond the double range, which the reference's parser would not accept.
     */
    public static String formatDouble(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        String sign = (Double.doubleToRawLongBits(value) < 0) ? "-" : "";
        if (value == 0) {
            return sign + "0.0";
        }
        return sign + layOut(ShortestDecimal.of(Math.abs(value)));
    }

    private static String layOut(ShortestDecimal decimal) {
        String digits = decimal.digits();
        int kk = decimal.pointPosition();
        // With shortest digits, a non-negative exponent is the same as "the value is an integer":
        // an integer's own digits are always shorter than a string with a fractional part.
        if (decimal.exponent() >= 0 && kk <= MAX_PLAIN_POINT_POSITION) {
            return digits + "0".repeat(decimal.exponent()) + ".0";
        }
        if (0 < kk && kk <= MAX_PLAIN_POINT_POSITION) {
            return digits.substring(0, kk) + "." + digits.substring(kk);
        }
        if (MIN_PLAIN_POINT_POSITION < kk && kk <= 0) {
            return "0." + "0".repeat(-kk) + digits;
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + (kk - 1);
    }

    private static void append(JsonValue value, StringBuilder out) {
        if (value instanceof JsonValue.JsonObject object) {
            appendObject(object.members(), out);
        } else if (value instanceof JsonValue.JsonArray array) {
            appendArray(array.elements(), out);
        } else if (value instanceof JsonValue.JsonString string) {
            appendString(string.value(), out);
        } else if (value instanceof JsonValue.JsonNumber number) {
            out.append(numberText(number));
        } else if (value instanceof JsonValue.JsonBoolean bool) {
            out.append(bool.value());
        } else {
            out.append("null");
        }
    }

    private static void appendObject(Map<String, JsonValue> members, StringBuilder out) {
        List<String> keys = new ArrayList<>(members.keySet());
        keys.sort(CODE_POINT_ORDER);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendString(keys.get(i), out);
            out.append(':');
            append(members.get(keys.get(i)), out);
        }
        out.append('}');
    }

    private static void appendArray(List<JsonValue> elements, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            append(elements.get(i), out);
        }
        out.append(']');
    }

    static void appendString(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            appendEscaped(text.charAt(i), out);
        }
        out.append('"');
    }

    private static void appendEscaped(char c, StringBuilder out) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20) {
                    out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                } else {
                    out.append(c);
                }
            }
        }
    }

    /** The literal when the reference holds the number as an i64 or u64, else the double's text. */
    static String numberText(JsonValue.JsonNumber number) {
        return holdsAsInteger(number) ? number.literal() : formatDouble(number.doubleValue());
    }

    /**
     * Whether the reference's parser keeps this literal as an integer: a non-negative integer up to
     * 2^64−1, or a negative one down to −2^63. {@code -0} is read as the double −0.0.
     */
    private static boolean holdsAsInteger(JsonValue.JsonNumber number) {
        if (!number.isIntegerLiteral()) {
            return false;
        }
        if (!number.isNegative()) {
            return number.asU64().isPresent();
        }
        if (number.literal().equals("-0") || number.literal().length() > MAX_I64_DIGITS) {
            return false;
        }
        return new BigInteger(number.literal()).compareTo(I64_MIN) >= 0;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length()) {
            int codePointA = a.codePointAt(i);
            int codePointB = b.codePointAt(i);
            if (codePointA != codePointB) {
                return Integer.compare(codePointA, codePointB);
            }
            i += Character.charCount(codePointA);
        }
        return Integer.compare(a.length() - i, b.length() - i);
    }
}
