package io.noos.streams.otel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.otel.JsonValue;
import io.noos.streams.otel.ReferenceJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OTLP/JSON attribute decoding into the dict form's plain values. */
class OtlpValuesTest {
    private final List<IngestIssue> issues = new ArrayList<>();

    private JsonValue single(String anyValue) {
        Map<String, JsonValue> a = OtlpValues.attributes(
                JsonValue.parse("[{\"key\":\"k\",\"value\":" + anyValue + "}]"), issues::add);
        return a.get("k");
    }

    /** The converted value written as the reference's compact JSON, or "-" when it was rejected. */
    private String converted(String anyValue) {
        JsonValue v = single(anyValue);
        return v == null ? "-" : ReferenceJson.write(v);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"stringValue\":\"x\"}                                  | \"x\"",
        "{\"boolValue\":true}                                     | true",
        "{\"intValue\":\"350\"}                                   | 350",
        "{\"intValue\":120}                                       | 120",
        "{\"intValue\":\"-5\"}                                    | -5",
        "{\"doubleValue\":0.25}                                   | 0.25",
        "{\"doubleValue\":800}                                    | 800.0",
        "{\"doubleValue\":\"1.5\"}                                | 1.5",
        "{\"bytesValue\":\"AAE=\"}                                | \"AAE=\"",
        "{}                                                       | null",
        "{\"arrayValue\":{\"values\":[{\"intValue\":\"1\"},{\"stringValue\":\"a\"}]}} | [1,\"a\"]",
        "{\"arrayValue\":{}}                                      | []",
        "{\"kvlistValue\":{\"values\":[{\"key\":\"b\",\"value\":{\"boolValue\":false}},{\"key\":\"a\",\"value\":{}}]}} | {\"a\":null,\"b\":false}",
        "{\"intValue\":\"1.5\"}                                   | -",
        "{\"intValue\":\"12abc\"}                                 | -",
        "{\"stringValue\":5}                                      | -",
        "{\"stringValue\":\"a\",\"intValue\":\"1\"}               | -",
        "{\"weirdValue\":1}                                       | -",
        "{\"arrayValue\":{\"values\":[{\"weirdValue\":1}]}}       | -",
        "\"plain\"                                                | -",
    })
    void anyValues(String anyValue, String expected) {
        assertEquals(expected, converted(anyValue));
        assertEquals(expected.equals("-") ? List.of(IngestIssue.MALFORMED_ATTRIBUTE) : List.of(), issues);
    }

    @Test
    void aDoubleTokenCountStaysANonInteger() {
        // the reference accepts only unsigned integer literals: a doubleValue 800 must not pass as one
        assertEquals(OptionalLong.empty(), single("{\"doubleValue\":800}").asU64());
        assertEquals(OptionalLong.of(800), single("{\"intValue\":\"800\"}").asU64());
    }

    @Test
    void nonFiniteDoublesKeepTheirProto3Spelling() {
        assertTrue(Double.isNaN(OtlpValues.number(single("{\"doubleValue\":\"NaN\"}")).getAsDouble()));
        assertEquals(Double.NEGATIVE_INFINITY,
                OtlpValues.number(single("{\"doubleValue\":\"-Infinity\"}")).getAsDouble());
        // a number written as a string in the dict form is not a score
        assertEquals(OptionalDouble.empty(), OtlpValues.number(JsonValue.parse("\"0.5\"")));
    }

    @Test
    void dictFormAttributesAreTakenAsTheyAre() {
        Map<String, JsonValue> a = OtlpValues.attributes(JsonValue.parse("{\"n\":1,\"s\":\"x\"}"), issues::add);

        assertEquals(Map.of("n", new JsonValue.JsonNumber("1"), "s", new JsonValue.JsonString("x")), a);
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueAndAMissingValueIsNull() {
        Map<String, JsonValue> a = OtlpValues.attributes(JsonValue.parse(
                "[{\"key\":\"k\",\"value\":{\"intValue\":\"1\"}},{\"key\":\"k\",\"value\":{\"intValue\":\"2\"}},"
                        + "{\"key\":\"m\"}]"), issues::add);

        assertEquals(Map.of("k", new JsonValue.JsonNumber("2"), "m", JsonValue.JsonNull.INSTANCE), a);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1700000000000000000      | 1700000000000000000",
        "\"1700000000000000000\"  | 1700000000000000000",
        "\"0017\"                 | 17",
        "9223372036854775807      | 9223372036854775807",
        "9223372036854775808      | -",
        "\"9223372036854775808\"  | -",
        "-1                       | -",
        "1.7e18                   | -",
        "\"\"                     | -",
        // ISO-8601 as the Python SDK's to_json() writes it (microseconds, Z), and other spellings
        "\"2024-01-01T00:00:00Z\"                | 1704067200000000000",
        "\"2023-11-14T22:13:20.123456Z\"         | 1700000000123456000",
        "\"2023-11-14T22:13:20.123456789Z\"      | 1700000000123456789",
        "\"2023-11-14T23:13:20.5+01:00\"         | 1700000000500000000",
        "\"2023-11-14T22:13:20.5+0000\"          | 1700000000500000000",
        "\"2023-11-14 22:13:20.000001\"          | 1700000000000001000",
        "\"1969-12-31T23:59:59Z\"                | -",
        "\"2023-11-14T25:13:20Z\"                | -",
        "\"yesterday\"                           | -",
    })
    void times(String literal, String expected) {
        OptionalLong nanos = OtlpValues.nanos(JsonValue.parse(literal));
        assertEquals(expected, nanos.isPresent() ? Long.toString(nanos.getAsLong()) : "-");
    }

    @Test
    void aDigitStringTimeReachesTheReferenceAsTheNumberItSpells() {
        assertEquals(new JsonValue.JsonNumber("17"), OtlpValues.timeForReference(new JsonValue.JsonString("0017")));
        assertEquals(new JsonValue.JsonNumber("18446744073709551615"),
                OtlpValues.timeForReference(new JsonValue.JsonString("18446744073709551615")));
        assertEquals(new JsonValue.JsonString("soon"), OtlpValues.timeForReference(new JsonValue.JsonString("soon")));
    }
}
