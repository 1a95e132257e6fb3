package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.RegulatorFlow.turnComplete;
import static io.noos.streams.testkit.RegulatorFlow.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.FailingRecords;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.RegulatorFlow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream threads failing on a real broker, exactly-once v2: the production topology plus a
 * processor that throws on chosen users' records ({@link FailingRecords}).
 *
 * <p>A record that fails every time stops the instance after the configured number of attempts,
 * with the reason in {@link RegulatorService#failure()}, {@code /health} and the metrics; single
 * failures each followed by progress are replaced as often as they come.
 */
class StreamThreadFailuresIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateDir;

    private ServiceConfig config(String name, int maxConsecutiveFailures) throws Exception {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix, stateDir, suffix)
                .with(ServiceConfig.MAX_CONSECUTIVE_THREAD_FAILURES, Integer.toString(maxConsecutiveFailures));
    }

    private static RegulatorService start(ServiceConfig config, TopologyFactory topology) throws InterruptedException {
        RegulatorService service = new RegulatorService(config, topology).start();
        if (!service.awaitRunning(STARTUP)) {
            service.close();
            throw new AssertionError("not RUNNING after " + STARTUP + ": " + service.streams().state());
        }
        return service;
    }

    private static List<EventEnvelope> turn(String user) {
        return new RegulatorFlow.Agent(user).then(turnStart("summarize the quarterly report"))
                .then(turnComplete("quarterly report summary")).take();
    }

    private static void produceAndAwaitDecisions(ServiceConfig config, List<EventEnvelope> events, int decidedSoFar) {
        String bootstrap = config.get(ServiceConfig.BOOTSTRAP_SERVERS);
        RegulatorFlow.produce(bootstrap, config.get(ServiceConfig.INPUT_TOPIC), events);
        int expected = decidedSoFar + RegulatorFlow.decidedCount(events);
        assertEquals(expected, RegulatorFlow.readCommitted(bootstrap, config.get(ServiceConfig.DECISIONS_TOPIC), expected)
                .size(), "decided once each");
    }

    private static HttpResponse<String> get(RegulatorService service, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.http().orElseThrow().port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(240)
    void aRecordThatAlwaysFailsStopsTheInstanceAfterTheLimit() throws Exception {
        int limit = 3;
        ServiceConfig config = config("poison", limit);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        try (RegulatorService service = start(config, new FailingRecords(Set.of("poison"), Integer.MAX_VALUE, attempts))) {
            List<EventEnvelope> good = turn("ana");
            produceAndAwaitDecisions(config, good, 0);
            assertEquals(0, service.threadStatus().replacements());

            RegulatorFlow.produce(kafka.bootstrapServers(), config.get(ServiceConfig.INPUT_TOPIC), turn("poison"));
            String reason = service.failure().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertEquals(limit + " consecutive stream thread failures without progress; last: "
                    + FailingRecords.InjectedFailure.class.getName() + ": injected failure " + limit + " on poison", reason);
            assertEquals(limit, attempts.get("poison").get(), "the record was tried exactly " + limit + " times");
            assertEquals(KafkaStreams.State.ERROR, service.streams().state());
            assertEquals(limit - 1, service.threadStatus().replacements());
            assertEquals(limit, service.threadStatus().consecutiveFailures());

            HttpResponse<String> health = get(service, "/health");
            assertEquals(503, health.statusCode());
            JsonNode threads = Json.mapper().readTree(health.body()).get("stream_threads");
            assertEquals(reason, threads.get("stop_reason").asText(), health.body());
            assertEquals(limit - 1, threads.get("replacements").asLong());
            assertEquals(limit, threads.get("max_consecutive_failures").asInt());
            String metrics = get(service, "/metrics").body();
            assertTrue(metrics.contains("noos_stream_thread_replacements_total " + (limit - 1) + ".0"), metrics);
        }
    }

    @Test
    @Timeout(240)
    void singleFailuresEachFollowedByProgressDoNotStopIt() throws Exception {
        ServiceConfig config = config("transient", 2);
        List<String> flaky = List.of("flaky-1", "flaky-2", "flaky-3");
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        try (RegulatorService service = start(config, new FailingRecords(Set.copyOf(flaky), 1, attempts))) {
            int decided = 0;
            List<EventEnvelope> all = new ArrayList<>();
            for (String user : flaky) {
                List<EventEnvelope> events = turn(user);
                produceAndAwaitDecisions(config, events, decided);
                decided += RegulatorFlow.decidedCount(events);
                all.addAll(events);
            }
            for (String user : flaky) {
                assertEquals(3, attempts.get(user).get(), user + ": the first record failed once, then both were processed");
            }
            assertFalse(service.failure().isDone(), () -> "stopped: " + service.failure().join());
            assertEquals(KafkaStreams.State.RUNNING, service.streams().state());
            assertEquals(3, service.threadStatus().replacements(), "three failures, each replaced");
            assertEquals(0, service.threadStatus().consecutiveFailures(), "progress since the last one");

            HttpResponse<String> health = get(service, "/health");
            assertEquals(200, health.statusCode());
            JsonNode threads = Json.mapper().readTree(health.body()).get("stream_threads");
            assertEquals(3, threads.get("replacements").asLong(), health.body());
            assertEquals(FailingRecords.InjectedFailure.class.getName() + ": injected failure 1 on flaky-3",
                    threads.get("last_failure").asText());
            assertFalse(threads.has("stop_reason"));
            assertTrue(get(service, "/metrics").body().contains("noos_stream_thread_replacements_total 3.0"));
        }
    }
}
