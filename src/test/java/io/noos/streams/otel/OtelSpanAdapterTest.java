package io.noos.streams.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Focused cases of spec §18 that the conformance vectors do not pin down, derived from its rules. */
class OtelSpanAdapterTest {

    private static final long U32_MAX = 4_294_967_295L;

    private static List<AgentEvent> spanWithOutputTokens(String literal) {
        return OtelSpanAdapter.fromSpanJson("{\"attributes\":{\"gen_ai.usage.output_tokens\":" + literal + "}}");
    }

    private static AgentEvent.Cost costWithOutputTokens(long tokensOut) {
        return new AgentEvent.Cost(0, tokensOut, 0, null);
    }

    @Nested
    class UnsignedIntegerRule {

        @ParameterizedTest(name = "{0} is not an unsigned integer")
        @ValueSource(strings = {"-0", "800.0", "1e3", "1E3", "0.0", "0e0", "-1", "-9223372036854775808",
            "18446744073709551616", "99999999999999999999", "1.6e+18", "\"25\"", "true", "null", "[1]", "{}"})
        void rejectedCountsGiveNoCost(String literal) {
            assertEquals(List.of(), spanWithOutputTokens(literal));
        }

        @Test
        void zeroIsAnUnsignedInteger() {
            assertEquals(List.of(costWithOutputTokens(0)), spanWithOutputTokens("0"));
        }

        @Test
        void theU64MaximumIsAcceptedAndTruncatedToItsLow32Bits() {
            // 2^64 - 1 = 0xFFFF_FFFF_FFFF_FFFF, low 32 bits 0xFFFF_FFFF
            assertEquals(List.of(costWithOutputTokens(U32_MAX)), spanWithOutputTokens("18446744073709551615"));
        }

        @Test
        void countsTruncateModulo2To32() {
            assertEquals(List.of(costWithOutputTokens(0)), spanWithOutputTokens("4294967296"));
            assertEquals(List.of(costWithOutputTokens(705_032_704)), spanWithOutputTokens("5000000000"));
        }

        @Test
        void aToolDurationKeepsAllSixtyFourBits() {
            List<AgentEvent> events = OtelSpanAdapter.fromSpanJson("{\"events\":[{\"name\":\"gen_ai.tool.message\","
                    + "\"attributes\":{\"gen_ai.tool.name\":\"t\",\"gen_ai.tool.duration_ms\":18446744073709551615}}]}");

            assertEquals(List.of(new AgentEvent.ToolResult("t", true, -1L, null)), events);
        }

        @Test
        void aNegativeZeroDurationGivesNoResult() {
            List<AgentEvent> events = OtelSpanAdapter.fromSpanJson("{\"events\":[{\"name\":\"gen_ai.tool.message\","
                    + "\"attributes\":{\"gen_ai.tool.name\":\"t\",\"gen_ai.tool.duration_ms\":-0}}]}");

            assertEquals(List.of(), events);
        }
    }

    @Nested
    class Wallclock {

        private long wallclock(String start, String end) {
            String span = "{\"attributes\":{\"gen_ai.usage.input_tokens\":1},\"start_time_unix_nano\":" + start
                    + ",\"end_time_unix_nano\":" + end + "}";
            List<AgentEvent> events = OtelSpanAdapter.fromSpanJson(span);
            assertEquals(1, events.size());
            return ((AgentEvent.Cost) events.get(0)).wallclockMs();
        }

        @Test
        void roundsDownToWholeMilliseconds() {
            assertEquals(0, wallclock("0", "999999"));
            assertEquals(1, wallclock("0", "1000000"));
            assertEquals(1, wallclock("5", "1999999"));
        }

        @Test
        void equalTimesGiveZero() {
            assertEquals(0, wallclock("18446744073709551615", "18446744073709551615"));
        }

        @Test
        void endBeforeStartGivesZeroEvenAcrossTheSignedBoundary() {
            // as signed longs the start (2^64-1) would be -1, i.e. before the end
            assertEquals(0, wallclock("18446744073709551615", "5000000"));
        }

