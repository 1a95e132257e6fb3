package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.detect.DetectionContext;
import io.noos.streams.detect.DetectorParam;
import io.noos.streams.detect.DetectorParams;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorState;
import io.noos.streams.detect.NamedDetector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Detectors through the real topology: enabled for one user by a policy on the policies topic, and
 * a detector written here, registered and run without any change to the topology.
 */
class DetectorsTopologyTest {
    private TopologyHarness h;
    private int sequence;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private JsonNode send(String user, String event) {
        h.send(user, "{\"event_id\":\"e" + sequence + "\",\"user_id\":\"" + user + "\",\"agent_id\":\"a1\""
                + ",\"session_id\":\"s1\",\"at_ms\":" + (1_000 + sequence++) + ",\"event\":" + event + "}");
        List<String> out = h.decisions.readValuesToList();
        assertEquals(1, out.size());
        return tree(out.get(0)).get("decision");
    }

    private static String call(String tool) {
        return "{\"type\":\"tool_call\",\"tool_name\":\"" + tool + "\",\"args_json\":null}";
    }

    private static String result(boolean ok) {
        return "{\"type\":\"tool_result\",\"tool_name\":\"t\",\"success\":" + ok + ",\"duration_ms\":5,\"error_summary\":null}";
    }

    /** search, fetch, search, fetch, search, fetch: the decision after the last call. */
    private JsonNode pingPong(String user) {
        send(user, "{\"type\":\"turn_start\",\"user_message\":\"find the release notes\"}");
        JsonNode last = null;
        for (int i = 0; i < 3; i++) {
            send(user, call("search"));
            last = send(user, call("fetch"));
        }
        return last;
    }

    @Test
    void aPolicyEnablesTheCycleDetectorForOneUserOnly() {
        h = new TopologyHarness(TopologySettings.defaults());
        h.policies.pipeInput("alice", "{\"detectors\":{\"tool_call_cycle\":{\"enabled\":true}}}");
        JsonNode alice = pingPong("alice");
        assertEquals("circuit_break", alice.get("kind").asText(), alice.toString());
        assertEquals("tool_call_cycle", alice.get("reason").get("kind").asText());
        assertEquals("continue", pingPong("bob").get("kind").asText(), "bob runs the reference's rules only");

        h.policies.pipeInput("alice", "{\"detectors\":{\"tool_call_cycle\":{\"enabled\":false}}}");
        assertEquals("continue", pingPong("alice").get("kind").asText(), "disabled again from the next event");
    }

    /** Written for this test: break once `max_failures` tool results of the turn failed, in a row or not. */
    static final class ToolFailureBudgetDetector extends NamedDetector {
        ToolFailureBudgetDetector() {
            super("tool_failure_budget", Stage.BREAK,
                    DetectorParam.integer("max_failures", 4, 1, 100, "failed results per turn that break"));
        }

        @Override
        public DetectorState newState() {
            return new Failures();
        }

        @Override
        public DetectorState readState(StateReader in) {
            Failures f = new Failures();
            f.count = in.readVarLong();
            return f;
        }

        static final class Failures implements DetectorState {
            long count;

            @Override
            public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
                if (event instanceof AgentEvent.TurnStart) {
                    count = 0;
                } else if (event instanceof AgentEvent.ToolResult r && !r.success()) {
                    count++;
                }
            }

            @Override
            public Decision check(DetectorParams params, DetectionContext context) {
                return count < params.getLong("max_failures") ? null : new Decision.CircuitBreak(
                        new BreakReason.RepeatedFailurePattern(context.currentCluster(), count), "too many failures");
            }

            @Override
            public void write(StateWriter out) {
                out.writeVarLong(count);
            }
        }
    }

    @Test
    void aNewDetectorIsOneClassAndARegistration() {
        DetectorRegistry registry = DetectorRegistry.BUILT_IN.with(new ToolFailureBudgetDetector());
        h = new TopologyHarness(TopologySettings.builder().detectors(registry).build());
        h.policies.pipeInput("*", "{\"detectors\":{\"tool_failure_budget\":{\"enabled\":true,\"max_failures\":3}}}");
        send("carol", "{\"type\":\"turn_start\",\"user_message\":\"rotate the api keys\"}");
        send("carol", result(false));
        send("carol", result(true));
        assertEquals("continue", send("carol", result(false)).get("kind").asText(), "2 failures < 3");
        JsonNode decision = send("carol", result(false));
        assertEquals("circuit_break", decision.get("kind").asText(), decision.toString());
        assertEquals("repeated_failure_pattern", decision.get("reason").get("kind").asText());
        assertEquals(3, decision.get("reason").get("failure_count").asLong(), "not in a row: the built-in one would not");
    }
}
