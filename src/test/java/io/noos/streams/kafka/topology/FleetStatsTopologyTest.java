package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.fleet.TaskPartial;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet aggregates through the real topology: hand-made events of two agents and one event
 * source without agent_id across two 1-minute windows, a dead letter and a late event. Every
 * expected count is derived by hand from the events (and the decisions from spec §13).
 */
@SuppressWarnings("unchecked")   // the regulator's object stores are read as ReadOnlyKeyValueStore
class FleetStatsTopologyTest {
    /** 2026-01-01T00:00:00Z, a window start. */
    private static final long T0 = 1_767_225_600_000L;
    private static final String A = "1767225600000";
    private static final String B = "1767225660000";
    private static final String TASK = "refactor this function to be async";
    private static final String DRIFTING = "add logging and error handling";

    private TopologyHarness h;
    private int sequence;

    @BeforeEach
    void start() {
        h = new TopologyHarness(TopologySettings.defaults());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void send(String user, String agent, long offset, String event) {
        h.send(user, TestEvent.user(user).id("e" + (sequence++)).agent(agent).session("s1").at(T0 + offset).json(event));
    }

    /** Emission is on wall-clock time, every 5 s by default. */
    private Map<String, JsonNode> emitted() {
        h.driver.advanceWallClockTime(Duration.ofSeconds(5));
        Map<String, JsonNode> latest = new TreeMap<>();
        h.fleetStats.readKeyValuesToList().forEach(kv -> latest.put(kv.key, tree(kv.value)));
        return latest;
    }

    private static JsonNode window(String agent, String start, String counts) {
        long s = Long.parseLong(start);
        return tree("{\"agent_id\":\"" + agent + "\",\"window_start_ms\":" + s + ",\"window_end_ms\":"
                + (s + 60_000) + "," + counts + "}");
    }

    /**
     * {@code user_spend} of {@code users} users whose median total falls in bucket {@code bucket}
     * ({@code ⌊16·log2 total⌋}), reported as the bucket's geometric middle {@code 2^((bucket+0.5)/16)}
     * (for the totals below, that middle lies among the whole numbers of the bucket).
     */
    private static String userSpend(int users, int bucket) {
        return "\"user_spend\":{\"users\":" + users + ",\"median_tokens_out\":" + Math.pow(2, (bucket + 0.5) / 16) + "}";
    }

    private static String decisions(int cont, int drift, int procedural, int breaks) {
        return "\"decisions\":{\"continue\":" + cont + ",\"scope_drift_warn\":" + drift + ",\"procedural_warning\":"
                + procedural + ",\"circuit_break\":" + breaks + "}";
    }

    @Test
    void twoAgentsAndAnAgentlessSourceAcrossTwoWindowsAreCountedPerAgentAndFleetWide() {
        // Window A, first part.
        send("u1", "agent-1", 1_000, Logs.turnStart("explain tokio runtime"));                 // continue
        send("u1", "agent-1", 2_000, "{\"type\":\"token_batch\",\"logprobs\":[-0.1,-0.2,-0.3]}"); // 3 events, no decision
        send("u1", "agent-1", 3_000, Logs.cost(10, 200));                                     // continue
        send("u2", "agent-2", 1_500, Logs.turnStart("find the retry policy"));                 // continue
        send("u2", "agent-2", 2_500, Logs.cost(5, 50));                                       // continue
        send("u3", null, 2_000, Logs.turnStart(TASK));                                        // continue
        h.input.pipeInput("mallory", "{not json".getBytes(StandardCharsets.UTF_8));      // dead letter
        Map<String, JsonNode> first = emitted();
        assertEquals(java.util.Set.of("*@" + A, "agent-1@" + A, "agent-2@" + A), first.keySet());
        assertEquals(8, first.get("*@" + A).get("events").asInt(), "so far u1: 1 + 3 + 1, u2: 2, u3: 1");

        // Window A, the rest: cumulative partials are re-sent and replace the earlier ones.
        send("u1", "agent-1", 4_000, Logs.toolCall("search"));                                // continue
        send("u1", "agent-1", 5_000,
                "{\"type\":\"tool_result\",\"tool_name\":\"search\",\"success\":false,\"duration_ms\":5,\"error_summary\":null}");
        for (int i = 0; i < 5; i++) {                                                    // 4 x continue, then
            send("u2", "agent-2", 3_000 + i * 1_000L, Logs.toolCall("search_docs"));          // the loop break (§11)
        }
        send("u3", null, 3_000, Logs.cost(1, 30));                                            // continue
        send("u3", null, 4_000, "{\"type\":\"turn_complete\",\"full_response\":\"" + DRIFTING + "\"}"); // drift 1.0 (§8)

        // Window B.
        send("u1", "agent-1", 61_000, Logs.turnStart("explain tokio runtime"));               // continue
        send("u1", "agent-1", 62_000, Logs.cost(20, 400));                                    // continue
        send("u4", "agent-1", 61_500, Logs.turnStart("plan the sprint"));                     // continue
        send("u4", "agent-1", 62_500, Logs.cost(0, 100));                                     // continue
        send("u1", "agent-1", 75_000, "{\"type\":\"quality_feedback\",\"quality\":0.9,\"fragment_spans\":null}");
        // Window A ended at +60 s; with 10 s grace it closed when event time reached +70 s: late.
        send("u2", "agent-2", 8_000, Logs.toolCall("search_docs"));
        Map<String, JsonNode> second = emitted();

        Map<String, JsonNode> expected = new TreeMap<>();
        expected.put("agent-1@" + A, window("agent-1", A, "\"events\":7,\"turns\":1,\"tokens_in\":10,\"tokens_out\":200,"
                + decisions(4, 0, 0, 0) + ",\"circuit_breaks\":{},\"tool_calls\":1,\"tool_failures\":1,"
                + "\"implicit_corrections\":0,\"dead_letters\":0,\"late_events\":0,"
                + "\"top_users\":[{\"user_id\":\"u1\",\"tokens_out\":200}],"
                + userSpend(1, 122) + money(1) + ",\"latest_breaks\":[]")); // 16·log2 200 = 122.3
        String loopBreak = "{\"user_id\":\"u2\",\"agent_id\":\"agent-2\",\"reason\":\"repeated_tool_call_loop\",\"at_ms\":"
                + (T0 + 7_000) + "}";
        expected.put("agent-2@" + A, window("agent-2", A, "\"events\":7,\"turns\":1,\"tokens_in\":5,\"tokens_out\":50,"
                + decisions(6, 0, 0, 1) + ",\"circuit_breaks\":{\"repeated_tool_call_loop\":1},\"tool_calls\":5,"
                + "\"tool_failures\":0,\"implicit_corrections\":0,\"dead_letters\":0,\"late_events\":0,"
                + "\"top_users\":[{\"user_id\":\"u2\",\"tokens_out\":50}]," + userSpend(1, 90) // 16·log2 50 = 90.3
                + money(1) + ",\"latest_breaks\":[" + loopBreak + "]"));
        expected.put("*@" + A, window("*", A, "\"events\":17,\"turns\":3,\"tokens_in\":16,\"tokens_out\":280,"
                + decisions(12, 1, 0, 1) + ",\"circuit_breaks\":{\"repeated_tool_call_loop\":1},\"tool_calls\":6,"
                + "\"tool_failures\":1,\"implicit_corrections\":0,\"dead_letters\":1,\"late_events\":0,"
                + "\"top_users\":[{\"user_id\":\"u1\",\"tokens_out\":200},{\"user_id\":\"u2\",\"tokens_out\":50},"
                + "{\"user_id\":\"u3\",\"tokens_out\":30}]," + userSpend(3, 90) // 30, 50, 200: the middle one, 50
                + money(3) + ",\"latest_breaks\":[" + loopBreak + "]"));
        String windowB = "\"events\":5,\"turns\":2,\"tokens_in\":20,\"tokens_out\":500," + decisions(5, 0, 0, 0)
                + ",\"circuit_breaks\":{},\"tool_calls\":0,\"tool_failures\":0,\"implicit_corrections\":0,"
                + "\"dead_letters\":0,";
        String topB = "\"top_users\":[{\"user_id\":\"u1\",\"tokens_out\":400},{\"user_id\":\"u4\",\"tokens_out\":100}],"
                + userSpend(2, 106) + money(2) + ",\"latest_breaks\":[]"; // 100, 400: the lower middle, 100 (16·log2 100 = 106.3)
        expected.put("agent-1@" + B, window("agent-1", B, windowB + "\"late_events\":0," + topB));
        expected.put("*@" + B, window("*", B, windowB + "\"late_events\":1," + topB));
        expected.put("agent-2@" + B, window("agent-2", B, "\"events\":0,\"turns\":0,\"tokens_in\":0,\"tokens_out\":0,"
                + decisions(0, 0, 0, 0) + ",\"circuit_breaks\":{},\"tool_calls\":0,\"tool_failures\":0,"
                + "\"implicit_corrections\":0,\"dead_letters\":0,\"late_events\":1,\"top_users\":[],"
                + "\"user_spend\":{\"users\":0,\"median_tokens_out\":null}" + money(0) + ",\"latest_breaks\":[]"));

        Map<String, JsonNode> latest = new TreeMap<>(first);
        latest.putAll(second);
        assertEquals(expected, latest, "the newest record per key on regulator-fleet-stats");

        KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(ServiceStore.FLEET_STATS.storeName());
        Map<String, JsonNode> stored = new TreeMap<>();
        store.all().forEachRemaining(kv -> stored.put(kv.key, tree(new String(kv.value, StandardCharsets.UTF_8))));
        assertEquals(expected, stored, "the queryable store holds the same totals");

        ReadOnlyKeyValueStore<String, TaskPartial> partials =
                (ReadOnlyKeyValueStore<String, TaskPartial>) h.driver.getAllStateStores().get(ServiceStore.FLEET_PARTIALS.storeName());
        assertNull(partials.get("*@" + A), "window A closed: the task dropped its partial");
        assertTrue(partials.get("*@" + B) != null, "window B is still open");

        assertTrue(emitted().isEmpty(), "nothing changed: nothing sent again");
    }

    @Test
    void theLatestDecisionStoreHoldsEachUsersLastDecisionRecordAsPublished() {
        send("u2", "agent-2", 1_000, Logs.turnStart("find the retry policy"));
        for (int i = 0; i < 5; i++) {
            send("u2", "agent-2", 2_000 + i, Logs.toolCall("search_docs"));
        }
        send("u1", null, 1_000, Logs.turnStart(TASK));
        var published = h.decisions.readKeyValuesToList();
        String lastOfU2 = published.stream().filter(kv -> kv.key.equals("u2")).reduce((a, b) -> b).orElseThrow().value;
        assertTrue(lastOfU2.contains("repeated_tool_call_loop"), lastOfU2);

        ReadOnlyKeyValueStore<String, byte[]> latest =
                (ReadOnlyKeyValueStore<String, byte[]>) h.driver.getAllStateStores().get(ServiceStore.LATEST_DECISION.storeName());
        assertEquals(lastOfU2, new String(latest.get("u2"), StandardCharsets.UTF_8), "byte for byte the topic's record");
        assertTrue(new String(latest.get("u1"), StandardCharsets.UTF_8).contains("\"kind\":\"continue\""));
        assertNull(latest.get("mallory"));
        assertFalse(h.decisions.readValuesToList().iterator().hasNext());
    }

    /** No price table: every cost event is counted unpriced, no money. */
    private static String money(int unpriced) {
        return ",\"spend_micros\":{},\"unpriced_cost_events\":" + unpriced + ",\"top_spenders\":{},\"user_money\":{}";
    }
}
