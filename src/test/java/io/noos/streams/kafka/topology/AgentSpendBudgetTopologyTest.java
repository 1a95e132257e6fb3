package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.detect.AgentSpendBook;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * agent_spend_budget through the real topology (docs/detectors.md): the users of one agent share
 * its budget: their costs are counted together (repartitioned by agent, counted, published on
 * regulator-agent-spend and read back), and once the agent's total reaches max_amount every one of
 * its users is broken; another agent's users count against their own agent's total.
 */
class AgentSpendBudgetTopologyTest {
    private static final long HOUR = 3_600_000;
    private TopologyHarness h;
    private TestOutputTopic<String, byte[]> agentSpend;
    private int sequence;

    @BeforeEach
    void start() {
        h = new TopologyHarness(TopologySettings.defaults());
        agentSpend = h.driver.createOutputTopic(ServiceTopic.AGENT_SPEND.defaultName(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private JsonNode cost(String user, String agent, String usd) {
        return send(event(user, agent).reportedCost(usd, "USD"),
                "{\"type\":\"cost\",\"tokens_in\":10,\"tokens_out\":10,\"wallclock_ms\":5,\"provider\":\"openai\"}");
    }

    private JsonNode toolCall(String user, String agent) {
        return send(event(user, agent), Logs.toolCall("search"));
    }

    /** The user's next event, a second after the previous one. */
    private TestEvent event(String user, String agent) {
        return TestEvent.user(user).id("e" + sequence).agent(agent).session("s-" + user).at(1_000 + 1_000L * sequence++);
    }

    private JsonNode send(TestEvent envelope, String event) {
        h.send(envelope.userId(), envelope.json(event));
        List<String> out = h.decisions.readValuesToList();
        assertEquals(1, out.size(), "one decision");
        return tree(out.get(0)).get("decision");
    }

    @Test
    void twoUsersOfOneAgentTogetherReachItsBudgetAndBothAreBroken() {
        // Every agent its own budget of 10 USD an hour (warnings at 80 % and 95 %).
        h.policies.pipeInput("*", "{\"detectors\":{\"agent_spend_budget\":{\"enabled\":true,\"max_amount\":10,"
                + "\"currency\":\"USD\",\"window_ms\":" + HOUR + "}}}");

        assertEquals("continue", cost("alice", "agent-7", "6").get("kind").asText(), "agent-7: 6 of 10");
        assertEquals("continue", cost("carol", "agent-8", "6").get("kind").asText(), "agent-8: 6 of 10, its own total");
        JsonNode warn = cost("bob", "agent-7", "3");
        assertEquals("spend_budget_warn", warn.get("kind").asText(), "agent-7: 9 of 10; bob alone spent 3");
        assertEquals(80, warn.get("threshold_percent").asInt());
        assertEquals("9.000000", warn.get("spent").asText());
        assertEquals("agent-7", warn.get("agent_id").asText());

        JsonNode bobBreak = cost("bob", "agent-7", "1");
        assertEquals("circuit_break", bobBreak.get("kind").asText(), "agent-7: 10 of 10; bob alone 4");
        JsonNode reason = bobBreak.get("reason");
        assertEquals("spend_budget_exceeded", reason.get("kind").asText());
        assertEquals("10.000000", reason.get("spent").asText());
        assertEquals("10.000000", reason.get("budget").asText());
        assertEquals(HOUR, reason.get("window_ms").asLong());
        assertEquals("agent-7", reason.get("agent_id").asText());

        JsonNode aliceBreak = toolCall("alice", "agent-7");
        assertEquals("circuit_break", aliceBreak.get("kind").asText(), "alice alone spent 6, but agent-7's 10 is spent");
        assertEquals("10.000000", aliceBreak.get("reason").get("spent").asText());
        assertEquals("continue", toolCall("carol", "agent-8").get("kind").asText(), "agent-8 spent 6 of its own 10");
        assertEquals("continue", cost("dave", null, "50").get("kind").asText(), "no agent: no agent-wide budget");

        List<KeyValue<String, byte[]>> totals = agentSpend.readKeyValuesToList();
        assertEquals(List.of("USD/3600000/agent-7", "USD/3600000/agent-8", "USD/3600000/agent-7",
                "USD/3600000/agent-7"), totals.stream().map(kv -> kv.key).toList(), "one total per priced cost with an agent");
        assertEquals(10_000_000, AgentSpendBook.decode(totals.get(3).value).sumInWindow(0));
    }

    @Test
    void withoutAnAgentBudgetNothingIsCountedForAgents() {
        h.policies.pipeInput("agent:agent-7", "{\"detectors\":{\"spend_budget\":{\"enabled\":true,\"max_amount\":10}}}");
        cost("alice", "agent-7", "6");
        assertEquals("continue", cost("bob", "agent-7", "6").get("kind").asText(), "spend_budget is each user's own");
        cost("carol", "agent-8", "6");
        assertTrue(agentSpend.isEmpty(), "no amounts forwarded, no totals published");
    }
}
