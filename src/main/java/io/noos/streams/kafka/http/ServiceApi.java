package io.noos.streams.kafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.fleet.FleetStatsAnswer;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.policy.InvalidPolicyException;
import io.noos.streams.policy.Policy;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP API, independent of the server that carries it.
 *
 * <ul>
 *   <li>{@code GET /health}, {@code /ready}: from the Kafka Streams state (200 or 503, JSON); health
 *       adds the stream threads' failures ({@link StreamThreadStatus}).</li>
 *   <li>{@code GET /metrics}: Prometheus text format.</li>
 *   <li>{@code GET /}, {@code /dashboard}: the fleet dashboard (static assets).</li>
 *   <li>{@code GET /users/{id}}: the user's regulator snapshot (the reference's snapshot JSON);
 *       {@code GET /users/{id}/decision}: the user's latest decision record; both answered by the
 *       instance that owns the user, forwarded there when it is another one.</li>
 *   <li>{@code GET /fleet/stats?minutes=60}: fleet statistics gathered from every instance
 *       ({@link FleetStatsAnswer} documents the answer); {@code agents=false} leaves out the
 *       per-agent windows.</li>
 *   <li>{@code GET /policies/halts}: the operators' halts in force, from the policies global store
 *       every instance holds.</li>
 *   <li>{@code GET /simulation}: what the simulated fleet of {@code run --simulate} did and saved
 *       (404 when no simulation runs in this process).</li>
 * </ul>
 *
 * With a token configured, {@code /users/**}, {@code /fleet/**}, {@code /policies/**} and
 * {@code /simulation} need
 * {@code Authorization: Bearer <token>}; health, metrics and the dashboard's assets stay open.
 * Nothing here logs request bodies or user data.
 */
final class ServiceApi {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceApi.class);

    static final String SERVED_BY = "X-Noos-Served-By";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    static final int DEFAULT_MINUTES = 60;
    static final int MAX_MINUTES = 24 * 60;
    private static final String USERS = "/users/";
    private static final String FLEET_STATS_STORE = ServiceStore.FLEET_STATS.storeName();
    private static final String REALM = "Bearer realm=\"noos-streams\"";

    private final Supplier<KafkaStreams.State> state;
    private final Supplier<StreamThreadStatus> threads;
    private final Supplier<String> metrics;
    private final BearerToken token;
    private final StoreQueries queries;
    private final PeerClient peers;
    private final DashboardAssets assets;
    private final LongSupplier clock;
    private final Supplier<Optional<JsonNode>> simulation;

    /** @param token null when the user endpoints are open */
    ServiceApi(Supplier<KafkaStreams.State> state, Supplier<StreamThreadStatus> threads, Supplier<String> metrics,
               BearerToken token, StoreQueries queries, PeerClient peers, DashboardAssets assets, LongSupplier clock) {
        this(state, threads, metrics, token, queries, peers, assets, clock, Optional::empty);
    }

    /** @param simulation the simulated fleet's report, when one runs in this process */
    ServiceApi(Supplier<KafkaStreams.State> state, Supplier<StreamThreadStatus> threads, Supplier<String> metrics,
               BearerToken token, StoreQueries queries, PeerClient peers, DashboardAssets assets, LongSupplier clock,
               Supplier<Optional<JsonNode>> simulation) {
        this.simulation = simulation;
        this.state = state;
        this.threads = threads;
        this.metrics = metrics;
        this.token = token;
        this.queries = queries;
        this.peers = peers;
        this.assets = assets;
        this.clock = clock;
    }

    ApiResponse handle(ApiRequest request) {
        if (!"GET".equals(request.method())) {
            return ApiResponse.error(405, "only GET is supported").withHeader("Allow", "GET");
        }
        String path = request.rawPath();
        switch (path) {
            case "/health":
                return health();
            case "/ready":
                return ready();
            case "/metrics":
                return ApiResponse.text(200, PROMETHEUS, metrics.get());
            case "/fleet/stats":
                return authorized(request).orElseGet(() -> fleetStats(request));
            case "/policies/halts":
                return authorized(request).orElseGet(this::halts);
            case "/simulation":
                return authorized(request).orElseGet(() -> simulation.get().map(r -> ApiResponse.json(200, r))
                        .orElseGet(() -> ApiResponse.error(404, "no simulation runs in this process "
                                + "(run --simulate N starts one)")));
            default:
                break;
        }
        if (path.startsWith(USERS)) {
            return authorized(request).orElseGet(() -> users(request));
        }
        return assets.find(path).orElseGet(() -> ApiResponse.error(404, "no such endpoint"));
    }

    private ApiResponse health() {
        KafkaStreams.State s = state.get();
        boolean alive = StreamsHealth.alive(s);
        ObjectNode body = Json.mapper().createObjectNode().put("status", alive ? "UP" : "DOWN").put("state", s.name());
        StreamThreadStatus t = threads.get();
        ObjectNode threadsNode = body.putObject("stream_threads")
                .put("replacements", t.replacements())
                .put("consecutive_failures", t.consecutiveFailures())
                .put("max_consecutive_failures", t.maxConsecutiveFailures());
        t.lastFailure().ifPresent(f -> threadsNode.put("last_failure", f));
        t.stopReason().ifPresent(r -> threadsNode.put("stop_reason", r));
        return ApiResponse.json(alive ? 200 : 503, body);
    }

    private ApiResponse ready() {
        KafkaStreams.State s = state.get();
        boolean ready = StreamsHealth.ready(s);
        return ApiResponse.json(ready ? 200 : 503,
                Json.mapper().createObjectNode().put("status", ready ? "READY" : "NOT_READY").put("state", s.name()));
    }

    /** Empty when the request may go on; else the 401 to send. */
    private Optional<ApiResponse> authorized(ApiRequest request) {
        if (token == null) {
            return Optional.empty();
        }
        return switch (token.check(request.header("Authorization"))) {
            case VALID -> Optional.empty();
            case MISSING -> Optional.of(ApiResponse.error(401, "this endpoint needs Authorization: Bearer <token>")
                    .withHeader("WWW-Authenticate", REALM));
            case INVALID -> Optional.of(ApiResponse.error(401, "the bearer token is not valid")
                    .withHeader("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
        };
    }

    // ------------------------------------------------------------------ /users/{id}[/decision]

    private ApiResponse users(ApiRequest request) {
        String[] parts = request.rawPath().substring(USERS.length()).split("/", -1);
        boolean decision = parts.length == 2 && "decision".equals(parts[1]);
        if (parts[0].isEmpty() || !(parts.length == 1 || decision)) {
            return ApiResponse.error(404, "expected /users/{id} or /users/{id}/decision");
        }
        String userId;
        try {
            userId = PathSegments.decode(parts[0]);
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, "the user id is not correctly URL-encoded");
        }
        if (decision) {
            return ownedByUser(request, ServiceStore.LATEST_DECISION.storeName(), userId,
                    p -> queries.latestDecision(userId, p), "no decision recorded for this user");
        }
        return ownedByUser(request, queries.userStateStore(), userId,
                p -> queries.userSnapshotJson(userId, p).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                "unknown user");
    }

    private interface LocalRead {
        Optional<byte[]> read(int partition);
    }

    private ApiResponse ownedByUser(ApiRequest request, String store, String userId, LocalRead local, String absent) {
        if (!queries.hasStore(store)) {
            return ApiResponse.error(501, "this service's topology has no " + store + " store");
        }
        StoreQueries.Owner owner = queries.ownerOf(store, userId);
        if (owner instanceof StoreQueries.Owner.Here here) {
            try {
                return local.read(here.partition())
                        .map(body -> ApiResponse.jsonBytes(200, body))
                        .orElseGet(() -> ApiResponse.json(404,
                                Json.mapper().createObjectNode().put("error", absent).put("user_id", userId)))
                        .withHeader(SERVED_BY, queries.self());
            } catch (StoreUnavailableException e) {
                return unavailable("this user's state is not queryable right now (rebalancing or restoring)");
            }
        }
        if (owner instanceof StoreQueries.Owner.Peer peer) {
            if (request.header(PeerClient.FORWARDED_BY) != null) {
                // Sent here by an instance that thought we own the user: ownership is moving; do not bounce it back.
                return unavailable("this user's state is moving between instances");
            }
            return forward(peer.hostPort(), request);
        }
        return unavailable("the application is starting or rebalancing; the owner of this user is not known yet");
    }

    private ApiResponse forward(String hostPort, ApiRequest request) {
        try {
            PeerClient.PeerResponse r = peers.get(hostPort, request.pathAndQuery(), request.header("Authorization"));
            ApiResponse out = new ApiResponse(r.status(), r.contentType(), r.body(), Map.of("Cache-Control", "no-store"));
            return out.withHeader(SERVED_BY, hostPort);
        } catch (IOException e) {
            LOG.warn("instance {} did not answer a forwarded query: {}", hostPort, e.toString());
            return ApiResponse.error(502, "the instance owning this data (" + hostPort + ") did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private static ApiResponse unavailable(String why) {
        return ApiResponse.error(503, why).withHeader("Retry-After", "1");
    }

    // ------------------------------------------------------------------ /policies/halts

    /**
     * {@code {"halts":[{"key":"agent:agent-3","scope":"agent","reason":"incident 42","since_ms":...}]}},
     * sorted by key; {@code scope} is {@code everyone}, {@code agent} or {@code user}, {@code reason}
     * and {@code since_ms} null when the halt has none.
     */
    private ApiResponse halts() {
        Map<String, byte[]> policies;
        try {
            policies = queries.policies();
        } catch (StoreUnavailableException e) {
            return unavailable("the policies are not queryable right now (starting)");
        }
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("halts");
        policies.forEach((key, json) -> {
            Policy policy;
            PolicyKey parsed;
            try {
                parsed = PolicyKey.parse(key);
                policy = PolicyJson.parse(json);
            } catch (InvalidPolicyException e) {
                return;   // the store holds validated entries only; nothing else is listed
            }
            if (policy.halt() == null) {
                return;
            }
            ObjectNode h = list.addObject().put("key", key).put("scope", parsed instanceof PolicyKey.Default ? "everyone"
                    : parsed instanceof PolicyKey.Agent ? "agent" : "user");
            h.put("reason", policy.halt().reason());
            if (policy.halt().sinceMs() == null) {
                h.putNull("since_ms");
            } else {
                h.put("since_ms", policy.halt().sinceMs());
            }
        });
        return ApiResponse.json(200, body);
    }

    // ------------------------------------------------------------------ /fleet/stats

    private ApiResponse fleetStats(ApiRequest request) {
        int minutes;
        try {
            String m = request.queryParameter("minutes");
            minutes = m == null ? DEFAULT_MINUTES : Integer.parseInt(m);
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 1 || minutes > MAX_MINUTES) {
            return ApiResponse.error(400, "minutes must be a whole number from 1 to " + MAX_MINUTES);
        }
        if (!queries.hasStore(FLEET_STATS_STORE)) {
            return ApiResponse.error(501, "this service's topology has no " + FLEET_STATS_STORE + " store");
        }
        long now = clock.getAsLong();
        long from = now - minutes * 60_000L;
        if (request.header(PeerClient.FORWARDED_BY) != null) {
            return localWindows(from);
        }
        List<String> hosts = queries.hostsOf(FLEET_STATS_STORE);
        if (hosts.isEmpty()) {
            return unavailable("the application is starting or rebalancing; no instance hosts the fleet statistics yet");
        }
        List<JsonNode> windows = new ArrayList<>();
        boolean partial = false;
        for (String host : hosts) {
            partial |= !(host.equals(queries.self()) ? addLocal(from, windows)
                    : addPeer(host, minutes, request.header("Authorization"), windows));
        }
        ObjectNode answer = FleetStatsAnswer.answer(windows, from, now, minutes, hosts.size(), partial);
        if ("false".equals(request.queryParameter("agents"))) {
            answer.remove("agents"); // the dashboard needs only the fleet windows and the summary
        }
        return ApiResponse.json(200, answer);
    }

    /** The answer to a peer: this instance's windows as stored, unmerged. */
    private ApiResponse localWindows(long from) {
        List<JsonNode> windows = new ArrayList<>();
        if (!addLocal(from, windows)) {
            return unavailable("the fleet statistics are not queryable here right now");
        }
        ObjectNode out = Json.mapper().createObjectNode().put("instance", queries.self());
        ArrayNode list = out.putArray("windows");
        windows.forEach(list::add);
        return ApiResponse.json(200, out);
    }

    private boolean addLocal(long from, List<JsonNode> windows) {
        List<byte[]> raw;
        try {
            raw = queries.localFleetWindows(from);
        } catch (StoreUnavailableException e) {
            return false;
        }
        int unreadable = 0;
        for (byte[] value : raw) {
            try {
                windows.add(Json.mapper().readTree(value));
            } catch (IOException e) {
                unreadable++;
            }
        }
        if (unreadable > 0) {
            LOG.warn("{} fleet-statistics windows in {} are not JSON and were left out", unreadable, FLEET_STATS_STORE);
        }
        return true;
    }

    private boolean addPeer(String host, int minutes, String authorization, List<JsonNode> windows) {
        try {
            PeerClient.PeerResponse r = peers.get(host, "/fleet/stats?minutes=" + minutes, authorization);
            if (r.status() != 200) {
                LOG.warn("instance {} answered {} for its fleet statistics", host, r.status());
                return false;
            }
            Json.mapper().readTree(r.body()).path("windows").forEach(windows::add);
            return true;
        } catch (IOException e) {
            LOG.warn("instance {} did not answer for its fleet statistics: {}", host, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
