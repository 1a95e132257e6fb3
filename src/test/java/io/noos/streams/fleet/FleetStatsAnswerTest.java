package io.noos.streams.fleet;

import io.noos.streams.testkit.JsonTrees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Merging window parts from several instances: the expected figures are the sums of the parts,
 * worked out by hand from the inputs below.
 */
class FleetStatsAnswerTest {
    private static final long MIN = 60_000;
    private static final long T = 1_767_225_600_000L; // a minute boundary
    private static final long FROM = T - 60 * MIN;

    /** JSON written with single quotes, for readability. */
    private static JsonNode tree(String json) {
        return JsonTrees.tree(json.replace('\'', '"'));
    }

    /** Equal trees, numbers compared by value (an int and a long of one value are equal). */
    private static void assertSameJson(JsonNode expected, JsonNode actual) {
        Comparator<JsonNode> byValue = (a, b) -> a.equals(b) ? 0
                : a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        assertTrue(expected.equals(byValue, actual), "expected " + expected + " but was " + actual);
    }

    private static JsonNode window(String agent, long start, String body) {
        return tree("{'agent_id':'" + agent + "','window_start_ms':" + start + ",'window_end_ms':" + (start + MIN)
                + (body.isEmpty() ? "" : "," + body) + "}");
    }

    @Test
    void partsOfOneWindowAddUp() {
        JsonNode a = window("*", T - 2 * MIN, "'events':7,'turns':2,'tokens_out':300,"
                + "'decisions':{'continue':4,'circuit_break':1},'circuit_breaks':{'repeated_tool_call_loop':1},"
                + "'top_users':[{'user_id':'u1','tokens_out':200},{'user_id':'u2','tokens_out':100}],"
                + "'latest_breaks':[{'user_id':'u1','agent_id':'a1','reason':'repeated_tool_call_loop','at_ms':" + (T - 100_000) + "}]");
        JsonNode b = window("*", T - 2 * MIN, "'events':5,'turns':1,'tokens_out':250,"
                + "'decisions':{'continue':2,'scope_drift_warn':3},'circuit_breaks':{'cost_cap_reached':2},"
                + "'top_users':[{'user_id':'u2','tokens_out':150},{'user_id':'u3','tokens_out':100}],"
                + "'latest_breaks':[{'user_id':'u3','agent_id':null,'reason':'cost_cap_reached','at_ms':" + (T - 90_000) + "}]");

        JsonNode out = FleetStatsAnswer.answer(List.of(a, b), FROM, T, 60, 2, false);

        assertEquals(1, out.get("windows").size());
        JsonNode w = out.get("windows").get(0);
        assertEquals("*", w.get("agent_id").asText());
        assertEquals(T - 2 * MIN, w.get("window_start_ms").asLong());
        assertEquals(T - MIN, w.get("window_end_ms").asLong());
        assertEquals(12, w.get("events").asLong());
        assertEquals(3, w.get("turns").asLong());
        assertEquals(550, w.get("tokens_out").asLong());
        assertSameJson(tree("{'continue':6,'circuit_break':1,'scope_drift_warn':3}"), w.get("decisions"));
        assertSameJson(tree("{'repeated_tool_call_loop':1,'cost_cap_reached':2}"), w.get("circuit_breaks"));
        // u2: 100 + 150 = 250 leads u1 (200) and u3 (100)
        assertSameJson(tree("[{'user_id':'u2','tokens_out':250},{'user_id':'u1','tokens_out':200},"
                + "{'user_id':'u3','tokens_out':100}]"), w.get("top_users"));
        assertEquals("u3", w.get("latest_breaks").get(0).get("user_id").asText(), "newest first");
        assertTrue(w.get("latest_breaks").get(0).get("agent_id").isNull());
        assertEquals("u1", w.get("latest_breaks").get(1).get("user_id").asText());
        assertEquals(2, out.get("instances").asInt());
        assertFalse(out.get("partial").asBoolean());
    }

    @Test
    void theAnswerNamesEveryDecisionKindInTheOrderToShowThem() {
        JsonNode kinds = FleetStatsAnswer.answer(List.of(), FROM, T, 60, 1, false).get("decision_kinds");
        List<String> names = new ArrayList<>();
        kinds.forEach(k -> names.add(k.asText()));
        assertEquals(List.of("continue", "scope_drift_warn", "procedural_warning", "circuit_break",
                "spend_anomaly_warn", "spend_budget_warn"), names, "the regulator's four kinds, then the opt-in detectors'");
    }

