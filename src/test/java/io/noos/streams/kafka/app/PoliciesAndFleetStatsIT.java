package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.JsonTrees.tree;
import static io.noos.streams.testkit.RegulatorFlow.T0;
import static io.noos.streams.testkit.RegulatorFlow.cost;
import static io.noos.streams.testkit.RegulatorFlow.quality;
import static io.noos.streams.testkit.RegulatorFlow.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.KafkaRoundTrip;
import io.noos.streams.testkit.Poll;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policies and fleet stats on a running service (real in-process KRaft broker, exactly-once v2): a
 * policy set with {@code noos-streams policy set} changes the cap the user's next event is decided
 * with (spec §13 rule 1), a refused policy record is counted, and the merged window appears on the
 * fleet-stats topic and in the queryable stores; {@code policy list} shows the entries and the price table.
 */
class PoliciesAndFleetStatsIT {
    private static final Duration STARTUP = Duration.ofSeconds(45);
    private static final Duration WAIT = Duration.ofSeconds(45);

    /**
     * alice's 600 output tokens as user_spend reports them: bucket ⌊16·log2 600⌋ = 147, i.e.
     * [583.06, 608.87), whose geometric middle 2^(147.5/16) ≈ 595.83 is among its whole numbers.
     */
    private static final double ALICE_SPEND = Math.pow(2, 147.5 / 16);

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateDir;

    private static <V> ReadOnlyKeyValueStore<String, V> store(RegulatorService service, String name) {
        return service.streams().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
    }

    /** The newest value per key on a topic, read committed. */
    private static Map<String, JsonNode> newestByKey(String topic) {
        Map<String, JsonNode> out = new HashMap<>();
        for (ConsumerRecord<String, String> r : KafkaRoundTrip.readCommitted(kafka.bootstrapServers(), topic, 1,
                Duration.ofMillis(1_000), Duration.ofSeconds(5))) {
            out.put(r.key(), tree(r.value()));
        }
        return out;
    }

    @Test
    @Timeout(180)
    void aPolicyChangesTheNextDecisionOfARunningServiceAndFleetStatsAppear() throws Exception {
        String suffix = "policies-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix, stateDir, suffix)
                .with(ServiceConfig.FLEET_STATS_EMIT_INTERVAL_MS, "500");
        String bootstrap = kafka.bootstrapServers();
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
        String policiesTopic = config.get(ServiceConfig.POLICIES_TOPIC);
        String statsTopic = config.get(ServiceConfig.FLEET_STATS_TOPIC);
        TopicSetup.ensureTopics(config);

        RegulatorService service = new RegulatorService(config).start();
        try {
            assertTrue(service.awaitRunning(STARTUP), "service RUNNING");

            // 600 output tokens and three poor, steady qualities: under the configured cap (1000).
            RegulatorFlow.Agent alice = new RegulatorFlow.Agent("alice")
                    .then(turnStart("summarize the quarterly report"))
                    .then(cost(100, 600, 900))
                    .then(quality(0.2)).then(quality(0.2)).then(quality(0.2));
            List<EventEnvelope> before = alice.take();
            RegulatorFlow.produce(bootstrap, input, before);
            List<ConsumerRecord<String, String>> first = RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 5);
            assertEquals(5, first.size());
            JsonNode last = tree(first.get(4).value());
            assertEquals("continue", last.get("decision").get("kind").asText(), last.toString());

            CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", bootstrap, "--topic", policiesTopic,
                    "alice", "{\"cost_cap\":500}");
            assertEquals(0, set.exitCode(), set.stderr());
            ReadOnlyKeyValueStore<String, byte[]> policies = store(service, ServiceStore.POLICIES.storeName());
            Poll.until("the global store holds alice's policy", WAIT, () -> policies.get("alice") != null);

