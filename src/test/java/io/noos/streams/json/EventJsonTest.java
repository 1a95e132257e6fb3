package io.noos.streams.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventJsonTest {

    @Test
    void readsEveryTypeAndWritesItBack() {
        List<String> lines = List.of(
                "{\"type\":\"turn_start\",\"user_message\":\"hi there\"}",
                "{\"type\":\"token\",\"token\":\" x\",\"logprob\":-0.25,\"index\":18446744073709551615}",
                "{\"type\":\"turn_complete\",\"full_response\":\"done\"}",
                "{\"type\":\"cost\",\"tokens_in\":4294967295,\"tokens_out\":0,\"wallclock_ms\":7,\"provider\":null}",
                "{\"type\":\"user_correction\",\"correction_message\":\"no\",\"corrects_last\":true}",
                "{\"type\":\"quality_feedback\",\"quality\":\"NaN\",\"fragment_spans\":[[0,3]]}",
                "{\"type\":\"tool_call\",\"tool_name\":\"search\",\"args_json\":\"{}\"}",
                "{\"type\":\"tool_result\",\"tool_name\":\"search\",\"success\":false,\"duration_ms\":12,\"error_summary\":\"timeout\"}");
        for (String line : lines) {
            AgentEvent e = EventJson.parse(line);
            assertEquals(e, EventJson.parse(EventJson.toJson(e)), line);
        }
        AgentEvent.Token t = (AgentEvent.Token) EventJson.parse(lines.get(1));
        assertEquals(-1L, t.index(), "u64 max kept as unsigned bits");
        assertTrue(Double.isNaN(((AgentEvent.QualityFeedback) EventJson.parse(lines.get(5))).quality()));
    }

    @Test
    void optionalFieldsMayBeMissingAndUnknownFieldsAreIgnored() {
        AgentEvent e = EventJson.parse("{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":2,\"wallclock_ms\":3,\"x\":[1,{}]}");
        assertEquals(new AgentEvent.Cost(1, 2, 3, null), e);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "u32 overflow|{\"type\":\"cost\",\"tokens_in\":4294967296,\"tokens_out\":0,\"wallclock_ms\":0}|'tokens_in' must be at most 4294967295, got 4294967296",
            "negative count|{\"type\":\"cost\",\"tokens_in\":-1,\"tokens_out\":0,\"wallclock_ms\":0}|'tokens_in' must be a non-negative integer, got -1",
            "minus zero|{\"type\":\"cost\",\"tokens_in\":-0,\"tokens_out\":0,\"wallclock_ms\":0}|'tokens_in' must be a non-negative integer, got -0",
            "fractional integer|{\"type\":\"cost\",\"tokens_in\":3.0,\"tokens_out\":0,\"wallclock_ms\":0}|'tokens_in' must be a non-negative integer, got the non-integer 3.0",
            "exponent integer|{\"type\":\"cost\",\"tokens_in\":1e3,\"tokens_out\":0,\"wallclock_ms\":0}|'tokens_in' must be a non-negative integer, got the non-integer 1e3",
            "string integer|{\"type\":\"cost\",\"tokens_in\":\"5\",\"tokens_out\":0,\"wallclock_ms\":0}|'tokens_in' must be a non-negative integer, got a string",
            "u64 overflow|{\"type\":\"token\",\"token\":\"a\",\"logprob\":-1,\"index\":18446744073709551616}|'index' must be at most 18446744073709551615, got 18446744073709551616",
            "unpaired surrogate|{\"type\":\"turn_start\",\"user_message\":\"a\\ud800b\"}|user_message holds an unpaired surrogate U+D800 at UTF-16 index 1; strings must be valid Unicode",
            "unknown type|{\"type\":\"turn_end\"}|unknown event type 'turn_end'; expected one of [turn_start, token, turn_complete, cost, user_correction, quality_feedback, tool_call, tool_result]",
            "missing type|{\"user_message\":\"x\"}|event has no 'type'",
            "missing field|{\"type\":\"turn_start\"}|turn_start event is missing required field 'user_message'",
            "number for string|{\"type\":\"turn_start\",\"user_message\":5}|'user_message' must be a string, got a number",
            "string for boolean|{\"type\":\"user_correction\",\"correction_message\":\"x\",\"corrects_last\":\"true\"}|'corrects_last' must be a boolean, got a string",
            "duplicate field|{\"type\":\"turn_start\",\"user_message\":\"a\",\"user_message\":\"b\"}|duplicate field 'user_message' in event",
            "bare NaN|{\"type\":\"quality_feedback\",\"quality\":NaN}|event is not valid JSON: Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
            "float overflow|{\"type\":\"quality_feedback\",\"quality\":1e400}|'quality' is out of the range of a double: 1e400",
            "bad quality string|{\"type\":\"quality_feedback\",\"quality\":\"high\"}|'quality' must be a number or \"NaN\"/\"Infinity\"/\"-Infinity\", got the string \"high\"",
            "not an object|[1,2]|event must be a JSON object, got an array",
            "truncated|{\"type\":\"turn_start\",\"user_message\":\"a|event is not valid JSON: Unexpected end-of-input: was expecting closing quote for a string value",
            "trailing garbage|{\"type\":\"turn_start\",\"user_message\":\"a\"} x|event is not valid JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"})
    void rejectsInvalidEventsWithAClearMessage(String what, String json, String message) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.parse(json));
        assertEquals(message, e.getMessage(), what);
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"type\":\"turn_start\",\"user_message\":\"a\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThrows(InvalidEventException.class, () -> EventJson.parse(deep));
    }
}
