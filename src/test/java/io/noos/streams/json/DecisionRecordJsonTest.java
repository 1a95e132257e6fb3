package io.noos.streams.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decision records read back from their JSON ({@link DecisionRecordJson#parse}) equal what was
 * written, for every kind and reason (NaN and infinite numbers included) and for every decision the
 * conformance vectors expect; anything else is refused saying why.
 */
class DecisionRecordJsonTest {

    private static DecisionRecord record(Decision d, String prelude) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("noos.confidence", 0.83);
        metrics.put("noos.mean_quality", Double.NaN);
        metrics.put("noos.scope_drift", Double.NEGATIVE_INFINITY);
        return new DecisionRecord("alice", "agent-7", "s-1", "e-9", "tool_call", 9120, 4, d, prelude, metrics);
    }

    @Test
    void everyKindAndReasonRoundTrips() {
        List<Decision> decisions = List.of(Decision.Continue.INSTANCE,
                new Decision.CircuitBreak(new BreakReason.CostCapReached(2400, 2000, Double.NaN), "s"),
                new Decision.CircuitBreak(new BreakReason.QualityDeclineNoRecovery(3, 0.4), "s"),
                new Decision.CircuitBreak(new BreakReason.RepeatedToolCallLoop("search_orders", 5), "s"),
                new Decision.CircuitBreak(new BreakReason.RepeatedFailurePattern("async", 4), "s"),
                new Decision.CircuitBreak(new BreakReason.RepeatedIdenticalToolCall("fetch", "9f86", 3), "s"),
                new Decision.CircuitBreak(new BreakReason.ToolCallCycle(List.of("a", "b"), 4), "s"),
                new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(10, 9, 60_000), "s"),
                new Decision.CircuitBreak(new BreakReason.OperatorHalt("*", "incident \u00e9 \ud83d\ude00"), "s"),
                new Decision.CircuitBreak(new BreakReason.OperatorHalt("agent:a", null), "s"),
                new Decision.ScopeDriftWarn(List.of("lemon", "tart"), 1.0, List.of("raft")),
                new Decision.ProceduralWarning(List.of(new CorrectionPattern("alice", "async+auth", "p", 3, 0.15,
                        List.of("newest", "older")))),
                new Decision.LowConfidenceSpans(List.of(new Decision.LowConfidenceSpans.Span(0, 10, 0.2,
                        Double.POSITIVE_INFINITY))),
                new Decision.SpendAnomalyWarn(12_000, 1_500.5, 8.0, 60_000, 0, 7),
                new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded("USD", 1_000_001, 1_000_000, 60_000), "s"),
                new Decision.SpendBudgetWarn("JPY", 95, 100, 95, 60_000, 120_000),
                new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded("USD", 5, 5, 60_000, "agent-7"), "s"),
                new Decision.SpendBudgetWarn("USD", 4, 5, 80, 60_000, 0, "agent/\u00e9"));
        for (Decision d : decisions) {
            DecisionRecord r = record(d, d instanceof Decision.ProceduralWarning ? "User has previously..." : null);
            assertEquals(r, DecisionRecordJson.parse(DecisionRecordJson.toBytes(r)), d.toString());
        }
        assertTrue(!DecisionJson.toJson(new Decision.SpendBudgetWarn("USD", 4, 5, 80, 60_000, 0)).contains("agent_id"),
                "a user's own budget: no agent_id field");
        DecisionRecord bare = new DecisionRecord("bob", null, null, null, "cost", 0, 0, Decision.Continue.INSTANCE, null,
                Map.of());
        assertEquals(bare, DecisionRecordJson.parse(DecisionRecordJson.toBytes(bare)));
        assertTrue(!DecisionRecordJson.toJson(bare).contains("spend"), "no cost event yet: no spend field");
        DecisionRecord spending = new DecisionRecord("bob", null, null, null, "cost", 0, 0, Decision.Continue.INSTANCE,
                null, Map.of(), new io.noos.streams.pricing.Spend(Map.of("USD", 1_500_000L, "EUR", 7L), 2));
        String json = DecisionRecordJson.toJson(spending);
        assertTrue(json.contains("\"spend\":{\"amounts\":{\"EUR\":\"0.000007\",\"USD\":\"1.500000\"},"
                + "\"unpriced_cost_events\":2}"), json);
        assertEquals(spending, DecisionRecordJson.parse(DecisionRecordJson.toBytes(spending)));
    }

    @Test
    void everyDecisionTheVectorsExpectReadsBackAsItself() throws IOException {
        Path vectors = Path.of("src/test/resources/conformance/vectors");
        int read = 0;
        try (Stream<Path> files = Files.list(vectors)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode steps = Json.mapper().readTree(file.toFile()).path("steps");
                for (JsonNode step : steps) {
                    JsonNode expect = step.path("expect");
                    if ("decide".equals(step.path("op").asText()) && expect.has("kind")) {
                        Decision d = DecisionJson.read(expect);
                        assertEquals(expect.get("kind").asText(), d.kind(), file.toString());
                        assertEquals(d, DecisionJson.read(Json.mapper().readTree(DecisionJson.toJson(d))), file.toString());
                        read++;
                    }
                }
            }
        }
        assertTrue(read > 10_000, "the vectors' decisions were read: " + read);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json|not valid JSON",
            "[1]|a decision record is a JSON object",
            "{\"user_id\":\"a\",\"event_type\":\"cost\",\"at_ms\":1,\"turn\":0}|not a decision record: 'decision' is missing",
            "{\"user_id\":\"a\",\"event_type\":\"cost\",\"at_ms\":1,\"turn\":0,\"decision\":{\"kind\":\"pause\"}}"
                    + "|decision kind 'pause' is not known",
            "{\"user_id\":\"a\",\"event_type\":\"cost\",\"at_ms\":1,\"turn\":0,\"decision\":{\"kind\":\"circuit_break\","
                    + "\"reason\":{\"kind\":\"nap\"},\"suggestion\":\"s\"}}|circuit_break reason 'nap' is not known",
            "{\"user_id\":\"a\",\"event_type\":\"cost\",\"at_ms\":\"1\",\"turn\":0,\"decision\":{\"kind\":\"continue\"}}"
                    + "|'at_ms' must be an integer",
            "{\"user_id\":7,\"event_type\":\"cost\",\"at_ms\":1,\"turn\":0,\"decision\":{\"kind\":\"continue\"}}"
                    + "|'user_id' must be a string"})
    void anythingElseIsRefusedSayingWhy(String caseAndReason) {
        String[] parts = caseAndReason.split("\\|");
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> DecisionRecordJson.parse(parts[0].getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
    }
}
