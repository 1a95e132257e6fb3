package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.topology.ServiceStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Routing, authorisation, forwarding and error mapping of the HTTP API over fake stores and peers. */
class ServiceApiTest {
    private static final String TOKEN = "s3cret-token-for-tests";
    private static final String BEARER = "Bearer " + TOKEN;
    private static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String SNAPSHOT = "{\"user_id\":\"ana\",\"learned\":{},\"correction_patterns\":{}}";

    private final FakeStoreQueries queries = new FakeStoreQueries();
    private final RecordingPeerClient peers = new RecordingPeerClient();
    private KafkaStreams.State state = KafkaStreams.State.RUNNING;
    private StreamThreadStatus threads = StreamThreadStatus.healthy(5);

    private ServiceApi api(String token) {
        return new ServiceApi(() -> state, () -> threads, () -> "noos_decisions_total{kind=\"continue\"} 3.0\n",
                token == null ? null : new BearerToken(token), queries, peers, new DashboardAssets(), () -> NOW);
    }

    private static ApiResponse get(ServiceApi api, String pathAndQuery, String... headers) {
        Map<String, String> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return api.handle(ApiRequest.get(pathAndQuery, h));
    }

    private static JsonNode json(ApiResponse r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    @Nested
    class Authorisation {
        @Test
        void userEndpointsWithoutATokenAreRefusedWithAChallenge() throws IOException {
            queries.snapshots.put("ana", SNAPSHOT);
            for (String path : List.of("/users/ana", "/users/ana/decision", "/fleet/stats")) {
                ApiResponse r = get(api(TOKEN), path);
                assertEquals(401, r.status(), path);
                assertEquals("Bearer realm=\"noos-streams\"", r.headers().get("WWW-Authenticate"), path);
                assertTrue(json(r).get("error").asText().contains("Bearer"), path);
                assertFalse(r.bodyText().contains("ana\",\"learned"), "no user data in a refusal");
            }
        }

        @Test
        void aWrongTokenIsRefusedAsInvalid() {
            queries.snapshots.put("ana", SNAPSHOT);
            for (String wrong : List.of("Bearer nope", "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1),
                    "Bearer " + TOKEN.substring(0, TOKEN.length() - 1) + "X", "Basic " + TOKEN, TOKEN)) {
                ApiResponse r = get(api(TOKEN), "/users/ana", "Authorization", wrong);
                assertEquals(401, r.status(), wrong);
                assertNull(r.headers().get(ServiceApi.SERVED_BY), wrong);
            }
            ApiResponse invalid = get(api(TOKEN), "/users/ana", "Authorization", "Bearer nope");
            assertEquals("Bearer realm=\"noos-streams\", error=\"invalid_token\"", invalid.headers().get("WWW-Authenticate"));
        }

        @Test
        void theRightTokenIsLetThroughWhateverTheSchemeCase() {
            queries.snapshots.put("ana", SNAPSHOT);
            for (String ok : List.of(BEARER, "bearer " + TOKEN, "BEARER " + TOKEN)) {
                ApiResponse r = get(api(TOKEN), "/users/ana", "authorization", ok);
                assertEquals(200, r.status(), ok);
                assertEquals(SNAPSHOT, r.bodyText());
            }
        }

        @Test
        void healthMetricsAndTheDashboardNeedNoToken() {
            ServiceApi api = api(TOKEN);
            assertEquals(200, get(api, "/health").status());
            assertEquals(200, get(api, "/ready").status());
            assertEquals(200, get(api, "/metrics").status());
            assertEquals(200, get(api, "/").status());
            assertEquals(200, get(api, "/dashboard/dashboard.js").status());
        }

        @Test
        void withoutAConfiguredTokenUserEndpointsAreOpen() {
            queries.snapshots.put("ana", SNAPSHOT);
            assertEquals(200, get(api(null), "/users/ana").status());
        }
    }

    @Nested
    class HealthAndMetrics {
        @Test
        void healthAndReadinessFollowTheStreamsState() throws IOException {
            state = KafkaStreams.State.REBALANCING;
            ApiResponse health = get(api(null), "/health");
            ApiResponse ready = get(api(null), "/ready");
            assertEquals(200, health.status());
            assertEquals("REBALANCING", json(health).get("state").asText());
            assertEquals(503, ready.status());
            assertEquals("NOT_READY", json(ready).get("status").asText());

            state = KafkaStreams.State.ERROR;
            assertEquals(503, get(api(null), "/health").status());
            assertEquals("DOWN", json(get(api(null), "/health")).get("status").asText());
        }

        @Test
        void healthTellsTheStreamThreadFailures() throws IOException {
            JsonNode none = json(get(api(null), "/health")).get("stream_threads");
            assertEquals(0, none.get("replacements").asLong());
            assertEquals(0, none.get("consecutive_failures").asInt());
            assertEquals(5, none.get("max_consecutive_failures").asInt());
            assertFalse(none.has("last_failure"));
            assertFalse(none.has("stop_reason"));

            threads = new StreamThreadStatus(2, 2, 5, Optional.of("java.lang.IllegalStateException: boom"),
                    Optional.empty());
            ApiResponse replacing = get(api(null), "/health");
            assertEquals(200, replacing.status(), "replacing threads is still alive");
            JsonNode t = json(replacing).get("stream_threads");
            assertEquals(2, t.get("replacements").asLong());
            assertEquals(2, t.get("consecutive_failures").asInt());
            assertEquals("java.lang.IllegalStateException: boom", t.get("last_failure").asText());

            state = KafkaStreams.State.ERROR;
            threads = new StreamThreadStatus(4, 5, 5, threads.lastFailure(), Optional.of("stopped: why"));
            ApiResponse stopped = get(api(null), "/health");
            assertEquals(503, stopped.status());
            assertEquals("stopped: why", json(stopped).get("stream_threads").get("stop_reason").asText());
        }

        @Test
        void metricsAreThePrometheusText() {
            ApiResponse r = get(api(null), "/metrics");
            assertEquals(ServiceApi.PROMETHEUS, r.contentType());
            assertEquals("noos_decisions_total{kind=\"continue\"} 3.0\n", r.bodyText());
        }
    }

    @Nested
    class Users {
        @Test
        void aLocalUserIsAnsweredFromTheLocalStore() {
            queries.snapshots.put("ana", SNAPSHOT);
            queries.decisions.put("ana", "{\"user_id\":\"ana\",\"decision\":{\"kind\":\"continue\"}}");
            ApiResponse snapshot = get(api(null), "/users/ana");
            assertEquals(200, snapshot.status());
            assertEquals(SNAPSHOT, snapshot.bodyText());
            assertEquals(ApiResponse.JSON, snapshot.contentType());
            assertEquals("self:1", snapshot.headers().get(ServiceApi.SERVED_BY));
            ApiResponse decision = get(api(null), "/users/ana/decision");
            assertEquals("{\"user_id\":\"ana\",\"decision\":{\"kind\":\"continue\"}}", decision.bodyText());
            assertTrue(peers.calls.isEmpty(), "nothing forwarded");
        }

        @Test
        void anUnknownUserIsA404WithAJsonError() throws IOException {
            ApiResponse r = get(api(null), "/users/nobody");
            assertEquals(404, r.status());
            assertEquals("unknown user", json(r).get("error").asText());
            assertEquals("nobody", json(r).get("user_id").asText());
            assertEquals(404, get(api(null), "/users/nobody/decision").status());
        }

        @Test
        void aUserOwnedByAnotherInstanceIsForwardedThereWithTheCallersToken() {
            queries.owners.put("ben", new StoreQueries.Owner.Peer("peer:2"));
            peers.answer("peer:2", 200, "{\"user_id\":\"ben\"}");
            ApiResponse r = get(api(TOKEN), "/users/ben/decision?x=1", "Authorization", BEARER);
            assertEquals(200, r.status());
            assertEquals("{\"user_id\":\"ben\"}", r.bodyText());
            assertEquals("peer:2", r.headers().get(ServiceApi.SERVED_BY));
            assertEquals(List.of(new RecordingPeerClient.Call("peer:2", "/users/ben/decision?x=1", BEARER)), peers.calls);
        }

        @Test
        void thePeersErrorStatusIsPassedOn() {
            queries.owners.put("ben", new StoreQueries.Owner.Peer("peer:2"));
            peers.answer("peer:2", 404, "{\"error\":\"unknown user\"}");
            assertEquals(404, get(api(null), "/users/ben").status());
        }

        @Test
        void anUnreachableOwnerIsA502() {
            queries.owners.put("ben", new StoreQueries.Owner.Peer("down:9"));
            assertEquals(502, get(api(null), "/users/ben").status());
        }

        @Test
        void aForwardedRequestIsNeverForwardedAgain() {
            queries.owners.put("ben", new StoreQueries.Owner.Peer("peer:2"));
            peers.answer("peer:2", 200, "{}");
            ApiResponse r = get(api(null), "/users/ben", PeerClient.FORWARDED_BY, "peer:2");
            assertEquals(503, r.status());
            assertEquals("1", r.headers().get("Retry-After"));
            assertTrue(peers.calls.isEmpty());
        }

        @Test
        void anUnknownOwnerOrAStoreBeingMovedIsA503() {
            queries.owners.put("cleo", new StoreQueries.Owner.Unknown());
            assertEquals(503, get(api(null), "/users/cleo").status());
            queries.storesUnavailable = true;
            queries.snapshots.put("ana", SNAPSHOT);
            ApiResponse r = get(api(null), "/users/ana");
            assertEquals(503, r.status());
            assertEquals("1", r.headers().get("Retry-After"));
        }

        @Test
        void theUsersStatesAreReadFromTheConfiguredStore() {
            queries.stores.remove(queries.userStateStore);
            queries.userStateStore = "custom-regulator-state";
            queries.stores.add(queries.userStateStore);
            queries.snapshots.put("ana", SNAPSHOT);
            ApiResponse r = get(api(null), "/users/ana");
            assertEquals(200, r.status(), r.bodyText());
            assertEquals(SNAPSHOT, r.bodyText());
        }

        @Test
        void aStoreTheTopologyLacksIsA501() {
            queries.stores.remove(ServiceStore.LATEST_DECISION.storeName());
            ApiResponse r = get(api(null), "/users/ana/decision");
            assertEquals(501, r.status());
            assertTrue(r.bodyText().contains(ServiceStore.LATEST_DECISION.storeName()));
        }

        @Test
        void userIdsAreUrlDecoded() {
            queries.snapshots.put("a/b c+d@é", SNAPSHOT);
            assertEquals(200, get(api(null), "/users/a%2Fb%20c+d%40%C3%A9").status());
            assertEquals(400, get(api(null), "/users/bad%zz").status());
        }

        @Test
        void otherShapesUnderUsersAre404() {
            assertEquals(404, get(api(null), "/users/").status());
            assertEquals(404, get(api(null), "/users/ana/other").status());
            assertEquals(404, get(api(null), "/users/ana/decision/more").status());
        }
    }

    @Nested
    class FleetStats {
        private static final long MINUTE = 60_000;
        private final long w1 = NOW - 5 * MINUTE;

        private String window(String agent, long start, int continues, int breaks, long tokensOut) {
            return "{\"agent_id\":\"" + agent + "\",\"window_start_ms\":" + start + ",\"window_end_ms\":" + (start + MINUTE)
                    + ",\"events\":10,\"tokens_out\":" + tokensOut + ",\"decisions\":{\"continue\":" + continues
                    + ",\"circuit_break\":" + breaks + "},\"top_users\":[],\"latest_breaks\":[]}";
        }

        @Test
        void windowsFromEveryInstanceAreGatheredAndAddedUp() throws IOException {
            queries.hosts.add("peer:2");
            queries.fleetWindows.add(window("*", w1, 3, 1, 100));
            queries.fleetWindows.add(window("agent-1", w1, 3, 1, 100));
            peers.answer("peer:2", 200, "{\"instance\":\"peer:2\",\"windows\":[" + window("*", w1, 2, 0, 50) + ","
                    + window("agent-2", w1, 2, 0, 50) + "]}");

            ApiResponse r = get(api(TOKEN), "/fleet/stats?minutes=30", "Authorization", BEARER);
            assertEquals(200, r.status());
            JsonNode stats = json(r);
            assertEquals(30, stats.get("minutes").asInt());
            assertEquals(NOW - 30 * MINUTE, stats.get("from_ms").asLong());
            assertEquals(NOW, stats.get("to_ms").asLong());
            assertEquals(2, stats.get("instances").asInt());
            assertFalse(stats.get("partial").asBoolean());
            assertEquals(1, stats.get("windows").size(), "one fleet window, made of two parts");
            JsonNode fleet = stats.get("windows").get(0);
            assertEquals(5, fleet.get("decisions").get("continue").asLong());
            assertEquals(1, fleet.get("decisions").get("circuit_break").asLong());
            assertEquals(20, fleet.get("events").asLong());
            assertEquals(150, fleet.get("tokens_out").asLong());
            assertEquals(Set.of("agent-1", "agent-2"), names(stats.get("agents")));
            assertEquals(150, stats.get("summary").get("tokens_out").asLong());
            assertEquals(List.of(new RecordingPeerClient.Call("peer:2", "/fleet/stats?minutes=30", BEARER)), peers.calls);
            assertEquals(NOW - 30 * MINUTE, queries.lastFleetFrom);
        }

        @Test
        void agentsFalseLeavesOutThePerAgentWindowsButKeepsTheirRanking() throws IOException {
            queries.fleetWindows.add(window("*", w1, 3, 1, 100));
            queries.fleetWindows.add(window("agent-1", w1, 3, 1, 100));
            JsonNode stats = json(get(api(null), "/fleet/stats?agents=false&minutes=60"));
            assertFalse(stats.has("agents"));
            assertEquals(1, stats.get("windows").size());
            assertEquals("agent-1", stats.get("summary").get("top_agents").get(0).get("agent_id").asText());
            assertTrue(json(get(api(null), "/fleet/stats?minutes=60")).get("agents").has("agent-1"));
        }

        @Test
        void anInstanceThatDoesNotAnswerMakesThePicturePartial() throws IOException {
            queries.hosts.add("down:9");
            queries.fleetWindows.add(window("*", w1, 3, 1, 100));
            JsonNode stats = json(get(api(null), "/fleet/stats"));
            assertTrue(stats.get("partial").asBoolean());
            assertEquals(60, stats.get("minutes").asInt(), "default: the last hour");
            assertEquals(3, stats.get("windows").get(0).get("decisions").get("continue").asLong());
        }

        @Test
        void aPeerAsksForTheLocalWindowsOnly() throws IOException {
            queries.hosts.add("peer:2");
            queries.fleetWindows.add(window("*", w1, 3, 1, 100));
            ApiResponse r = get(api(null), "/fleet/stats?minutes=60", PeerClient.FORWARDED_BY, "peer:2");
            JsonNode body = json(r);
            assertEquals("self:1", body.get("instance").asText());
            assertEquals(1, body.get("windows").size());
            assertEquals(Json.mapper().readTree(window("*", w1, 3, 1, 100)), body.get("windows").get(0));
            assertTrue(peers.calls.isEmpty(), "a peer's request is never sent on");
        }

        @Test
        void minutesMustBeBetweenOneAndADay() {
            for (String bad : List.of("0", "-5", "1441", "abc", "")) {
                assertEquals(400, get(api(null), "/fleet/stats?minutes=" + bad).status(), bad);
            }
            assertEquals(200, get(api(null), "/fleet/stats?minutes=1440").status());
        }

        @Test
        void noHostsYetIsA503AndNoStoreIsA501() {
            queries.hosts.clear();
            assertEquals(503, get(api(null), "/fleet/stats").status());
            queries.stores.remove(ServiceStore.FLEET_STATS.storeName());
            assertEquals(501, get(api(null), "/fleet/stats").status());
        }

        private Set<String> names(JsonNode object) {
            Set<String> out = new java.util.TreeSet<>();
            object.fieldNames().forEachRemaining(out::add);
            return out;
        }
    }

    @Test
    void onlyGetIsServedAndUnknownPathsAre404() {
        ApiResponse post = api(null).handle(new ApiRequest("POST", "/users/ana", null, Map.of()));
        assertEquals(405, post.status());
        assertEquals("GET", post.headers().get("Allow"));
        assertEquals(404, get(api(null), "/nope").status());
        assertEquals(404, get(api(null), "/dashboard/../pom.xml").status());
    }

    @Nested
    class HaltsAndSimulation {
        @Test
        void theHaltsInForceAreListedByKeyWithTheirScopeReasonAndTime() throws IOException {
            queries.policies.put("*", "{\"cost_cap\":5000}");
            queries.policies.put("agent:agent-3", "{\"halt\":{\"reason\":\"incident 42\",\"since_ms\":1767225600000}}");
            queries.policies.put("ana", "{\"cost_cap\":10,\"halt\":{}}");
            ApiResponse r = get(api(TOKEN), "/policies/halts", "Authorization", BEARER);
            assertEquals(200, r.status());
            assertEquals(Json.mapper().readTree("{\"halts\":["
                    + "{\"key\":\"agent:agent-3\",\"scope\":\"agent\",\"reason\":\"incident 42\",\"since_ms\":1767225600000},"
                    + "{\"key\":\"ana\",\"scope\":\"user\",\"reason\":null,\"since_ms\":null}]}"), json(r));
            queries.policies.put("*", "{\"halt\":{\"reason\":\"everyone\"}}");
            assertEquals("everyone", json(get(api(null), "/policies/halts")).get("halts").get(0).get("scope").asText());
        }

        @Test
        void haltsNeedTheTokenAndAreA503WhileThePoliciesAreNotQueryable() {
            queries.policies.put("ana", "{\"halt\":{}}");
            ApiResponse refused = get(api(TOKEN), "/policies/halts");
            assertEquals(401, refused.status());
            assertFalse(refused.bodyText().contains("ana"), "no user id in a refusal");
            queries.storesUnavailable = true;
            ApiResponse starting = get(api(null), "/policies/halts");
            assertEquals(503, starting.status());
            assertEquals("1", starting.headers().get("Retry-After"));
        }

        @Test
        void theSimulationIsShownWhenOneRunsAndIsA404Otherwise() throws IOException {
            ApiResponse none = get(api(null), "/simulation");
            assertEquals(404, none.status());
            assertTrue(json(none).get("error").asText().contains("run --simulate"));
            JsonNode report = Json.mapper().readTree("{\"agents\":3,\"saved\":{\"tokens\":12}}");
            ServiceApi withSimulation = new ServiceApi(() -> state, () -> threads, () -> "", new BearerToken(TOKEN), queries,
                    peers, new DashboardAssets(), () -> NOW, () -> Optional.of(report));
            assertEquals(401, get(withSimulation, "/simulation").status());
            ApiResponse shown = get(withSimulation, "/simulation", "Authorization", BEARER);
            assertEquals(200, shown.status());
            assertEquals(report, json(shown));
        }
    }
}
