package io.noos.streams.otel.ingest;

import static io.noos.streams.otel.ingest.IngestFixtures.ingest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Span logs through the service's per-user rules, as the offline replay runs them; the expected
 * decisions follow the regulator spec (section 11 tool loop, section 8 scope drift, section 13 order).
 */
class SpanReplayEndToEndTest {

    /** The decision record after each envelope (none after tokens; spans give no tokens). */
    private static List<DecisionRecord> decide(IngestResult ingested) {
        UserDecider decider = new UserDecider(TopologySettings.defaults().decider());
        Map<String, UserState> users = new HashMap<>();
        List<DecisionRecord> out = new ArrayList<>();
        for (EventEnvelope e : ingested.envelopes()) {
            UserDecider.Outcome outcome = decider.apply(users.get(e.userId()), e);
            users.put(e.userId(), outcome.state());
            out.add(outcome.decision());
        }
        return out;
    }

    private static List<String> kinds(List<DecisionRecord> records) {
        return records.stream().map(r -> r.eventType() + ":" + r.decision().kind()).toList();
    }

    @Test
    void fiveExecuteToolSpansOfOneToolInATraceBreakTheLoopOnTheFifthCall() {
        List<DecisionRecord> d = decide(ingest("loop.jsonl"));

        assertEquals(List.of("turn_start:continue", "cost:continue",
                "tool_call:continue", "tool_result:continue", "tool_call:continue", "tool_result:continue",
                "tool_call:continue", "tool_result:continue", "tool_call:continue", "tool_result:continue",
                "tool_call:circuit_break", "tool_result:circuit_break"), kinds(d));
        Decision.CircuitBreak stop = assertInstanceOf(Decision.CircuitBreak.class, d.get(10).decision());
        assertEquals(new BreakReason.RepeatedToolCallLoop("search_orders", 5), stop.reason());
        assertEquals("loop.jsonl#6#1", d.get(10).eventId());
        assertEquals(1, d.get(10).turn());
    }

    @Test
    void aChatSpanAnsweringOffTaskGivesScopeDriftOfOne() {
        List<DecisionRecord> d = decide(ingest("otlp-array.jsonl"));

        assertEquals(List.of("turn_start:continue", "tool_call:continue", "tool_result:continue",
                "turn_complete:scope_drift_warn", "cost:scope_drift_warn", "quality_feedback:scope_drift_warn"), kinds(d));
        Decision.ScopeDriftWarn drift = assertInstanceOf(Decision.ScopeDriftWarn.class, d.get(3).decision());
        assertEquals(1.0, drift.driftScore());
        assertEquals(List.of("handling", "logging", "error"), drift.driftTokens());
        assertEquals("carl", d.get(3).userId());
        assertNull(d.get(3).sessionId());   // no conversation id: the user's one session-less conversation
    }

    @Test
    void theOldShapeDecidesAsTheReferenceAdapterOutputWould() {
        List<DecisionRecord> d = decide(ingest("old-dict.jsonl"));

        // TurnStart, then TurnComplete: same task and response as above, so drift 1.0 from then on
        assertEquals(List.of("turn_start:continue", "turn_complete:scope_drift_warn", "cost:scope_drift_warn",
                "tool_call:scope_drift_warn", "tool_result:scope_drift_warn",
                "turn_start:continue", "cost:continue"), kinds(d));
    }
}
