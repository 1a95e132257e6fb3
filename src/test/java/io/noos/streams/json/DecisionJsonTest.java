package io.noos.streams.json;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the opt-in detectors' decisions: the kind tag, then each record component under its
 * snake_case name, in declaration order, inside a decision record as on the topic.
 */
class DecisionJsonTest {

    /** The decision as the decisions topic carries it, read back. */
    private static JsonNode onTheTopic(Decision d) throws IOException {
        DecisionRecord r = new DecisionRecord("ann", "agent-2", null, "e-5", "cost", 1_700_000_000_000L, 3, d, null,
                Map.of());
        JsonNode record = tree(DecisionRecordJson.toJson(r));
        assertEquals("ann", record.get("user_id").asText());
        return record.get("decision");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void repeatedIdenticalToolCall() throws IOException {
        JsonNode d = onTheTopic(new Decision.CircuitBreak(
                new BreakReason.RepeatedIdenticalToolCall("get_invoice", "5d41402abc4b2a76", 3), "stop repeating"));
        assertEquals(tree("{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"repeated_identical_tool_call\","
                + "\"tool_name\":\"get_invoice\",\"arguments_digest\":\"5d41402abc4b2a76\",\"count\":3},"
                + "\"suggestion\":\"stop repeating\"}"), d);
        assertEquals(List.of("kind", "tool_name", "arguments_digest", "count"), fieldNames(d.get("reason")));
    }

    @Test
    void toolCallCycle() throws IOException {
        JsonNode d = onTheTopic(new Decision.CircuitBreak(
                new BreakReason.ToolCallCycle(List.of("list_files", "read_file"), 4), "break the cycle"));
        assertEquals(tree("{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"tool_call_cycle\","
                + "\"cycle\":[\"list_files\",\"read_file\"],\"repetitions\":4},\"suggestion\":\"break the cycle\"}"), d);
        assertEquals(List.of("kind", "cycle", "repetitions"), fieldNames(d.get("reason")));
    }

    @Test
    void tokenBudgetExceeded() throws IOException {
        JsonNode d = onTheTopic(new Decision.CircuitBreak(
                new BreakReason.TokenBudgetExceeded(1_000_001, 1_000_000, 86_400_000), "budget"));
        assertEquals(tree("{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"token_budget_exceeded\","
                + "\"tokens_in_window\":1000001,\"budget_tokens\":1000000,\"window_ms\":86400000},"
                + "\"suggestion\":\"budget\"}"), d);
        assertEquals(List.of("kind", "tokens_in_window", "budget_tokens", "window_ms"), fieldNames(d.get("reason")));
    }

    @Test
    void operatorHalt() throws IOException {
        JsonNode d = onTheTopic(new Decision.CircuitBreak(new BreakReason.OperatorHalt("agent:agent-7", "incident 42"),
                "halted"));
        assertEquals(tree("{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"operator_halt\","
                + "\"policy_key\":\"agent:agent-7\",\"halt_reason\":\"incident 42\"},\"suggestion\":\"halted\"}"), d);
        assertEquals(List.of("kind", "policy_key", "halt_reason"), fieldNames(d.get("reason")));
        assertTrue(onTheTopic(new Decision.CircuitBreak(new BreakReason.OperatorHalt("*", null), "halted"))
                .get("reason").get("halt_reason").isNull(), "no reason text: null");
    }

    @Test
    void repeatedFailurePattern() throws IOException {
        JsonNode d = onTheTopic(new Decision.CircuitBreak(new BreakReason.RepeatedFailurePattern("db+migration", 5),
                "failures"));
        assertEquals(tree("{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"repeated_failure_pattern\","
                + "\"cluster\":\"db+migration\",\"failure_count\":5},\"suggestion\":\"failures\"}"), d);
    }

    @Test
    void spendAnomalyWarn() throws IOException {
        // 7,500 tokens against a median of 1,250: ratio 6.0, exact in binary.
        JsonNode d = onTheTopic(new Decision.SpendAnomalyWarn(7_500, 1_250.0, 6.0, 1_700_000_040_000L,
                1_699_999_980_000L, 12));
        assertEquals(tree("{\"kind\":\"spend_anomaly_warn\",\"user_tokens_out\":7500,\"fleet_median_tokens_out\":1250.0,"
                + "\"ratio\":6.0,\"window_start_ms\":1700000040000,\"fleet_window_start_ms\":1699999980000,"
                + "\"fleet_users\":12}"), d);
        assertEquals(List.of("kind", "user_tokens_out", "fleet_median_tokens_out", "ratio", "window_start_ms",
                "fleet_window_start_ms", "fleet_users"), fieldNames(d));
    }

    @Test
    void aFractionalRatioKeepsEveryDigit() throws IOException {
        double ratio = 5_000 / 900.0;
        JsonNode d = tree(DecisionJson.toJson(new Decision.SpendAnomalyWarn(5_000, 900.0, ratio, 0, -60_000, 5)));
        assertEquals(ratio, d.get("ratio").doubleValue());
        assertEquals(-60_000, d.get("fleet_window_start_ms").longValue());
    }
}
