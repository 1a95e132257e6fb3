package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.policy.PolicyRejections;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Policies on the policies topic change the settings of a user's very next event, through the real
 * topology. Expected decisions follow the spec's §13 rule 1: with output tokens at or over the cap
 * and a mean of the last 3 qualities below 0.5, the decision is circuit_break cost_cap_reached.
 */
class PolicyTopologyTest {
    private static final String QUALITY = "{\"type\":\"quality_feedback\",\"quality\":0.2,\"fragment_spans\":null}";

    private final PolicyRejections rejections = new PolicyRejections();
    private TopologyHarness h;
    private int sequence;

    @BeforeEach
    void start() {
        h = new TopologyHarness(TopologySettings.defaults(), new ProcessingObserver() {
            @Override
            public void policyRejected(String key, String reason) {
                rejections.record(key, reason);
            }
        });
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private JsonNode send(String user, String agent, String event) {
        String agentField = agent == null ? "" : ",\"agent_id\":\"" + agent + "\"";
        long at = 1_000 + sequence;
        h.send(user, "{\"event_id\":\"e" + (sequence++) + "\",\"user_id\":\"" + user + "\"" + agentField
                + ",\"session_id\":\"s1\",\"at_ms\":" + at + ",\"event\":" + event + "}");
        List<String> out = h.decisions.readValuesToList();
        assertEquals(1, out.size(), "one decision");
        return tree(out.get(0));
    }

    private double cap(String user, String agent) {
        return send(user, agent, QUALITY).get("metrics").get("noos.cost_cap_tokens").asDouble();
    }

    /** A turn that spent 600 output tokens with three poor (but not declining) qualities. */
    private JsonNode poorTurn(String user) {
        send(user, "agent-7", "{\"type\":\"turn_start\",\"user_message\":\"summarize the quarterly report\"}");
        send(user, "agent-7", "{\"type\":\"cost\",\"tokens_in\":100,\"tokens_out\":600,\"wallclock_ms\":900,\"provider\":null}");
        send(user, "agent-7", QUALITY);
        send(user, "agent-7", QUALITY);
        return send(user, "agent-7", QUALITY);
    }

    @Test
    void aUsersNewCostCapDecidesTheirVeryNextEvent() {
        JsonNode before = poorTurn("alice");
        assertEquals("continue", before.get("decision").get("kind").asText(), "600 tokens < the default cap 10000");

        h.policies.pipeInput("alice", "{\"cost_cap\":500}");
        JsonNode after = send("alice", "agent-7", QUALITY);
        JsonNode decision = after.get("decision");
        assertEquals("circuit_break", decision.get("kind").asText(), after.toString());
        assertEquals("cost_cap_reached", decision.get("reason").get("kind").asText());
        assertEquals(600, decision.get("reason").get("tokens_spent").asLong());
        assertEquals(500, decision.get("reason").get("tokens_cap").asLong());
        assertEquals(0.2, decision.get("reason").get("mean_quality_last_n").asDouble(), 1e-9);

        JsonNode other = poorTurn("bob");
        assertEquals("continue", other.get("decision").get("kind").asText(), "bob keeps the default cap");
    }

    @Test
    void theUserEntryBeatsTheAgentEntryWhichBeatsTheDefaultFieldByField() {
        h.policies.pipeInput("*", "{\"cost_cap\":550,\"scope_drift_threshold\":0.9}");
        h.policies.pipeInput("agent:agent-7", "{\"cost_cap\":520}");
        h.policies.pipeInput("alice", "{\"cost_cap\":500}");

        JsonNode alice = send("alice", "agent-7", QUALITY).get("metrics");
        assertEquals(500.0, alice.get("noos.cost_cap_tokens").asDouble(), "alice's own entry");
        assertEquals(0.9, alice.get("noos.scope_drift_threshold").asDouble(), "the threshold only * sets");
        assertEquals(520.0, cap("bob", "agent-7"), "agent-7's entry");
        assertEquals(550.0, cap("carol", "agent-8"), "no entry for agent-8: the default entry");
        assertEquals(550.0, cap("dave", null), "no agent_id: the default entry");

        h.policies.pipeInput("alice", (String) null);
        assertEquals(520.0, cap("alice", "agent-7"), "alice's entry deleted: her agent's");
        h.policies.pipeInput("agent:agent-7", (String) null);
        assertEquals(550.0, cap("alice", "agent-7"), "agent entry deleted: the default entry");
        h.policies.pipeInput("*", (String) null);
        JsonNode back = send("alice", "agent-7", QUALITY).get("metrics");
        assertEquals(10_000.0, back.get("noos.cost_cap_tokens").asDouble(), "no entry left: the configuration");
        assertEquals(0.5, back.get("noos.scope_drift_threshold").asDouble());
        assertEquals(0, rejections.count());
    }

    @Test
    void aHaltBreaksEveryDecisionOfItsUsersFromTheNextEventUntilItIsRemoved() {
        JsonNode before = send("alice", "agent-7", "{\"type\":\"turn_start\",\"user_message\":\"summarize the report\"}");
        assertEquals("continue", before.get("decision").get("kind").asText());

        h.policies.pipeInput("agent:agent-7", "{\"cost_cap\":500,\"halt\":{\"reason\":\"incident 42\"}}");
        JsonNode halted = send("alice", "agent-7", QUALITY);
        assertEquals("circuit_break", halted.get("decision").get("kind").asText(), halted.toString());
        assertEquals(tree("{\"kind\":\"operator_halt\",\"policy_key\":\"agent:agent-7\","
                + "\"halt_reason\":\"incident 42\"}"), halted.get("decision").get("reason"));
        assertEquals(500.0, halted.get("metrics").get("noos.cost_cap_tokens").asDouble(), "the entry's other fields apply");
        assertEquals("continue", send("bob", "agent-8", QUALITY).get("decision").get("kind").asText(),
                "another agent's users are not halted");
        h.input.pipeInput("alice", ("{\"user_id\":\"alice\",\"agent_id\":\"agent-7\",\"at_ms\":5,"
                + "\"event\":{\"type\":\"token_batch\",\"logprobs\":[-0.1]}}").getBytes(StandardCharsets.UTF_8));
        assertTrue(h.decisions.isEmpty(), "tokens get no decision, halted or not");

        h.policies.pipeInput("agent:agent-7", "{\"cost_cap\":500}");
        assertEquals("continue", send("alice", "agent-7", QUALITY).get("decision").get("kind").asText(),
                "resumed from the next event");
        assertEquals(0, rejections.count());
    }

    @Test
    void aRefusedPolicyIsLoggedAndCountedAndThePreviousEntryStays() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(PolicyUpdater.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            h.policies.pipeInput("alice", "{\"cost_cap\":500}");
            h.policies.pipeInput("alice", "{\"cost_cap\":-1}");
            h.policies.pipeInput("alice", "{\"cost_cap\":");
            h.policies.pipeInput("agent:", "{\"cost_cap\":5}");

            assertEquals(3, rejections.count());
            assertEquals("agent:", rejections.last().orElseThrow().key());
            assertEquals(500.0, cap("alice", "agent-7"), "the last valid entry is still in force");
            KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(ServiceStore.POLICIES.storeName());
            assertEquals("{\"cost_cap\":500}", new String(store.get("alice"), StandardCharsets.UTF_8));

            List<ILoggingEvent> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(3, warnings.size());
            assertTrue(warnings.get(0).getFormattedMessage().contains("'alice'")
                    && warnings.get(0).getFormattedMessage().contains("cost_cap must be an integer in 1..4294967295, got -1"),
                    warnings.get(0).getFormattedMessage());
            assertTrue(warnings.get(1).getFormattedMessage().contains("not valid JSON"));
            assertTrue(warnings.get(2).getFormattedMessage().contains("names no agent"));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void anImplicitCorrectionWindowCanBeSetAndTurnedOffByPolicy() {
        String task = "{\"type\":\"turn_start\",\"user_message\":\"refactor the async function\"}";
        String done = "{\"type\":\"turn_complete\",\"full_response\":\"done\"}";
        h.policies.pipeInput("*", "{\"implicit_correction_window_ms\":60000}");
        send("alice", null, task);
        send("alice", null, done);
        JsonNode again = send("alice", null, task).get("metrics");
        assertEquals(1.0, again.get("noos.implicit_corrections_count").asDouble(),
                "the same topic again 1 ms after the response: an implicit correction (spec §4.1)");

        h.policies.pipeInput("alice", "{\"implicit_correction_window_ms\":null}");
        send("alice", null, done);
        JsonNode off = send("alice", null, task).get("metrics");
        assertEquals(1.0, off.get("noos.implicit_corrections_count").asDouble(), "off for alice: not counted");
    }
}
