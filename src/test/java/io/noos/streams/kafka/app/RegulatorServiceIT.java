package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.RegulatorFlow.LOOP_TOOL;
import static io.noos.streams.testkit.RegulatorFlow.TASK;
import static io.noos.streams.testkit.RegulatorFlow.correction;
import static io.noos.streams.testkit.RegulatorFlow.cost;
import static io.noos.streams.testkit.RegulatorFlow.decisionFor;
import static io.noos.streams.testkit.RegulatorFlow.quality;
import static io.noos.streams.testkit.RegulatorFlow.toolCall;
import static io.noos.streams.testkit.RegulatorFlow.toolResult;
import static io.noos.streams.testkit.RegulatorFlow.turnComplete;
import static io.noos.streams.testkit.RegulatorFlow.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regulator service end to end on a real in-process KRaft broker, exactly-once v2: topics from
 * {@link TopicSetup}, the real {@link RegulatorService}, JSON envelopes in, decisions read
 * {@code read_committed}; and a restart with the local RocksDB state wiped in the middle of a turn,
 * which must resume exactly where an uninterrupted run would be.
 */
class RegulatorServiceIT {
    private static final Duration STARTUP = Duration.ofSeconds(45);

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateDir;

    private ServiceConfig config(String name) throws IOException {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix, stateDir, suffix);
    }

    private static RegulatorService startService(ServiceConfig config, StateRestoreListener restores)
            throws InterruptedException {
        RegulatorService service = new RegulatorService(config);
        if (restores != null) {
            service.beforeStart = streams -> streams.setGlobalStateRestoreListener(restores);
        }
        service.start();
        if (!service.awaitRunning(STARTUP)) {
            service.close();
            throw new AssertionError("service not RUNNING after " + STARTUP + ": " + service.streams().state());
        }
        return service;
    }

    @Test
    @Timeout(90)
    void decidesEveryEventOnceInOrderAndDeadLettersBadRecords() throws Exception {
        ServiceConfig config = config("flow");
        String bootstrap = kafka.bootstrapServers();
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        TopicSetup.ensureTopics(config);

        List<EventEnvelope> events = RegulatorFlow.fleet();
        Map<String, List<String>> expected = RegulatorFlow.expectedDecisions(events, config.topologySettings());
        assertEquals(RegulatorFlow.decidedCount(events), expected.values().stream().mapToInt(List::size).sum());

        try (RegulatorService service = startService(config, null)) {
            RegulatorFlow.produce(bootstrap, input, events.subList(0, events.size() / 2));
            RegulatorFlow.produceRaw(bootstrap, input, RegulatorFlow.NOT_JSON_KEY, RegulatorFlow.NOT_JSON);
            RegulatorFlow.produce(bootstrap, input, events.subList(events.size() / 2, events.size()));
            RegulatorFlow.assertFleetAndTheBadRecord(bootstrap, config, events, expected);
        }
    }

    /**
     * Half a turn, a clean stop, the state directory deleted, a new instance of the same application:
     * it must rebuild every user's regulator from the changelog, so the rest of the turn decides
     * exactly as one uninterrupted run of all the events through {@code UserDecider} does.
     */
    @Test
    @Timeout(120)
    void restartMidTurnWithLocalStateWipedResumesFromTheChangelog() throws Exception {
        ServiceConfig config = config("restart");
        String bootstrap = kafka.bootstrapServers();
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
        TopicSetup.ensureTopics(config);

        // Each user stops mid-turn: state that lives only in the store decides what comes next.
        RegulatorFlow.Agent ben = new RegulatorFlow.Agent("ben").then(turnStart("find the retry policy in the docs"));
        for (int i = 0; i < 3; i++) {
            ben.then(toolCall(LOOP_TOOL)).then(toolResult(LOOP_TOOL));
        }
        RegulatorFlow.Agent ana = new RegulatorFlow.Agent("ana").then(turnStart(TASK)).tokens(-0.2, -0.4);
        RegulatorFlow.Agent cleo = new RegulatorFlow.Agent("cleo")
                .then(turnStart("summarize the quarterly report"))
                .then(turnComplete("quarterly report summary: revenue grew"))
                .then(cost(200, 1_200, 4_000))
                .then(quality(0.3));
        RegulatorFlow.Agent dev = new RegulatorFlow.Agent("dev").then(turnStart(TASK))
                .then(correction("no logging")).then(correction("stop logging")).then(correction("really no logs"));
        List<EventEnvelope> before = RegulatorFlow.interleave(ben.take(), ana.take(), cleo.take(), dev.take());

        ben.then(toolCall(LOOP_TOOL)).then(toolResult(LOOP_TOOL)).then(toolCall(LOOP_TOOL));      // ben-8..ben-10
        ana.then(turnComplete(RegulatorFlow.DRIFTING_RESPONSE));                                  // ana-3
        cleo.then(quality(0.2)).then(quality(0.1));                                               // cleo-5, cleo-6
        dev.then(turnStart("make the function async"));                                           // dev-5
        List<EventEnvelope> after = RegulatorFlow.interleave(ben.take(), ana.take(), cleo.take(), dev.take());

        List<EventEnvelope> all = new ArrayList<>(before);
        all.addAll(after);
        Map<String, List<String>> expected = RegulatorFlow.expectedDecisions(all, config.topologySettings());

        try (RegulatorService first = startService(config, null)) {
            RegulatorFlow.produce(bootstrap, input, before);
            List<ConsumerRecord<String, String>> firstDecisions = RegulatorFlow.readCommitted(bootstrap,
                    decisionsTopic, RegulatorFlow.decidedCount(before));
            assertEquals(RegulatorFlow.decidedCount(before), firstDecisions.size(), "first half decided once");
        }
        assertTrue(Files.isDirectory(stateDir.resolve(config.get(ServiceConfig.APPLICATION_ID))),
                "the first instance kept local state in " + stateDir);
        deleteRecursively(stateDir);
        assertFalse(Files.exists(stateDir), "local state wiped");

        AtomicLong restored = new AtomicLong();
        try (RegulatorService second = startService(config, new CountingRestoreListener(restored))) {
            RegulatorFlow.produce(bootstrap, input, after);
            List<ConsumerRecord<String, String>> decisions = RegulatorFlow.readCommitted(bootstrap, decisionsTopic,
                    RegulatorFlow.decidedCount(all));
            RegulatorFlow.assertDecisions(expected, decisions);

            Map<String, List<String>> byUser = RegulatorFlow.valuesByKey(decisions);
            JsonNode loop = decisionFor(byUser, "ben-10").get("decision");
            assertEquals("repeated_tool_call_loop", loop.get("reason").get("kind").asText(),
                    "3 calls before the restart + 2 after make a run of 5: " + loop);
            assertEquals(5, loop.get("reason").get("consecutive_count").asInt());
            JsonNode drift = decisionFor(byUser, "ana-3").get("decision");
            assertEquals("scope_drift_warn", drift.get("kind").asText(), "task keywords restored: " + drift);
            assertEquals(1.0, drift.get("drift_score").asDouble());
            JsonNode budget = decisionFor(byUser, "cleo-6").get("decision");
            assertEquals("cost_cap_reached", budget.get("reason").get("kind").asText(),
                    "cost and the first quality restored: " + budget);
            JsonNode procedural = decisionFor(byUser, "dev-5");
            assertEquals("procedural_warning", procedural.get("decision").get("kind").asText(), procedural.toString());
            assertEquals(2, procedural.get("turn").asLong(), "turn counter restored");
        }
        // A bound: how many changelog records a store restores depends on how often its cache was
        // flushed before the stop (commit timing); the 4 users' states are at least one each.
        assertTrue(restored.get() >= 4, "every user's state came back from the changelog; restored " + restored.get());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Counts the changelog records restored into local stores. */
    private record CountingRestoreListener(AtomicLong restored) implements StateRestoreListener {
        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            restored.addAndGet(totalRestored);
        }
    }
}
