package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.JsonTrees.tree;
import static io.noos.streams.testkit.RegulatorFlow.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.detect.AgentSpend;
import io.noos.streams.detect.AgentSpendBook;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.pricing.Money;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.Poll;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * agent_spend_budget on a running service (real in-process KRaft broker, exactly-once v2), with the
 * two users of agent-7 on different partitions (so different tasks): their costs reach the agent's
 * total through the repartition topic, the counting task and the agent-spend topic read back as a
 * global store; once that total reaches the budget, both users are broken, while a user of agent-8,
 * who spent as much as one of them, is not.
 */
class AgentSpendBudgetIT {
    private static final Duration STARTUP = Duration.ofSeconds(45);
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final long HOUR = 3_600_000;
    private static final int PARTITIONS = 6;

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateDir;

    private static int partitionOf(String user) {
        return Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static EventEnvelope cost(String id, String user, String agent, long at, String usd) {
        return new EventEnvelope(id, user, agent, "s-" + user, at,
                new EnvelopeEvent.Single(new AgentEvent.Cost(10, 10, 5, "openai")), null, Money.parse(usd, "USD"));
    }

    private static EventEnvelope toolCall(String id, String user, String agent, long at) {
        return new EventEnvelope(id, user, agent, "s-" + user, at,
                new EnvelopeEvent.Single(new AgentEvent.ToolCall("search", null)));
    }

    @Test
    @Timeout(180)
    void theUsersOfOneAgentOnDifferentPartitionsShareItsBudget() throws Exception {
        String alice = "alice";
        String bob = "bob";
        assertNotEquals(partitionOf(alice), partitionOf(bob), "the two users of agent-7 are on different partitions");

        String suffix = "agent-budget-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix, stateDir, suffix)
                .with(ServiceConfig.TOPIC_PARTITIONS, Integer.toString(PARTITIONS));
        String bootstrap = kafka.bootstrapServers();
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
        TopicSetup.ensureTopics(config);

        RegulatorService service = new RegulatorService(config).start();
        try {
            assertTrue(service.awaitRunning(STARTUP), "service RUNNING");
            CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", bootstrap,
                    "--topic", config.get(ServiceConfig.POLICIES_TOPIC), "*",
                    "{\"detectors\":{\"agent_spend_budget\":{\"enabled\":true,\"max_amount\":10,\"currency\":\"USD\","
                            + "\"window_ms\":" + HOUR + ",\"warn_percent\":0,\"warn_again_percent\":0}}}");
            assertEquals(0, set.exitCode(), set.stderr());
            ReadOnlyKeyValueStore<String, byte[]> policies = store(service, ServiceStore.POLICIES.storeName());
            Poll.until("the policy reached the service", WAIT, () -> policies.get("*") != null);
            ReadOnlyKeyValueStore<String, byte[]> totals = store(service, ServiceStore.AGENT_SPEND.storeName());
            String agent7 = AgentSpend.totalKey("agent-7", "USD", HOUR);

            RegulatorFlow.produce(bootstrap, input, List.of(
                    cost("a1", alice, "agent-7", T0 + 1_000, "6"),
                    cost("c1", "carol", "agent-8", T0 + 1_000, "6")));
            Poll.until("agent-7's published total is alice's 6", WAIT, () -> spent(totals, agent7) == 6_000_000);

            RegulatorFlow.produce(bootstrap, input, List.of(cost("b1", bob, "agent-7", T0 + 2_000, "4")));
            Poll.until("agent-7's published total is 10", WAIT, () -> spent(totals, agent7) == 10_000_000);
            RegulatorFlow.produce(bootstrap, input, List.of(
                    toolCall("a2", alice, "agent-7", T0 + 3_000),
                    toolCall("c2", "carol", "agent-8", T0 + 3_000)));

            List<ConsumerRecord<String, String>> all = RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 5);
            assertEquals(5, all.size());
            JsonNode a1 = decision(all, "a1");
            JsonNode b1 = decision(all, "b1");
            JsonNode a2 = decision(all, "a2");
            assertEquals("continue", a1.get("kind").asText(), "agent-7: 6 of 10");
            assertEquals("circuit_break", b1.get("kind").asText(), "bob alone spent 4; agent-7's 6 + 4 reach 10: " + b1);
            assertEquals("circuit_break", a2.get("kind").asText(), "alice alone spent 6; agent-7 spent 10: " + a2);
            for (JsonNode broken : List.of(b1, a2)) {
                JsonNode reason = broken.get("reason");
                assertEquals("spend_budget_exceeded", reason.get("kind").asText());
                assertEquals("10.000000", reason.get("spent").asText());
                assertEquals("agent-7", reason.get("agent_id").asText());
            }
            assertEquals("continue", decision(all, "c1").get("kind").asText());
            assertEquals("continue", decision(all, "c2").get("kind").asText(), "agent-8 spent 6 of its own 10");
        } finally {
            service.close();
        }
    }

    private static long spent(ReadOnlyKeyValueStore<String, byte[]> totals, String key) {
        byte[] total = totals.get(key);
        return total == null ? 0 : AgentSpendBook.decode(total).sumInWindow(T0);
    }

    private static JsonNode decision(List<ConsumerRecord<String, String>> records, String eventId) {
        return records.stream().map(r -> tree(r.value())).filter(t -> eventId.equals(t.get("event_id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no decision for " + eventId)).get("decision");
    }

    private static <V> ReadOnlyKeyValueStore<String, V> store(RegulatorService service, String name) {
        return service.streams().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }
}