        @Test
        void saturatesAtTheU32Maximum() {
            assertEquals(U32_MAX, wallclock("0", "4294967295999999"));
            assertEquals(U32_MAX, wallclock("0", "4294967296000000"));
            // (2^64-1) / 10^6 = 18446744073709, far above the u32 range
            assertEquals(U32_MAX, wallclock("0", "18446744073709551615"));
        }

        @Test
        void negativeZeroOrFractionalTimesGiveZero() {
            assertEquals(0, wallclock("-0", "1000000"));
            assertEquals(0, wallclock("0", "1000000.0"));
        }
    }

    @Nested
    class ToolArguments {

        private List<AgentEvent> toolCallWithArguments(String arguments) {
            return OtelSpanAdapter.fromSpanJson("{\"events\":[{\"name\":\"gen_ai.tool.message\","
                    + "\"attributes\":{\"gen_ai.tool.name\":\"t\",\"gen_ai.tool.arguments\":" + arguments + "}}]}");
        }

        @Test
        void nonStringArgumentsAreReserialisedCompactly() {
            assertEquals(List.of(new AgentEvent.ToolCall("t", "{\"a\":-0.0,\"b\":[1000.0,\"x\\ny\"]}")),
                    toolCallWithArguments("{ \"b\" : [ 1e3 , \"x\\ny\" ] , \"a\" : -0 }"));
        }

        @Test
        void scalarArgumentsAreReserialisedToo() {
            assertEquals(List.of(new AgentEvent.ToolCall("t", "1.5")), toolCallWithArguments("15e-1"));
            assertEquals(List.of(new AgentEvent.ToolCall("t", "false")), toolCallWithArguments("false"));
        }

        @Test
        void emptyStringArgumentsStillMarkACall() {
            assertEquals(List.of(new AgentEvent.ToolCall("t", "")), toolCallWithArguments("\"\""));
        }
    }

    @Nested
    class Input {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"[]", "[{\"attributes\":{\"gen_ai.usage.output_tokens\":1}}]", "42", "\"span\"",
            "null", "true", " {} "})
        void aValueWithNothingRecognisableGivesNoEvents(String json) {
            assertEquals(List.of(), OtelSpanAdapter.fromSpanJson(json));
        }

        @ParameterizedTest(name = "[{index}] <{0}>")
        @ValueSource(strings = {"", "   ", "{", "{\"a\":1,}", "{} {}", "{}x", "{'a':1}", "{\"a\":01}", "{\"a\":NaN}",
            "{\"a\":+1}", "{\"a\":.5}", "// comment\n{}", "{\"a\":\"\\ud800\"}", "{\"\\udc00\":1}"})
        void malformedTextIsRejected(String json) {
            InvalidEventException e = assertThrows(InvalidEventException.class, () -> OtelSpanAdapter.fromSpanJson(json));
            assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
        }

        @Test
        void nullTextIsRejected() {
            assertThrows(InvalidEventException.class, () -> OtelSpanAdapter.fromSpanJson((String) null));
        }

        @Test
        void utf8BytesGiveTheSameEventsAsText() {
            String json = "{\"events\":[{\"name\":\"gen_ai.user.message\",\"attributes\":{\"content\":\"h\u00e9 \uD83D\uDE00\"}}]}";

            assertEquals(List.of(new AgentEvent.TurnStart("h\u00e9 \uD83D\uDE00")),
                    OtelSpanAdapter.fromSpanJson(json.getBytes(StandardCharsets.UTF_8)));
        }

        @Test
        void bytesThatAreNotUtf8AreRejected() {
            byte[] latin1 = "{\"name\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

            assertThrows(InvalidEventException.class, () -> OtelSpanAdapter.fromSpanJson(latin1));
        }

        @Test
        void aRepeatedKeyKeepsItsLastValue() {
            String json = "{\"attributes\":{\"gen_ai.usage.output_tokens\":\"x\",\"gen_ai.usage.output_tokens\":7}}";

            assertEquals(List.of(costWithOutputTokens(7)), OtelSpanAdapter.fromSpanJson(json));
        }
    }
}
