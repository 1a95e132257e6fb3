package io.noos.streams.kafka.http;

import static io.noos.streams.testkit.PrometheusSamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.Json;
import io.noos.streams.json.SnapshotJson;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.testkit.TestEvent;
import io.noos.streams.testkit.Poll;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application on the in-process broker, each with its own state directory
 * and HTTP port: every user's snapshot and latest decision read the same from both (the instance
 * that does not own a user forwards to the one that does), the fleet statistics are gathered from
 * both, the meters of the two add up to what was sent, and no correction text reaches a log line
 * at INFO or above, from any logger.
 */
class InteractiveQueriesIT {
    private static final int USERS = 12;
    private static final String MARKER = "MARKER-" + UUID.randomUUID();
    private static final String TASK = "refactor the payment client to be async";

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateA;
    @TempDir
    Path stateB;

    /**
     * Each user: a turn with tool calls (5 in a row for even users: a loop break), a response, a
     * cost of 100 × (i + 1) output tokens, a quality score; users 0, 3, 6, 9 are corrected three
     * times with a text carrying the marker and start another turn (a procedural warning quoting
     * the corrections). Event times are now, so the windows fall into the last hour.
     */
    private static List<EventEnvelope> script(long now) {
        List<List<EventEnvelope>> perUser = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String user = "user-" + String.format("%02d", i);
            String agent = "agent-" + (i % 3);
            List<EventEnvelope> es = new ArrayList<>();
            List<AgentEvent> events = new ArrayList<>();
            events.add(new AgentEvent.TurnStart(TASK));
            for (int c = 0; c < (i % 2 == 0 ? 5 : 1); c++) {
                events.add(new AgentEvent.ToolCall("search_orders", "{\"page\":" + c + "}"));
            }
            events.add(new AgentEvent.TurnComplete("the payment client is now async"));
            events.add(new AgentEvent.Cost(50, 100L * (i + 1), 900, "test"));
            events.add(new AgentEvent.QualityFeedback(0.9, null));
            if (i % 3 == 0) {
                for (int c = 0; c < 3; c++) {
                    events.add(new AgentEvent.UserCorrection(MARKER + " keep the async client small " + c, true));
                }
                events.add(new AgentEvent.TurnStart(TASK));
            }
            for (int n = 0; n < events.size(); n++) {
                es.add(TestEvent.user(user).id(user + "-" + (n + 1)).agent(agent).session(user + "-s1").at(now + n * 10L)
                        .of(events.get(n)));
                if (n == 1) {
                    es.add(TestEvent.user(user).agent(agent).session(user + "-s1").at(now + n * 10L + 5)
                            .tokens(-0.1, -0.4));
                }
            }
            perUser.add(es);
        }
        List<EventEnvelope> all = new ArrayList<>();
        for (int k = 0; ; k++) {
            boolean any = false;
            for (List<EventEnvelope> es : perUser) {
                if (k < es.size()) {
                    all.add(es.get(k));
                    any = true;
                }
            }
            if (!any) {
                return all;
            }
        }
    }

    @Test
    @Timeout(180)
    void bothInstancesAnswerForEveryUserAndTheFleet() throws Exception {
        String suffix = "iq-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig configA = HttpServiceFixture.config(kafka.bootstrapServers(), "noos-" + suffix, stateA, suffix);
        ServiceConfig configB = configA.with(ServiceConfig.STATE_DIR, stateB.toString());
        TopicSetup.ensureTopics(configA);
        String input = configA.get(ServiceConfig.INPUT_TOPIC);
        TopologySettings settings = configA.topologySettings();

        List<EventEnvelope> events = script(System.currentTimeMillis());
        EventEnvelope repeated = events.get(events.size() / 2);
        List<EventEnvelope> sent = new ArrayList<>(events);
        sent.add(repeated); // a duplicate delivery: applied and decided once

        // The reference outcome: each user's state threaded through the Kafka-free UserDecider.
        UserDecider decider = new UserDecider(settings.decider());
        Map<String, UserState> states = new HashMap<>();
        Map<String, String> lastDecision = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int decided = 0;
        for (EventEnvelope e : sent) {
            UserDecider.Outcome o = decider.apply(states.get(e.userId()), e);
            states.put(e.userId(), o.state());
            DecisionRecord d = o.decision();
            if (d != null) {
                lastDecision.put(e.userId(), DecisionRecordJson.toJson(d));
                kinds.merge(d.decision().kind(), 1, Integer::sum);
                decided++;
            }
        }
        Map<String, String> snapshots = new TreeMap<>();
        states.forEach((user, s) -> snapshots.put(user, SnapshotJson.toJson(s.regulator().export())));
        // Users 0, 3, 6 and 9 (i % 3 == 0) were corrected: their snapshots carry the corrections, and
        // so does their last decision, the procedural warning whose pattern quotes them.
        Set<String> corrected = Set.of("user-00", "user-03", "user-06", "user-09");
        assertEquals(corrected, withMarker(snapshots), "the corrections are user data the snapshots carry");
        assertEquals(corrected, withMarker(lastDecision), "and so does a prelude");
        // Spec §11/§13: an even user's fifth call breaks the loop, and the run lasts until the next
        // turn_start, so its turn_complete, cost, quality (and users 0 and 6's three corrections)
        // break too: 6 × 4 + 2 × 3 = 30. The third correction of users 3 and 9 and the turn_start
        // after the corrections of users 0, 3, 6 and 9 warn (§13 rule 5): 6. The rest of the 100
        // non-token events (even users 9 each, odd 5, and 4 more for each of users 0, 3, 6, 9) continue.
        assertEquals(Map.of("circuit_break", 30, "procedural_warning", 6, "continue", 64), kinds);

        try (InfoLogCapture logs = new InfoLogCapture()) {
            try (RegulatorService a = HttpServiceFixture.start(configA);
                 RegulatorService b = HttpServiceFixture.start(configB)) {
                HttpServiceFixture.awaitBalanced(a, b);
                RegulatorFlow.produce(kafka.bootstrapServers(), input, sent);
                RegulatorFlow.produceRaw(kafka.bootstrapServers(), input, "mallory", "{\"user_id\":\"mallory\",\"event\":{\"type\":\"user_correction\",\"correction_message\":\"" + MARKER + "\"}");
                assertEquals(decided, RegulatorFlow.readCommitted(kafka.bootstrapServers(),
                        configA.get(ServiceConfig.DECISIONS_TOPIC), decided).size(), "every decision published");

                Set<String> servedBy = new HashSet<>();
                for (String user : snapshots.keySet()) {
                    String owner = owner(a, user);
                    for (RegulatorService asked : List.of(a, b)) {
                        HttpResponse<String> snapshot = HttpServiceFixture.get(asked, "/users/" + user, HttpServiceFixture.TOKEN);
                        assertEquals(200, snapshot.statusCode(), user + ": " + snapshot.body());
                        assertEquals(snapshots.get(user), snapshot.body(), user + " asked " + HttpServiceFixture.hostPort(asked));
                        assertEquals(owner, snapshot.headers().firstValue(ServiceApi.SERVED_BY).orElseThrow(),
                                user + " is answered by its owner");
                        HttpResponse<String> decision = HttpServiceFixture.get(asked, "/users/" + user + "/decision",
                                HttpServiceFixture.TOKEN);
                        assertEquals(200, decision.statusCode(), decision.body());
                        assertEquals(lastDecision.get(user), decision.body(), user + " latest decision");
                        if (!owner.equals(HttpServiceFixture.hostPort(asked))) {
                            servedBy.add(HttpServiceFixture.hostPort(asked) + "->" + owner);
                        }
                    }
                }
                assertEquals(Set.of(HttpServiceFixture.hostPort(a) + "->" + HttpServiceFixture.hostPort(b),
                                HttpServiceFixture.hostPort(b) + "->" + HttpServiceFixture.hostPort(a)), servedBy,
                        "each instance forwarded to the other for the users the other owns");

                for (RegulatorService asked : List.of(a, b)) {
                    HttpResponse<String> unknown = HttpServiceFixture.get(asked, "/users/nobody-here", HttpServiceFixture.TOKEN);
                    assertEquals(404, unknown.statusCode());
                    assertEquals("unknown user", Json.mapper().readTree(unknown.body()).get("error").asText());
                    assertEquals(401, HttpServiceFixture.get(asked, "/users/user-01", null).statusCode());
                    assertEquals(401, HttpServiceFixture.get(asked, "/users/user-01", "wrong").statusCode());
                }

                // Fleet windows reach the store a punctuation and a commit after the events: wait for them.
                int allDecided = decided;
                JsonNode fleetA = Poll.value("instance A's fleet windows count " + decided + " decisions",
                        Duration.ofSeconds(60), () -> {
                            JsonNode stats = Json.mapper().readTree(HttpServiceFixture.get(a, "/fleet/stats?minutes=60",
                                    HttpServiceFixture.TOKEN).body());
                            return decisionsIn(stats) >= allDecided ? Optional.of(stats) : Optional.empty();
                        });
                JsonNode fleetB = Json.mapper().readTree(HttpServiceFixture.get(b, "/fleet/stats?minutes=60",
                        HttpServiceFixture.TOKEN).body());
                assertFleet(fleetA, decided, kinds);
                assertEquals(fleetA.get("windows"), fleetB.get("windows"), "the same fleet seen from either instance");
                assertEquals(fleetA.get("summary"), fleetB.get("summary"));

                String scrapeA = HttpServiceFixture.get(a, "/metrics", null).body();
                String scrapeB = HttpServiceFixture.get(b, "/metrics", null).body();
                for (Map.Entry<String, Integer> k : kinds.entrySet()) {
                    String series = "noos_decisions_total{kind=\"" + k.getKey() + "\"}";
                    assertEquals((double) k.getValue(), sample(scrapeA, series) + sample(scrapeB, series), series);
                }
                assertEquals(1, sample(scrapeA, "noos_duplicates_total") + sample(scrapeB, "noos_duplicates_total"));
                assertEquals(1, sample(scrapeA, "noos_dead_letters_total") + sample(scrapeB, "noos_dead_letters_total"));
                assertEquals(sent.size() + 1, sample(scrapeA, "noos_processing_latency_seconds_count")
                        + sample(scrapeB, "noos_processing_latency_seconds_count"), "every record timed once");
                assertTrue(scrapeA.contains("kafka_stream_thread_process_total{"), "Kafka Streams metrics");
            }
            List<String> lines = logs.rendered();
            assertTrue(lines.size() > 10, "the capture saw the run's logs: " + lines.size());
            assertTrue(lines.stream().anyMatch(l -> l.contains("REBALANCING -> RUNNING")), "INFO lines were captured");
            List<String> leaks = lines.stream().filter(l -> l.contains(MARKER)).toList();
            assertEquals(List.of(), leaks, "correction texts in the logs");
        }
    }

    private static String owner(RegulatorService service, String user) {
        KeyQueryMetadata m = service.streams().queryMetadataForKey(ServiceStore.USER_STATE.storeName(), user, Serdes.String().serializer());
        return m.activeHost().host() + ":" + m.activeHost().port();
    }

    private static long decisionsIn(JsonNode fleet) {
        long decisions = 0;
        JsonNode counts = fleet.path("summary").path("decisions");
        for (JsonNode n : counts) {
            decisions += n.asLong();
        }
        return decisions;
    }

    private static void assertFleet(JsonNode fleet, int decided, Map<String, Integer> kinds) {
        // The merged windows live with the one merge task (one partition), on one instance or the other.
        assertEquals(1, fleet.get("instances").asInt(), fleet.toString());
        assertFalse(fleet.get("partial").asBoolean());
        JsonNode summary = fleet.get("summary");
        long decisions = 0;
        for (JsonNode n : summary.get("decisions")) {
            decisions += n.asLong();
        }
        assertEquals(decided, decisions, "every decision counted once: " + summary);
        assertEquals((long) kinds.get("circuit_break"), summary.get("decisions").get("circuit_break").asLong());
        long spend = 0;
        for (int i = 0; i < USERS; i++) {
            spend += 100L * (i + 1);
        }
        assertEquals(spend, summary.get("tokens_out").asLong(), "output tokens of every cost event");
        assertEquals("user-11", summary.get("top_users").get(0).get("user_id").asText(), "the biggest spender");
        assertEquals(1200, summary.get("top_users").get(0).get("tokens_out").asLong());
        // agent-2 serves users 2, 5, 8, 11: 300 + 600 + 900 + 1200
        assertEquals("agent-2", summary.get("top_agents").get(0).get("agent_id").asText());
        assertEquals(3000, summary.get("top_agents").get(0).get("tokens_out").asLong());
        assertEquals(10, summary.get("latest_breaks").size(), "the 10 newest of the 30 breaks are listed");
        assertEquals(Set.of("agent-0", "agent-1", "agent-2"), names(fleet.get("agents")));
    }

    private static Set<String> withMarker(Map<String, String> byUser) {
        Set<String> users = new java.util.TreeSet<>();
        byUser.forEach((user, json) -> {
            if (json.contains(MARKER)) {
                users.add(user);
            }
        });
        return users;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

}
