package io.noos.streams.clients.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.json.DecisionJson;
import io.noos.streams.json.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The printer's one-line summaries of the opt-in detectors' decisions, without user text. */
class DecisionPrinterTest {

    private static String summary(Decision d) throws IOException {
        JsonNode json = Json.mapper().readTree(DecisionJson.toJson(d));
        return DecisionPrinter.summary(json);
    }

    @Test
    void theNewBreakReasonsArePrintedWithTheirCounts() throws IOException {
        assertEquals("CIRCUIT BREAK repeated_identical_tool_call (fetch_page called 4 times with the same arguments)",
                summary(new Decision.CircuitBreak(
                        new BreakReason.RepeatedIdenticalToolCall("fetch_page", "c0ffee00c0ffee00", 4), "s")));
        assertEquals("CIRCUIT BREAK tool_call_cycle (plan -> search -> read repeated 3 times)",
                summary(new Decision.CircuitBreak(
                        new BreakReason.ToolCallCycle(List.of("plan", "search", "read"), 3), "s")));
        assertEquals("CIRCUIT BREAK token_budget_exceeded (tokens 61000/60000 in the last 3600 s)",
                summary(new Decision.CircuitBreak(
                        new BreakReason.TokenBudgetExceeded(61_000, 60_000, 3_600_000), "s")));
    }

    @Test
    void anOperatorHaltNamesItsPolicyKeyNotItsText() throws IOException {
        assertEquals("CIRCUIT BREAK operator_halt (policy agent:agent-3)",
                summary(new Decision.CircuitBreak(new BreakReason.OperatorHalt("agent:agent-3", "incident 42"), "s")));
    }

    @Test
    void aFailurePatternIsPrintedWithoutItsTopicCluster() throws IOException {
        String line = summary(new Decision.CircuitBreak(new BreakReason.RepeatedFailurePattern("payroll+salary", 4), "s"));
        assertEquals("CIRCUIT BREAK repeated_failure_pattern (4 tool failures in a row)", line);
        assertFalse(line.contains("payroll"), "topic keywords are user data");
    }

    @Test
    void aSpendAnomalyIsPrintedWithTheFleetMedian() throws IOException {
        assertEquals("SPEND ANOMALY 12500 tokens out this minute, 6.3x the fleet median of 2000 (8 users)",
                summary(new Decision.SpendAnomalyWarn(12_500, 2_000.0, 6.25, 180_000, 120_000, 8)));
    }

    @Test
    void anUnknownReasonOrKindIsPrintedByItsTagAlone() throws IOException {
        JsonNode reason = Json.mapper().readTree(
                "{\"kind\":\"circuit_break\",\"reason\":{\"kind\":\"future_reason\",\"note\":\"user text\"}}");
        assertEquals("CIRCUIT BREAK future_reason", DecisionPrinter.summary(reason));
        assertEquals("low_confidence_spans", DecisionPrinter.summary(Json.mapper().readTree(
                "{\"kind\":\"low_confidence_spans\",\"spans\":[]}")));
    }
}
