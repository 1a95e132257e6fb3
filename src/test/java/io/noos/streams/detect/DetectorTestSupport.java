package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.fleet.FleetView;
import java.util.HashMap;
import java.util.Map;

/** Drives one detector's state directly, with parameters given by name over the defaults. */
final class DetectorTestSupport {
    final Detector detector;
    DetectorParams params;
    DetectorState state;
    FleetView fleet = FleetView.NONE;
    String cluster = "";
    String agentId;
    AgentSpendView agentSpend = AgentSpendView.NONE;
    long lastAt;

    DetectorTestSupport(Detector detector, Map<String, Double> overrides) {
        this.detector = detector;
        Map<String, Map<String, Double>> values = new HashMap<>();
        Map<String, Double> set = new HashMap<>(overrides);
        set.put(DetectorSettings.ENABLED, 1.0);
        values.put(detector.name(), set);
        this.params = DetectorSettings.of(values, new DetectorRegistry(java.util.List.of(detector)))
                .active(new DetectorRegistry(java.util.List.of(detector))).get(0).params();
        this.state = detector.newState();
    }

    DetectorTestSupport(Detector detector) {
        this(detector, Map.of());
    }

    DetectorTestSupport on(AgentEvent event, long atMs) {
        state.onEvent(event, atMs, params);
        lastAt = atMs;
        return this;
    }

    /** A cost event that cost {@code cost} (null: unpriced). */
    DetectorTestSupport cost(AgentEvent.Cost event, io.noos.streams.pricing.Money cost, long atMs) {
        state.onEvent(event, atMs, params, cost);
        lastAt = atMs;
        return this;
    }

    Decision warning() {
        return state.warning(params, new DetectionContext(cluster, lastAt, fleet, agentId, agentSpend));
    }

    DetectorTestSupport call(String tool, String args) {
        return on(new AgentEvent.ToolCall(tool, args), lastAt);
    }

    DetectorTestSupport turn() {
        return on(new AgentEvent.TurnStart("next question"), lastAt);
    }

    Decision check() {
        return check(lastAt);
    }

    Decision check(long atMs) {
        return state.check(params, new DetectionContext(cluster, atMs, fleet, agentId, agentSpend));
    }

    /** The state after a write/read round trip, which must decide the same. */
    DetectorTestSupport roundTrip() {
        StateWriter out = new StateWriter(64);
        state.write(out);
        state = detector.readState(new StateReader(out.toByteArray(), 0));
        return this;
    }
}
