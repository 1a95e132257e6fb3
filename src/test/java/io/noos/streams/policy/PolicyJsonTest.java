package io.noos.streams.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyJsonTest {

    @Test
    void everyFieldIsOptionalAndNullWindowMeansOff() {
        Policy all = PolicyJson.parse("{\"cost_cap\":5000,\"scope_drift_threshold\":0.7,\"implicit_correction_window_ms\":500}");
        assertEquals(new Policy(5000L, 0.7, true, 500L), all);

        Policy capOnly = PolicyJson.parse("{\"cost_cap\":1}");
        assertEquals(1L, capOnly.costCap());
        assertNull(capOnly.scopeDriftThreshold());
        assertFalse(capOnly.implicitWindowSet(), "an absent window is inherited");

        Policy off = PolicyJson.parse("{\"implicit_correction_window_ms\":null}");
        assertTrue(off.implicitWindowSet(), "null is an explicit 'off'");
        assertNull(off.implicitWindowMs());

        assertTrue(PolicyJson.parse("{}").isEmpty());
        assertEquals(4294967295L, PolicyJson.parse("{\"cost_cap\":4294967295}").costCap(), "the core's u32 maximum");
        assertEquals(0.0, PolicyJson.parse("{\"scope_drift_threshold\":0}").scopeDriftThreshold());
        assertEquals(1.0, PolicyJson.parse("{\"scope_drift_threshold\":1}").scopeDriftThreshold());
        assertEquals(0L, PolicyJson.parse("{\"implicit_correction_window_ms\":0}").implicitWindowMs());
    }

    @Test
    void canonicalJsonHoldsOnlyTheFieldsSetAndParsesBackEqual() {
        for (String json : new String[] {"{}", "{\"cost_cap\":5000}",
                "{\"scope_drift_threshold\":0.25,\"implicit_correction_window_ms\":null}",
                "{\"cost_cap\":7,\"scope_drift_threshold\":1.0,\"implicit_correction_window_ms\":900}"}) {
            Policy p = PolicyJson.parse(json);
            assertEquals(json, PolicyJson.toJson(p));
            assertEquals(p, PolicyJson.parse(PolicyJson.toBytes(p)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"cost_cap\":0}|cost_cap must be an integer in 1..4294967295, got 0",
            "{\"cost_cap\":-5}|cost_cap must be an integer in 1..4294967295, got -5",
            "{\"cost_cap\":4294967296}|cost_cap must be an integer in 1..4294967295, got 4294967296",
            "{\"cost_cap\":99999999999999999999}|cost_cap must be an integer in 1..4294967295, got 99999999999999999999",
            "{\"cost_cap\":1000.0}|cost_cap must be an integer in 1..4294967295, got 1000.0",
            "{\"cost_cap\":\"5000\"}|cost_cap must be an integer in 1..4294967295, got the string \"5000\"",
            "{\"cost_cap\":null}|cost_cap must be an integer in 1..4294967295, got null",
            "{\"scope_drift_threshold\":1.5}|scope_drift_threshold must be a number in [0, 1], got 1.5",
            "{\"scope_drift_threshold\":-0.1}|scope_drift_threshold must be a number in [0, 1], got -0.1",
            "{\"scope_drift_threshold\":\"NaN\"}|scope_drift_threshold must be a number in [0, 1], got the string \"NaN\"",
            "{\"scope_drift_threshold\":true}|scope_drift_threshold must be a number in [0, 1], got true",
            "{\"implicit_correction_window_ms\":-1}|implicit_correction_window_ms must be an integer in 0..9223372036854775807, got -1",
            "{\"implicit_correction_window_ms\":2.5}|implicit_correction_window_ms must be an integer in 0..9223372036854775807 or null (off), got 2.5",
            "{\"cost_cao\":5000}|unknown field cost_cao; a policy has only cost_cap, scope_drift_threshold, implicit_correction_window_ms, detectors, halt",
            "{\"cost_cap\":5,\"cost_cap\":6}|field cost_cap appears twice",
            "[1]|a policy is a JSON object like {\"cost_cap\":5000}; got an array",
            "5000|a policy is a JSON object like {\"cost_cap\":5000}; got a number",
            "{\"cost_cap\":5} {}|unexpected content after the policy object"})
    void badValuesAreRefusedWithAMessageNamingTheFieldAndTheAcceptedValues(String json, String message) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse(json));
        assertEquals(message, e.getMessage());
    }

    /** Not JSON at all: the message says so and adds the parser's own words on where it stopped. */
    @Test
    void invalidJsonIsRefusedSayingSo() {
        assertEquals("the value is not valid JSON: Unexpected end-of-input within/between Object entries",
                assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse("{\"cost_cap\":")).getMessage());
        assertEquals("the value is not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, "
                        + "Array, Object or token 'null', 'true' or 'false')",
                assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse("not json")).getMessage());
    }

    @Test
    void emptyAndNullValuesAreRefused() {
        assertTrue(assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse(""))
                .getMessage().endsWith("got nothing"));
        assertTrue(assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse((byte[]) null))
                .getMessage().contains("tombstone"));
    }

    @Test
    void keysAreAUserTheDefaultOrAnAgent() {
        assertEquals(new PolicyKey.Default(), PolicyKey.parse("*"));
        assertEquals(new PolicyKey.Agent("agent-7"), PolicyKey.parse("agent:agent-7"));
        assertEquals(new PolicyKey.User("alice"), PolicyKey.parse("alice"));
        assertEquals("agent:agent-7", PolicyKey.parse("agent:agent-7").text());
        assertEquals("the record has no key; the key is a user id, '*' or 'agent:<agent_id>'",
                assertThrows(InvalidPolicyException.class, () -> PolicyKey.parse(null)).getMessage());
        assertEquals("the key is empty; use a user id, '*' or 'agent:<agent_id>'",
                assertThrows(InvalidPolicyException.class, () -> PolicyKey.parse("")).getMessage());
        assertTrue(assertThrows(InvalidPolicyException.class, () -> PolicyKey.parse("agent:")).getMessage()
                .contains("names no agent"));
        assertTrue(assertThrows(InvalidPolicyException.class, () -> PolicyKey.parse("a\uD800")).getMessage()
                .contains("unpaired surrogate"));
    }

    @Test
    void detectorValuesParseCheckedAndRoundTrip() {
        Policy p = PolicyJson.parse("{\"detectors\":{\"tool_call_cycle\":{\"enabled\":true,\"repetitions\":2},"
                + "\"token_budget\":{\"max_tokens\":50000}}}");
        assertEquals(1.0, p.detectors().values().get("tool_call_cycle").get("enabled"));
        assertEquals(2.0, p.detectors().values().get("tool_call_cycle").get("repetitions"));
        assertEquals(50000.0, p.detectors().values().get("token_budget").get("max_tokens"));
        assertFalse(p.isEmpty());
        assertEquals(p, PolicyJson.parse(PolicyJson.toBytes(p)));
        assertEquals("{\"detectors\":{\"token_budget\":{\"max_tokens\":50000},"
                + "\"tool_call_cycle\":{\"enabled\":true,\"repetitions\":2}}}", PolicyJson.toJson(p));
        assertEquals(0.0, PolicyJson.parse("{\"detectors\":{\"fleet_spend_anomaly\":{\"multiple\":2.5,\"enabled\":false}}}")
                .detectors().values().get("fleet_spend_anomaly").get("enabled"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"detectors\":[]}|detectors must be an object",
            "{\"detectors\":{\"loop_guard\":{\"enabled\":true}}}|unknown detector loop_guard",
            "{\"detectors\":{\"tool_call_cycle\":true}}|detectors.tool_call_cycle must be an object",
            "{\"detectors\":{\"tool_call_cycle\":{\"enabled\":1}}}|tool_call_cycle.enabled must be true or false",
            "{\"detectors\":{\"tool_call_cycle\":{\"repetitions\":\"3\"}}}|repetitions must be a number",
            "{\"detectors\":{\"tool_call_cycle\":{\"repetitions\":9}}}|repetitions must be an integer in 2..8, got 9",
            "{\"detectors\":{\"token_budget\":{\"enabled\":true,\"enabled\":false}}}|enabled appears twice",
            "{\"detectors\":{\"token_budget\":{\"window_ms\":1000}}}|window_ms must be an integer in 60000..",
    })
    void badDetectorValuesAreRefusedSayingWhy(String json, String reason) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse(json));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** A policy record that is not well-formed UTF-8 is refused with the problem and its byte, like an event. */
    @Test
    void aValueThatIsNotUtf8IsRefused() {
        byte[] json = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse(json));
        assertEquals("the value is not valid UTF-8: overlong encoding at byte 2", e.getMessage());
    }

    @Test
    void aHaltWithOrWithoutAReasonParsesAndRoundTripsCanonically() {
        Policy p = PolicyJson.parse("{\"halt\":{\"since_ms\":1767225600000,\"reason\":\"incident 42 \\u00e9\"}}");
        assertEquals(new Policy.Halt("incident 42 \u00e9", 1767225600000L, null), p.halt());
        assertFalse(p.isEmpty(), "a halt alone is an entry");
        assertEquals("{\"halt\":{\"reason\":\"incident 42 \u00e9\",\"since_ms\":1767225600000}}", PolicyJson.toJson(p));
        assertEquals(p, PolicyJson.parse(PolicyJson.toBytes(p)));

        Policy bare = PolicyJson.parse("{\"cost_cap\":5,\"halt\":{}}");
        assertEquals(new Policy.Halt(null, null, null), bare.halt());
        assertEquals("{\"cost_cap\":5,\"halt\":{}}", PolicyJson.toJson(bare));
        assertNull(PolicyJson.parse("{\"cost_cap\":5}").halt(), "no halt unless the field is there");
        String longest = "x".repeat(Policy.Halt.MAX_REASON_CHARS - 1) + "\ud83d\ude00";   // 500 code points
        assertEquals(longest, PolicyJson.parse("{\"halt\":{\"reason\":\"" + longest + "\"}}").halt().reason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"halt\":true}|halt must be an object like {\"reason\": \"incident 42\"} ({} halts without a reason), got true",
            "{\"halt\":null}|halt must be an object like",
            "{\"halt\":\"stop\"}|halt must be an object like",
            "{\"halt\":{\"reason\":\"\"}}|halt.reason must be a non-empty string of at most 500 characters, got 0 characters",
            "{\"halt\":{\"reason\":5}}|halt.reason must be a non-empty string of at most 500 characters, got 5",
            "{\"halt\":{\"reason\":\"\\ud800\"}}|halt.reason holds an unpaired surrogate",
            "{\"halt\":{\"since_ms\":-1}}|halt.since_ms must be an integer in 0..9223372036854775807, got -1",
            "{\"halt\":{\"until\":5}}|unknown field halt.until; a halt has only reason, since_ms",
            "{\"halt\":{\"reason\":\"a\",\"reason\":\"b\"}}|halt.reason appears twice",
            "{\"halt\":{},\"halt\":{}}|field halt appears twice"})
    void badHaltsAreRefusedSayingWhy(String json, String message) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse(json));
        assertTrue(e.getMessage().startsWith(message), "message: " + e.getMessage());
    }

    @Test
    void aReasonOverTheLimitIsRefused() {
        String json = "{\"halt\":{\"reason\":\"" + "x".repeat(Policy.Halt.MAX_REASON_CHARS + 1) + "\"}}";
        assertTrue(assertThrows(InvalidPolicyException.class, () -> PolicyJson.parse(json)).getMessage()
                .endsWith("got 501 characters"));
    }
}
