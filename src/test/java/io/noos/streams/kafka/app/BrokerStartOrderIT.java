package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker is not there when the service starts, or goes away while it runs (a docker-compose
 * start order, a broker restart): the service waits for it (up to {@code noos.startup.timeout.ms})
 * and decides once it is there, without being restarted. On the product's in-process broker with a
 * fixed port and data directory, so a broker can start late, or stop and come back on the same
 * address with the same topics and records. The broker is down for 10 s in the restart
 * ({@code -Dnoos.broker.downtime.ms=N} for another length).
 */
class BrokerStartOrderIT {
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ServiceConfig config(int port, String name) throws IOException {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return RegulatorFlow.config("127.0.0.1:" + port, "noos-" + suffix, dir.resolve("state-" + name), suffix)
                .with(ServiceConfig.TOPIC_PARTITIONS, "2")
                .with(ServiceConfig.STARTUP_TIMEOUT_MS, "120000");
    }

    /**
     * The broker comes 20 s after the service, later than the service's admin requests may take
     * ({@code default.api.timeout.ms=15000}, a Kafka client setting; 60 s by default; a start
     * used to fail after one request with a stack trace).
     */
    @Test
    @Timeout(240)
    void aServiceStartedBeforeItsBrokerWaitsForItThenDecides() throws Exception {
        int port = freePort();
        ServiceConfig config = config(port, "late").with("request.timeout.ms", "15000")
                .with("default.api.timeout.ms", "15000");
        List<EventEnvelope> events = RegulatorFlow.fleet();

        CompletableFuture<RegulatorService> starting = CompletableFuture.supplyAsync(
                () -> new RegulatorService(config).start());
        Thread.sleep(20_000);
        assertFalse(starting.isDone(), "still waiting for the broker: "
                + (starting.isCompletedExceptionally() ? starting.handle((s, e) -> e).join() : "started"));

        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults()
                .withPort(port).withDataDir(dir.resolve("kafka"));
        try (TestKafkaCluster broker = TestKafkaCluster.start(options);
             RegulatorService service = starting.get(120, TimeUnit.SECONDS)) {
            assertTrue(service.awaitRunning(STARTUP), "RUNNING: " + service.streams().state());
            RegulatorFlow.produce(broker.bootstrapServers(), config.get(ServiceConfig.INPUT_TOPIC), events);
            List<ConsumerRecord<String, String>> decisions = RegulatorFlow.readCommitted(broker.bootstrapServers(),
                    config.get(ServiceConfig.DECISIONS_TOPIC), RegulatorFlow.decidedCount(events));
            RegulatorFlow.assertDecisions(RegulatorFlow.expectedDecisions(events, config.topologySettings()), decisions);
        }
    }

    @Test
    @Timeout(600)
    void aBrokerRestartInTheMiddleOfARunLeavesTheServiceDecidingAfterwards() throws Exception {
        int port = freePort();
        ServiceConfig config = config(port, "restart");
        List<EventEnvelope> events = RegulatorFlow.fleet();
        int half = events.size() / 2;
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults()
                .withPort(port).withDataDir(dir.resolve("kafka"));
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);

        TestKafkaCluster broker = TestKafkaCluster.start(options);
        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(STARTUP), "RUNNING: " + service.streams().state());
            List<EventEnvelope> before = events.subList(0, half);
            RegulatorFlow.produce(broker.bootstrapServers(), input, before);
            assertEquals(RegulatorFlow.decidedCount(before), RegulatorFlow.readCommitted(broker.bootstrapServers(),
                    decisionsTopic, RegulatorFlow.decidedCount(before)).size(), "decided before the restart");

            broker.close();
            Thread.sleep(Long.getLong("noos.broker.downtime.ms", 10_000));
            broker = TestKafkaCluster.start(options);

            RegulatorFlow.produce(broker.bootstrapServers(), input, events.subList(half, events.size()));
            List<ConsumerRecord<String, String>> decisions = RegulatorFlow.readCommitted(broker.bootstrapServers(),
                    decisionsTopic, RegulatorFlow.decidedCount(events));
            RegulatorFlow.assertDecisions(RegulatorFlow.expectedDecisions(events, config.topologySettings()), decisions);
            assertEquals(KafkaStreams.State.RUNNING, service.streams().state());
            System.out.println("after the broker restart: " + service.threadStatus());
            assertEquals(0, service.threadStatus().consecutiveFailures(), "no stream thread failing");
        } finally {
            broker.close();
        }
    }
}