            RegulatorFlow.produce(bootstrap, input, alice.then(quality(0.2)).take());
            List<ConsumerRecord<String, String>> all = RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 6);
            assertEquals(6, all.size());
            JsonNode capped = tree(all.get(5).value());
            JsonNode reason = capped.get("decision").get("reason");
            assertEquals("cost_cap_reached", reason.get("kind").asText(), capped.toString());
            assertEquals(600, reason.get("tokens_spent").asLong());
            assertEquals(500, reason.get("tokens_cap").asLong(), "decided with the policy's cap, no restart");

            // A record that is not a valid policy is counted; alice's entry stays.
            RegulatorFlow.produceRaw(bootstrap, policiesTopic, "alice", "{\"cost_cap\":\"lots\"}");
            Poll.until("the refused policy is counted", WAIT, () -> service.policyRejections().count() == 1);
            assertEquals("{\"cost_cap\":500}", new String(policies.get("alice"), StandardCharsets.UTF_8));

            // All six events are in the window starting at T0 (they are 1 s apart from T0 + 1 s).
            String fleetKey = "*@" + T0;
            String agentKey = "agent-alice@" + T0;
            JsonNode expected = tree("""
                    {"agent_id":"*","window_start_ms":%d,"window_end_ms":%d,"events":6,"turns":1,
                     "tokens_in":100,"tokens_out":600,
                     "decisions":{"continue":5,"scope_drift_warn":0,"procedural_warning":0,"circuit_break":1},
                     "circuit_breaks":{"cost_cap_reached":1},"tool_calls":0,"tool_failures":0,
                     "implicit_corrections":0,"dead_letters":0,"late_events":0,
                     "top_users":[{"user_id":"alice","tokens_out":600}],
                     "user_spend":{"users":1,"median_tokens_out":%s},
                     "spend_micros":{},"unpriced_cost_events":1,"top_spenders":{},"user_money":{},
                     "latest_breaks":[{"user_id":"alice","agent_id":"agent-alice","reason":"cost_cap_reached","at_ms":%d}]}
                    """.formatted(T0, T0 + 60_000, ALICE_SPEND, T0 + 6_000));
            Poll.until("the fleet window totals six events on " + statsTopic, WAIT,
                    () -> expected.equals(newestByKey(statsTopic).get(fleetKey)));
            JsonNode agentWindow = newestByKey(statsTopic).get(agentKey);
            assertEquals(((com.fasterxml.jackson.databind.node.ObjectNode) expected.deepCopy()).put("agent_id", "agent-alice"), agentWindow);

            ReadOnlyKeyValueStore<String, byte[]> stats = store(service, ServiceStore.FLEET_STATS.storeName());
            assertEquals(expected, tree(new String(stats.get(fleetKey), StandardCharsets.UTF_8)));
            ReadOnlyKeyValueStore<String, byte[]> latest = store(service, ServiceStore.LATEST_DECISION.storeName());
            assertEquals(capped, tree(new String(latest.get("alice"), StandardCharsets.UTF_8)));
        } finally {
            service.close();
        }
    }

    private static EventEnvelope costAt(String user, int n, long at, long tokensOut) {
        return TestEvent.user(user).id(user + "-" + n).agent("agent-" + user).session("s1").at(at)
                .of(new AgentEvent.Cost(0, tokensOut, 900, null));
    }

    /**
     * {@code fleet_spend_anomaly} on a running service: five users (spread over the six partitions)
     * spend in window A; once the merged window came back through the fleet-spend global store, a
     * user spending 4000 in window B is warned (4000 / 403.45 ≈ 9.9 ≥ 5: the median of 100, 300,
     * 400, 500, 700 is 400, reported as its bucket's middle 2^(138.5/16) ≈ 403.45) and one spending
     * 1200 (≈ 2.97 times) is not.
     */
    @Test
    @Timeout(180)
    void aUserSpendingManyTimesTheFleetsMedianIsWarned() throws Exception {
        String suffix = "spend-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix, stateDir, suffix)
                .with(ServiceConfig.FLEET_STATS_EMIT_INTERVAL_MS, "500")
                .with(ServiceConfig.COST_CAP, "100000")
                .with("noos.detector.fleet_spend_anomaly.enabled", "true")
                .with("noos.detector.fleet_spend_anomaly.min_fleet_users", "3");
        String bootstrap = kafka.bootstrapServers();
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
        TopicSetup.ensureTopics(config);

        RegulatorService service = new RegulatorService(config).start();
        try {
            assertTrue(service.awaitRunning(STARTUP), "service RUNNING");
            long a = T0;
            long b = T0 + 60_000;
            long[] spends = {100, 300, 400, 500, 700};
            List<EventEnvelope> windowA = new java.util.ArrayList<>();
            for (int i = 0; i < spends.length; i++) {
                windowA.add(costAt("f" + i, 1, a + 1_000 * (i + 1), spends[i]));
            }
            RegulatorFlow.produce(bootstrap, input, windowA);
            assertEquals(5, RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 5).size());

            ReadOnlyKeyValueStore<String, byte[]> spend = store(service, ServiceStore.FLEET_SPEND.storeName());
            Poll.until("the fleet-spend store has window A with its 5 users", WAIT, () -> {
                byte[] v = spend.get("*@" + a);
                return v != null && tree(new String(v, StandardCharsets.UTF_8))
                        .at("/user_spend/users").asLong() == 5;
            });
            JsonNode windowAStats = tree(new String(spend.get("*@" + a), StandardCharsets.UTF_8));
            assertEquals(Math.pow(2, 138.5 / 16), windowAStats.at("/user_spend/median_tokens_out").asDouble(), 1e-9,
                    "merged across the tasks of the five users");

            RegulatorFlow.produce(bootstrap, input, List.of(costAt("heavy", 1, b + 1_000, 4_000),
                    costAt("normal", 1, b + 2_000, 1_200)));
            Map<String, String> kinds = new HashMap<>();
            for (ConsumerRecord<String, String> r : RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 7)) {
                kinds.put(r.key(), tree(r.value()).at("/decision/kind").asText());
            }
            assertEquals("spend_anomaly_warn", kinds.get("heavy"));
            assertEquals("continue", kinds.get("normal"));
            assertEquals("continue", kinds.get("f2"));
        } finally {
            service.close();
        }
    }

    /**
     * {@code policy list} prints what the service holds: the policies as {@code KEY = JSON} sorted by
     * key, then the price table of the reserved key (its JSON compacted, its models, providers and
     * currencies counted); a refused table is skipped as the service skips it, a tombstone removes it.
     */
    @Test
    @Timeout(120)
    void policyListShowsThePoliciesAndThePriceTable() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String topic = "policies-list-" + UUID.randomUUID().toString().substring(0, 8);
        String none = "no price table on " + topic + " (noos:prices unset: the service's noos.prices.file, if any, is in force)\n";
        CliRun empty = policy(bootstrap, topic, "list");
        assertEquals(0, empty.exitCode(), empty.stderr());
        assertEquals("no policies on " + topic + "\n" + none, empty.stdout());

        String prices = Files.readString(Path.of("docs/examples/prices.example.json"));
        assertEquals(0, policy(bootstrap, topic, "set", "noos:prices", prices).exitCode());
        assertEquals(0, policy(bootstrap, topic, "set", "*", "{\"cost_cap\":20000}").exitCode());
        assertEquals(0, policy(bootstrap, topic, "set", "agent:agent-7", "{\"scope_drift_threshold\":0.7}").exitCode());
        assertEquals(0, policy(bootstrap, topic, "set", "alice", "{\"cost_cap\":500}").exitCode());
        // Refused by the service (and so by the listing): the table set before stays in force.
        KafkaRoundTrip.produceTransactionally(bootstrap, topic, Map.of("noos:prices", "{\"providers\":{\"x\":1}}"), Map.of());

        CliRun list = policy(bootstrap, topic, "list");
        assertEquals(0, list.exitCode(), list.stderr());
        assertEquals("* = {\"cost_cap\":20000}\n"
                + "agent:agent-7 = {\"scope_drift_threshold\":0.7}\n"
                + "alice = {\"cost_cap\":500}\n"
                + "noos:prices = " + tree(prices) + " (the price table: 4 models of 3 providers, in EUR, USD)\n",
                list.stdout());

        assertEquals(0, policy(bootstrap, topic, "delete", "noos:prices").exitCode());
        assertEquals(0, policy(bootstrap, topic, "delete", "alice").exitCode());
        CliRun afterDelete = policy(bootstrap, topic, "list");
        assertEquals("* = {\"cost_cap\":20000}\nagent:agent-7 = {\"scope_drift_threshold\":0.7}\n" + none,
                afterDelete.stdout());
    }

    private static CliRun policy(String bootstrap, String topic, String subcommand, String... args) {
        String[] all = new String[args.length + 6];
        all[0] = "policy";
        all[1] = subcommand;
        all[2] = "--bootstrap-servers";
        all[3] = bootstrap;
        all[4] = "--topic";
        all[5] = topic;
        System.arraycopy(args, 0, all, 6, args.length);
        return CliRun.of(all);
    }
}