    @Test
    void fleetWindowsAreSortedAgentsAreSeparateAndTheSummaryAddsTheFleetWindows() {
        List<JsonNode> parts = List.of(
                window("*", T - 3 * MIN, "'events':1,'tokens_out':10,'decisions':{'continue':1}"),
                window("*", T - 5 * MIN, "'events':2,'tokens_out':20,'decisions':{'circuit_break':2}"),
                window("agent-b", T - 5 * MIN, "'tokens_out':5"),
                window("agent-a", T - 3 * MIN, "'tokens_out':7"),
                window("agent-a", T - 5 * MIN, "'tokens_out':4"),
                window("agent-c", T - 3 * MIN, "'tokens_out':11"));

        ObjectNode out = FleetStatsAnswer.answer(parts, FROM, T, 60, 1, false);

        assertEquals(T - 5 * MIN, out.get("windows").get(0).get("window_start_ms").asLong());
        assertEquals(T - 3 * MIN, out.get("windows").get(1).get("window_start_ms").asLong());
        assertEquals(2, out.get("agents").get("agent-a").size());
        assertEquals(T - 5 * MIN, out.get("agents").get("agent-a").get(0).get("window_start_ms").asLong());
        assertFalse(out.get("agents").has("*"));

        JsonNode summary = out.get("summary");
        assertEquals(3, summary.get("events").asLong());
        assertEquals(30, summary.get("tokens_out").asLong());
        assertSameJson(tree("{'continue':1,'circuit_break':2}"), summary.get("decisions"));
        assertFalse(summary.has("window_start_ms"));
        assertFalse(summary.has("agent_id"));
        // agent-a 7 + 4 = 11 ties agent-c 11 (ties by name), then agent-b 5
        assertSameJson(tree("[{'agent_id':'agent-a','tokens_out':11},{'agent_id':'agent-c','tokens_out':11},"
                + "{'agent_id':'agent-b','tokens_out':5}]"), summary.get("top_agents"));
    }

    @Test
    void windowsOutsideThePeriodAreLeftOut() {
        List<JsonNode> parts = List.of(
                window("*", FROM - MIN, "'events':100"),        // ends exactly at FROM: out
                window("*", FROM - MIN / 2, "'events':1"),       // overlaps FROM: in
                window("*", T - MIN, "'events':2"),              // the current minute: in
                window("*", T + MIN, "'events':1000"));          // starts after now: out
        JsonNode out = FleetStatsAnswer.answer(parts, FROM, T, 60, 1, false);
        assertEquals(2, out.get("windows").size());
        assertEquals(3, out.get("summary").get("events").asLong());
    }

    @Test
    void topUsersAndLatestBreaksKeepTen() {
        List<JsonNode> parts = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            parts.add(window("*", T - 2 * MIN, "'top_users':[{'user_id':'u" + i + "','tokens_out':" + i * 10 + "}],"
                    + "'latest_breaks':[{'user_id':'u" + i + "','agent_id':'a','reason':'cost_cap_reached','at_ms':" + (T - 120_000 + i) + "}]"));
        }
        JsonNode w = FleetStatsAnswer.answer(parts, FROM, T, 60, 1, false).get("windows").get(0);
        assertEquals(10, w.get("top_users").size());
        assertEquals("u12", w.get("top_users").get(0).get("user_id").asText());
        assertEquals("u3", w.get("top_users").get(9).get("user_id").asText(), "u1 and u2 spent least");
        assertEquals(10, w.get("latest_breaks").size());
        assertEquals("u12", w.get("latest_breaks").get(0).get("user_id").asText());
        assertEquals("u3", w.get("latest_breaks").get(9).get("user_id").asText());
    }

    @Test
    void fieldsAddedToTheFormatLaterAddUpToo() {
        List<JsonNode> parts = List.of(window("*", T - MIN, "'policy_rejections':2,'by_model':{'m1':1}"),
                window("*", T - MIN, "'policy_rejections':3,'by_model':{'m1':1,'m2':4}"));
        JsonNode w = FleetStatsAnswer.answer(parts, FROM, T, 60, 1, false).get("windows").get(0);
        assertEquals(5, w.get("policy_rejections").asLong());
        assertSameJson(tree("{'m1':2,'m2':4}"), w.get("by_model"));
    }

    @Test
    void malformedWindowsAreSkipped() {
        List<JsonNode> parts = List.of(tree("[1,2]"), tree("{'agent_id':7,'window_start_ms':1}"),
                tree("{'agent_id':'*'}"), window("*", T - MIN, "'events':4"));
        JsonNode out = FleetStatsAnswer.answer(parts, FROM, T, 60, 1, false);
        assertEquals(1, out.get("windows").size());
        assertEquals(4, out.get("summary").get("events").asLong());
    }

    /** A median cannot be added up: a window's user_spend is its fullest part's; the summary has none. */
    @Test
    void userSpendIsTheFullestPartsAndNotInTheSummary() {
        List<JsonNode> parts = List.of(
                window("*", T - 2 * MIN, "'events':3,'user_spend':{'users':2,'median_tokens_out':20.0}"),
                window("*", T - 2 * MIN, "'events':5,'user_spend':{'users':5,'median_tokens_out':30.0}"),
                window("*", T - 2 * MIN, "'events':1,'user_spend':{'users':4,'median_tokens_out':99.0}"),
                window("*", T - MIN, "'events':2,'user_spend':{'users':0,'median_tokens_out':null}"));
        JsonNode out = FleetStatsAnswer.answer(parts, FROM, T, 60, 1, false);
        assertSameJson(tree("{'users':5,'median_tokens_out':30.0}"), out.get("windows").get(0).get("user_spend"));
        assertSameJson(tree("{'users':0,'median_tokens_out':null}"), out.get("windows").get(1).get("user_spend"));
        assertEquals(11, out.get("summary").get("events").asLong());
        assertFalse(out.get("summary").has("user_spend"));
    }
}
