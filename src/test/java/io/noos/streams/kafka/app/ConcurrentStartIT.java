package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.RegulatorFlow.turnComplete;
import static io.noos.streams.testkit.RegulatorFlow.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.metrics.ServiceMetrics;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.RegulatorFlow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances of one application started at the same moment against a broker that has none of the
 * service's topics: each races the others to create them, and the losers find topics whose
 * metadata is not visible yet. Every instance must still reach RUNNING and decide; repeated with
 * fresh topics and a fresh application id per round, since the race does not lose every time, and
 * in every other round with one state directory given to all three.
 */
class ConcurrentStartIT {
    private static final int INSTANCES = 3;
    private static final int ROUNDS = 4;
    private static final int USERS = 24;
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateRoot;

    @Test
    @Timeout(600)
    void instancesStartedTogetherOnAFreshBrokerAllRunAndDecide() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            startTogetherAndDecide(round);
        }
    }

    private void startTogetherAndDecide(int round) throws Exception {
        String suffix = "together-" + round + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<RegulatorService> services = new ArrayList<>();
        ExecutorService starters = Executors.newFixedThreadPool(INSTANCES);
        try {
            ServiceConfig first = null;
            // Odd rounds: a state directory each; even rounds: one for all, as instances started on one
            // machine with the default directory have (each but the first moves to a free sibling).
            boolean shared = round % 2 == 0;
            for (int i = 0; i < INSTANCES; i++) {
                ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix,
                        stateRoot.resolve(shared ? suffix : suffix + "-" + i), suffix);
                first = first == null ? config : first;
                services.add(new RegulatorService(config));
            }
            CyclicBarrier together = new CyclicBarrier(INSTANCES);
            List<Future<?>> starts = new ArrayList<>();
            for (RegulatorService service : services) {
                starts.add(starters.submit(() -> {
                    together.await();
                    return service.start();
                }));
            }
            for (int i = 0; i < INSTANCES; i++) {
                try {
                    starts.get(i).get(STARTUP.toSeconds(), TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("round " + round + ": instance " + i + " failed to start: " + e.getCause(),
                            e.getCause());
                }
            }
            for (int i = 0; i < INSTANCES; i++) {
                assertTrue(services.get(i).awaitRunning(STARTUP), "round " + round + ": instance " + i
                        + " not RUNNING: " + services.get(i).streams().state());
            }

            List<EventEnvelope> events = events();
            String bootstrap = kafka.bootstrapServers();
            RegulatorFlow.produce(bootstrap, first.get(ServiceConfig.INPUT_TOPIC), events);
            int expected = RegulatorFlow.decidedCount(events);
            assertEquals(expected, RegulatorFlow.readCommitted(bootstrap, first.get(ServiceConfig.DECISIONS_TOPIC),
                    expected).size(), "round " + round + ": every event decided once");
            for (int i = 0; i < INSTANCES; i++) {
                RegulatorService service = services.get(i);
                assertEquals(KafkaStreams.State.RUNNING, service.streams().state(), "round " + round + ", instance " + i);
                // A bound: each instance's share depends on the assignment, and an event of a
                // transaction aborted by a rebalance is counted again when it is processed again.
                assertTrue(decisions(service) > 0, "round " + round + ": instance " + i + " decided nothing");
            }
        } finally {
            starters.shutdownNow();
            services.parallelStream().forEach(RegulatorService::close);
        }
    }

    /** A turn start and a completion for each of {@link #USERS} users: every input partition gets some. */
    private static List<EventEnvelope> events() {
        List<List<EventEnvelope>> perUser = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            perUser.add(new RegulatorFlow.Agent("user-" + u)
                    .then(turnStart("summarize the quarterly report"))
                    .then(turnComplete("quarterly report summary"))
                    .take());
        }
        @SuppressWarnings("unchecked")
        List<EventEnvelope>[] lists = perUser.toArray(new List[0]);
        return RegulatorFlow.interleave(lists);
    }

    private static double decisions(RegulatorService service) {
        return service.metrics().registry().find(ServiceMetrics.DECISIONS).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
