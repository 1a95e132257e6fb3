package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.metrics.ServiceMetrics;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.kafka.topology.ServiceStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over a real socket, in front of a Kafka Streams instance that is created but not
 * started (so: alive, not ready, no owner known for any key).
 */
class ServiceHttpServerTest {
    private static final String TOKEN = "wire-token";

    @TempDir
    Path stateDir;

    private final HttpClient client = HttpClient.newHttpClient();
    private ServiceMetrics metrics;
    private KafkaStreams streams;
    private ServiceHttpServer server;

    @BeforeEach
    void start() throws IOException {
        metrics = new ServiceMetrics();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-server-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams = new KafkaStreams(RegulatorTopology.build(TopologySettings.defaults(), metrics), p);
        metrics.bindStreams(streams);
        server = ServiceHttpServer.bind(settings(Map.of(ServiceConfig.HTTP_PORT, "0", ServiceConfig.HTTP_HOST, "127.0.0.1",
                ServiceConfig.HTTP_TOKEN, TOKEN)));
        server.serve(streams, () -> StreamThreadStatus.healthy(5), ServiceStore.USER_STATE.storeName(),
                Set.of(ServiceStore.USER_STATE.storeName()), metrics);
    }

    @AfterEach
    void stop() {
        server.close();
        streams.close();
        metrics.close();
    }

    private static HttpSettings settings(Map<String, String> flags) throws IOException {
        return HttpSettings.from(ServiceConfig.load(null, Map.of(), flags));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAndReadinessOfAnInstanceNotStartedYet() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\",\"state\":\"CREATED\",\"stream_threads\":{\"replacements\":0,"
                + "\"consecutive_failures\":0,\"max_consecutive_failures\":5}}", health.body());
        assertEquals("application/json; charset=utf-8", health.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<String> ready = get("/ready");
        assertEquals(503, ready.statusCode());
        assertEquals("{\"status\":\"NOT_READY\",\"state\":\"CREATED\"}", ready.body());
    }

    @Test
    void metricsCarryKafkaStreamsAndTheServicesMeters() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertTrue(r.body().contains("kafka_stream_alive_stream_threads{"), "Kafka Streams client metrics");
        assertTrue(r.body().contains("noos_decisions_total{kind=\"circuit_break\"} 0.0"), "app counters");
        assertTrue(r.body().contains("noos_processing_latency_seconds_count 0"), "processing latency timer");
    }

    @Test
    void userDataNeedsTheTokenOverTheWireToo() throws Exception {
        HttpResponse<String> none = get("/users/ana");
        assertEquals(401, none.statusCode());
        assertEquals("Bearer realm=\"noos-streams\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        HttpResponse<String> wrong = get("/users/ana", "Authorization", "Bearer wire-tokem");
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> right = get("/users/ana", "Authorization", "Bearer " + TOKEN);
        assertEquals(503, right.statusCode(), "authorised, but not started: no owner for the key yet");
        assertEquals("1", right.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void theDashboardIsServedWithAStrictContentPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals(DashboardAssets.CONTENT_SECURITY_POLICY,
                page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertTrue(page.body().contains("<script src=\"/dashboard/dashboard.js\"></script>"));
        assertTrue(get("/dashboard/dashboard.js").headers().firstValue("Content-Type").orElseThrow()
                .startsWith("text/javascript"));
        assertEquals(404, get("/dashboard/missing.js").statusCode());
    }

    @Test
    void theAdvertisedAddressIsTheBoundPortUnlessConfigured() throws IOException {
        assertEquals("127.0.0.1", server.advertised().host());
        assertEquals(server.port(), server.advertised().port());
        try (ServiceHttpServer configured = ServiceHttpServer.bind(settings(Map.of(ServiceConfig.HTTP_PORT, "0",
                ServiceConfig.HTTP_HOST, "127.0.0.1", ServiceConfig.HTTP_ADVERTISED_URL, "http://noos-3.svc:8088")))) {
            assertEquals("noos-3.svc", configured.advertised().host());
            assertEquals(8088, configured.advertised().port());
        }
    }

    @Test
    void aTakenPortIsAClearStartupError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceHttpServer.bind(settings(Map.of(
                ServiceConfig.HTTP_PORT, Integer.toString(server.port()), ServiceConfig.HTTP_HOST, "127.0.0.1"))));
        assertTrue(e.getMessage().contains(ServiceConfig.HTTP_PORT), e.getMessage());
    }
}
