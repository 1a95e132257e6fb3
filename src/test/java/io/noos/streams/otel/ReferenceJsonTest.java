package io.noos.streams.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compact serialiser of spec §18. Every expected text below is derived by hand from the spec's
 * rules: shortest round-trip digits d₁…d_L, kk such that value = 0.d₁…d_L × 10^kk, then the layout.
 */
class ReferenceJsonTest {

    private static String reserialise(String json) {
        return ReferenceJson.write(JsonValue.parse(json));
    }

    @Nested
    class DoubleFormatting {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            // integer, kk <= 16: digits, zero-padded, then ".0"
            "100.0,                   100.0",                    // d=1, kk=3
            "1000000000000000.0,      1000000000000000.0",       // d=1, kk=16
            "9007199254740992.0,      9007199254740992.0",       // 2^53, 16 digits, kk=16
            // kk = 17: scientific even though the value is an integer
            "1e16,                    1e16",                     // d=1, kk=17, exponent 16
            "10000000000000002.0,     1.0000000000000002e16",    // 1e16+2, 17 digits
            "18014398509481984.0,     1.8014398509481984e16",    // 2^54: no 16-digit decimal reads back
            "1e21,                    1e21",
            // 0 < kk <= 16: plain decimal
            "12.34,                   12.34",                    // d=1234, kk=2
            "1000000000000000.5,      1000000000000000.5",       // 17 digits, kk=16
            "123456.789,              123456.789",
            "-2.5,                    -2.5",
            // -5 < kk <= 0: "0.", zeros, digits
            "0.1,                     0.1",                      // kk=0
            "0.00001,                 0.00001",                  // kk=-4
            "0.0000123,               0.0000123",                // d=123, kk=-4
            // kk <= -5: scientific, exponent kk-1, no "+"
            "1e-6,                    1e-6",                     // kk=-5
            "1.5e-6,                  1.5e-6",
            "1.23e-6,                 1.23e-6",
            "1.5e300,                 1.5e300",
            "1.7976931348623157e308,  1.7976931348623157e308",   // largest double
            "5e-324,                  5e-324",                   // smallest subnormal; JDK 17 says 4.9E-324
            "1e23,                    1e23",                     // JDK 17 says 9.999999999999999E22
            "0.0,                     0.0",
            "-0.0,                    -0.0",
        })
        void formatsLikeTheReference(double value, String expected) {
            assertEquals(expected, ReferenceJson.formatDouble(value));
        }

        @Test
        void nonFiniteValuesAreWrittenAsNull() {
            assertEquals("null", ReferenceJson.formatDouble(Double.POSITIVE_INFINITY));
            assertEquals("null", ReferenceJson.formatDouble(Double.NaN));
        }
    }

    @Nested
    class NumberLiterals {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            // integers that fit u64 or i64: verbatim
            "0,                       0",
            "12,                      12",
            "-1,                      -1",
            "18446744073709551615,    18446744073709551615",     // u64 max
            "-9223372036854775808,    -9223372036854775808",     // i64 min
            // everything else becomes a double
            "-0,                      -0.0",
            "800.0,                   800.0",
            "1e3,                     1000.0",
            "1E3,                     1000.0",
            "1.50,                    1.5",
            "0.5e1,                   5.0",
            "1.6e+18,                 1.6e18",
            "18446744073709551616,    1.8446744073709552e19",    // 2^64: 17 digits needed
            "-9223372036854775809,    -9.223372036854776e18",    // rounds to -2^63
            "-1e-400,                 -0.0",                     // underflows to -0.0
        })
        void keepsIntegersAndReprintsOtherNumbers(String literal, String expected) {
            assertEquals(expected, reserialise("[" + literal + "]").replaceAll("^\\[|]$", ""));
        }

        @Test
        void numbersInsideStructuresAreRewrittenToo() {
            assertEquals("{\"n\":-0.0,\"x\":1000.0,\"y\":[1,2.5e-7]}", reserialise("{\"y\":[1,25e-8],\"x\":1e3,\"n\":-0}"));
        }
    }

    @Nested
    class Structure {

        @Test
        void writesNoWhitespace() {
            assertEquals("[true,false,null,\"s p\",[],{}]", reserialise(" [ true , false , null , \"s p\" , [ ] , { } ] "));
        }

        @Test
        void ordersKeysByCodePointNotByUtf16Unit() {
            String privateUse = "\uE000";
            String emoji = "\uD83D\uDE00"; // U+1F600, a surrogate pair starting with 0xD83D < 0xE000
            assertTrue(emoji.compareTo(privateUse) < 0, "String.compareTo puts the emoji first");

            String json = "{\"" + emoji + "\":2,\"" + privateUse + "\":1}";

            assertEquals("{\"" + privateUse + "\":1,\"" + emoji + "\":2}", reserialise(json));
        }

        @Test
        void putsAProperPrefixFirst() {
            assertEquals("{\"\":3,\"a\":2,\"ab\":1,\"b\":4}", reserialise("{\"ab\":1,\"b\":4,\"a\":2,\"\":3}"));
        }

        @Test
        void ordersNestedObjectsToo() {
            assertEquals("{\"a\":{\"c\":[true,null,\"s p\"],\"d\":1},\"b\":2}",
                    reserialise("{\"b\":2,\"a\":{\"d\":1,\"c\":[true,null,\"s p\"]}}"));
        }

        @Test
        void aRepeatedKeyKeepsItsLastValue() {
            assertEquals("{\"a\":0,\"k\":2}", reserialise("{\"k\":1,\"a\":0,\"k\":2}"));
        }
    }

    @Nested
    class StringEscapes {

        @Test
        void escapesQuoteBackslashAndTheNamedControls() {
            String value = "\"\\\b\f\n\r\t";
            assertEquals("\"\\\"\\\\\\b\\f\\n\\r\\t\"", write(value));
        }

        @Test
        void escapesOtherControlsAsLowercaseHex() {
            String value = "\u0000\u0001\u000b\u001a\u001f";
            assertEquals("\"\\u0000\\u0001\\u000b\\u001a\\u001f\"", write(value));
        }

        @Test
        void writesSlashDeleteAndNonAsciiRaw() {
            String value = "/\u007f\u00e9\u2028\uD83D\uDE00 ";
            assertEquals("\"" + value + "\"", write(value));
        }

        @Test
        void escapesKeysTheSameWay() {
            assertEquals("{\"a\\nb\":1}", reserialise("{\"a\\nb\":1}"));
        }

        private String write(String value) {
            return ReferenceJson.write(new JsonValue.JsonString(value));
        }
    }
}
