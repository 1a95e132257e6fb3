package io.noos.streams.kafka.http;

import io.noos.streams.clients.orchestrator.OrchestratorSettings;
import io.noos.streams.clients.sim.FleetSimulator;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.testkit.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Service instances for the HTTP integration tests: the test configuration of
 * {@link RegulatorFlow#config} with the HTTP server on a free loopback port and a token, running
 * the production topology.
 */
final class HttpServiceFixture {
    static final String TOKEN = "it-token-7d41";
    static final Duration STARTUP = Duration.ofSeconds(60);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpServiceFixture() {}

    static ServiceConfig config(String bootstrap, String applicationId, Path stateDir, String topicSuffix)
            throws IOException {
        return RegulatorFlow.config(bootstrap, applicationId, stateDir, topicSuffix)
                .with(ServiceConfig.HTTP_PORT, "0")
                .with(ServiceConfig.HTTP_HOST, "127.0.0.1")
                .with(ServiceConfig.HTTP_TOKEN, TOKEN)
                .with(ServiceConfig.FLEET_STATS_EMIT_INTERVAL_MS, "200");   // fleet windows within the test's patience
    }

    static RegulatorService start(ServiceConfig config) {
        return new RegulatorService(config).start();
    }

    /**
     * The simulated fleet of {@code run --simulate} on the service's topics, acting on its decisions
     * through the orchestrator client, shown on the service's dashboard (no printing).
     */
    static FleetSimulator simulate(ServiceConfig config, RegulatorService service, int agents, long turnIntervalMs,
                                   boolean compare) {
        OrchestratorSettings client = OrchestratorSettings.of(config.kafkaProperties())
                .withTopics(config.get(ServiceConfig.INPUT_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC));
        FleetSimulator fleet = FleetSimulator.start(new FleetSimulator.Options(agents, 42, turnIntervalMs, 0, compare),
                client, null);
        service.http().orElseThrow().showSimulation(() -> fleet.report().json());
        return fleet;
    }

    static String baseUrl(RegulatorService service) {
        return "http://127.0.0.1:" + service.http().orElseThrow().port();
    }

    static String hostPort(RegulatorService service) {
        return service.http().orElseThrow().advertised().host() + ":" + service.http().orElseThrow().advertised().port();
    }

    static HttpResponse<String> get(RegulatorService service, String path, String token) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(baseUrl(service) + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        try {
            return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits until every instance is RUNNING and each has active tasks (the group has settled). */
    static void awaitBalanced(RegulatorService... services) throws Exception {
        Poll.until("the " + services.length + " instances settle", STARTUP, () -> Arrays.stream(services).allMatch(s ->
                        s.streams().state() == KafkaStreams.State.RUNNING
                        && s.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty())
                        && s.streams().streamsMetadataForStore(ServiceStore.USER_STATE.storeName()).size() == services.length),
                () -> Arrays.stream(services).map(s -> s.streams().state().toString()).toList().toString());
    }
}
