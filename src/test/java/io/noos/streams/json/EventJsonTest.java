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
    @CsvSource(delimiter = '|', value = {
            "u32 overflow|{\"type\":\"cost\",\"tokens_in\":4294967296,\"tokens_out\":0,\"wallclock_ms\":0}|tokens_in",
            "negative count|{\"type\":\"cost\",\"tokens_in\":-1,\"tokens_out\":0,\"wallclock_ms\":0}|non-negative",
            "minus zero|{\"type\":\"cost\",\"tokens_in\":-0,\"tokens_out\":0,\"wallclock_ms\":0}|non-negative",
            "fractional integer|{\"type\":\"cost\",\"tokens_in\":3.0,\"tokens_out\":0,\"wallclock_ms\":0}|non-integer",
            "exponent integer|{\"type\":\"cost\",\"tokens_in\":1e3,\"tokens_out\":0,\"wallclock_ms\":0}|non-integer",
            "string integer|{\"type\":\"cost\",\"tokens_in\":\"5\",\"tokens_out\":0,\"wallclock_ms\":0}|a string",
            "u64 overflow|{\"type\":\"token\",\"token\":\"a\",\"logprob\":-1,\"index\":18446744073709551616}|index",
            "unpaired surrogate|{\"type\":\"turn_start\",\"user_message\":\"a\\ud800b\"}|unpaired surrogate",
            "unknown type|{\"type\":\"turn_end\"}|unknown event type",
            "missing type|{\"user_message\":\"x\"}|no 'type'",
            "missing field|{\"type\":\"turn_start\"}|user_message",
            "number for string|{\"type\":\"turn_start\",\"user_message\":5}|must be a string",
            "string for boolean|{\"type\":\"user_correction\",\"correction_message\":\"x\",\"corrects_last\":\"true\"}|boolean",
            "duplicate field|{\"type\":\"turn_start\",\"user_message\":\"a\",\"user_message\":\"b\"}|duplicate",
            "bare NaN|{\"type\":\"quality_feedback\",\"quality\":NaN}|not valid JSON",
            "float overflow|{\"type\":\"quality_feedback\",\"quality\":1e400}|out of the range",
            "bad quality string|{\"type\":\"quality_feedback\",\"quality\":\"high\"}|NaN",
            "not an object|[1,2]|must be a JSON object",
            "truncated|{\"type\":\"turn_start\",\"user_message\":\"a|not valid JSON",
            "trailing garbage|{\"type\":\"turn_start\",\"user_message\":\"a\"} x|not valid JSON"})
    void rejectsInvalidEventsWithAClearMessage(String what, String json, String messagePart) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.parse(json));
        assertTrue(e.getMessage().contains(messagePart), what + ": " + e.getMessage());
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"type\":\"turn_start\",\"user_message\":\"a\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThrows(InvalidEventException.class, () -> EventJson.parse(deep));
    }
}
