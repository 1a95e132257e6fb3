package io.noos.streams.clients.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.codec.WireFormat;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.TestEvent;
import io.noos.streams.testkit.Poll;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator client against the real service on the in-process broker: every event's future
 * completes with exactly the decision the reference run gives that event (tokens streamed one by one
 * and coalesced by the client), from many threads at once; the client reads only its users'
 * decisions partitions; an event sent twice is decided once; futures wait through a restart of the
 * service and through rebalances (an instance joining, then one leaving); closing fails what is in
 * flight after sending the buffered tokens; a missing decision times out with a clear exception; topics with different partition
 * counts are refused by the client and by {@code run}.
 */
class OrchestratorClientIT {
    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path dir;

    private ServiceConfig config(String name, Path stateDir) throws Exception {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return RegulatorFlow.config(kafka.bootstrapServers(), "noos-it-" + suffix, stateDir, suffix)
                .with(ServiceConfig.HTTP_PORT, "-1");
    }

    private static RegulatorService startService(ServiceConfig config) throws InterruptedException {
        RegulatorService service = new RegulatorService(config).start();
        if (!service.awaitRunning(Duration.ofSeconds(60))) {
            service.close();
            throw new AssertionError("the service is not RUNNING after 60 s");
        }
        return service;
    }

    private static OrchestratorSettings settings(ServiceConfig config) {
        Properties kafkaProps = new Properties();
        kafkaProps.put("bootstrap.servers", kafka.bootstrapServers());
        return OrchestratorSettings.of(kafkaProps)
                .withTopics(config.get(ServiceConfig.INPUT_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC))
                .withFormats(WireFormat.parse(config.get(ServiceConfig.INPUT_FORMAT)),
                        WireFormat.parse(config.get(ServiceConfig.DECISIONS_FORMAT)))
                .withDecisionTimeout(Duration.ofSeconds(60));
    }

    /**
     * One user's session, seeded: turns with 20–60 streamed tokens, sometimes a tool loop, costs,
     * qualities, corrections; event ids {@code <user>-<n>}, tokens without ids.
     */
    private static List<EventEnvelope> script(String user, long seed) {
        Random r = new Random(seed);
        List<EventEnvelope> out = new ArrayList<>();
        long at = RegulatorFlow.T0;
        int n = 0;
        String[] tasks = {"refactor the payment client to be async", "summarize the quarterly revenue report",
                "explain the kafka consumer rebalance protocol"};
        for (int turn = 0; turn < 3; turn++) {
            String task = tasks[r.nextInt(tasks.length)];
            out.add(event(user, ++n, at += 10, new AgentEvent.TurnStart(task)));
            for (int t = 20 + r.nextInt(40); t > 0; t--) {
                out.add(TestEvent.user(user).agent("agent-" + (user.hashCode() & 3)).session(user + "-s1").at(at += 1)
                        .of(new AgentEvent.Token("w", -Math.abs(r.nextGaussian()), t)));
            }
            int calls = r.nextInt(3) == 0 ? 6 : r.nextInt(2);
            for (int c = 0; c < calls; c++) {
                out.add(event(user, ++n, at += 10, new AgentEvent.ToolCall("search_orders", "{\"page\":" + c + "}")));
                out.add(event(user, ++n, at += 10, new AgentEvent.ToolResult("search_orders", true, 50, null)));
            }
            out.add(event(user, ++n, at += 10, new AgentEvent.TurnComplete(r.nextBoolean() ? task + " done"
                    : "a poem about autumn leaves and jazz")));
            out.add(event(user, ++n, at += 10, new AgentEvent.Cost(300, 200 + r.nextInt(600), 900, null)));
            out.add(event(user, ++n, at += 10, new AgentEvent.QualityFeedback(0.2 + 0.7 * r.nextDouble())));
            if (r.nextBoolean()) {
                out.add(event(user, ++n, at += 10, new AgentEvent.UserCorrection("keep it short", true)));
            }
        }
        return out;
    }

    private static EventEnvelope event(String user, int n, long at, AgentEvent e) {
        return TestEvent.user(user).id(user + "-" + n).agent("agent-" + (user.hashCode() & 3)).session(user + "-s1").at(at)
                .of(e);
    }

    @Test
    @Timeout(180)
    void everyEventsFutureCompletesWithTheReferenceDecisionFromManyThreads() throws Exception {
        ServiceConfig config = config("decide", dir.resolve("state"));
        int users = 24;
        Map<String, List<EventEnvelope>> scripts = new LinkedHashMap<>();
        List<EventEnvelope> all = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            List<EventEnvelope> s = script("user-" + u, u);
            scripts.put("user-" + u, s);
            all.addAll(s);
        }
        Map<String, String> expected = new HashMap<>();
        RegulatorFlow.expectedDecisions(all, config.topologySettings()).values().forEach(list -> list.forEach(json -> {
            DecisionRecord d = DecisionRecordJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            expected.put(d.eventId(), json);
        }));
        long tokens = all.stream().filter(e -> e.event().isTokenLike()).count();

        try (RegulatorService service = startService(config);
             OrchestratorClient client = OrchestratorClient.start(settings(config))) {
            ExecutorService agents = Executors.newFixedThreadPool(8);
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (List<EventEnvelope> script : scripts.values()) {
                results.add(agents.submit(() -> {
                    Map<String, String> got = new HashMap<>();
                    for (EventEnvelope e : script) {
                        if (e.event().isTokenLike()) {
                            client.token(e);
                        } else {
                            DecisionRecord d = client.send(e).get(60, TimeUnit.SECONDS);   // act, then the next step
                            got.put(e.eventId(), DecisionRecordJson.toJson(d));
                            assertTrue(client.readingPartitions().contains(client.partitionOf(e.userId())));
                        }
                    }
                    return got;
                }));
            }
            Map<String, String> got = new HashMap<>();
            for (Future<Map<String, String>> f : results) {
                got.putAll(f.get(150, TimeUnit.SECONDS));
            }
            agents.shutdown();
            assertEquals(expected, got, "each event's decision, equal to the reference run with single tokens");
            assertEquals(expected.size(), client.latency().count(), "a latency per decision");
            assertTrue(client.tokenBatches() > 0 && client.tokenBatches() < tokens / 5,
                    client.tokenBatches() + " token batches for " + tokens + " tokens");
            assertEquals(0, client.timeouts());
            assertEquals(0, client.inFlight());
            Set<Integer> userPartitions = new HashSet<>();
            scripts.keySet().forEach(u -> userPartitions.add(client.partitionOf(u)));
            assertTrue(userPartitions.containsAll(client.readingPartitions()), "only its users' partitions");
        }
    }

    @Test
    @Timeout(120)
    void readsOnlyThePartitionsOfUsersInFlightAndAnEventSentTwiceIsDecidedOnce() throws Exception {
        ServiceConfig config = config("partitions", dir.resolve("state"));
        try (RegulatorService service = startService(config);
             OrchestratorClient client = OrchestratorClient.start(settings(config).withPartitionLinger(Duration.ZERO))) {
            assertEquals(Set.of(), client.readingPartitions(), "nothing in flight, nothing read");
            EventEnvelope start = event("solo", 1, RegulatorFlow.T0, new AgentEvent.TurnStart("hello there"));
            CompletableFuture<DecisionRecord> first = client.send(start);
            CompletableFuture<DecisionRecord> again = client.send(start);
            assertSame(first, again, "the same event in flight: the same future");
            assertTrue(Set.of(client.partitionOf("solo")).containsAll(client.readingPartitions()));
            DecisionRecord d = first.get(60, TimeUnit.SECONDS);
            assertEquals("solo-1", d.eventId());
            assertEquals(d, client.send(start).getNow(null), "sent after its decision: that decision, at once");
            Poll.until("the client reads no partition once nothing is in flight (linger 0)", Duration.ofSeconds(10),
                    () -> client.readingPartitions().isEmpty(), () -> client.readingPartitions().toString());

            DecisionRecord generated = client.send(TestEvent.user("solo").session("solo-s1").at(RegulatorFlow.T0 + 1)
                    .of(new AgentEvent.QualityFeedback(0.8))).get(60, TimeUnit.SECONDS);
            UUID id = UUID.fromString(generated.eventId());
            assertEquals(7, id.version(), "an event without id gets a UUIDv7");
            assertTrue(Math.abs(TimeOrderedIds.timeOf(id) - System.currentTimeMillis()) < 60_000);
            assertThrows(IllegalArgumentException.class, () -> client.send(TestEvent.user("solo").at(1).tokens(-1)));
        }
    }

    @Test
    @Timeout(240)
    void futuresWaitThroughARestartOfTheService() throws Exception {
        ServiceConfig config = config("restart", dir.resolve("state"));
        EventEnvelope before = event("rita", 1, RegulatorFlow.T0, new AgentEvent.TurnStart("find the retry policy"));
        List<EventEnvelope> during = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            during.add(event("rita", 2 + i, RegulatorFlow.T0 + 1 + i, new AgentEvent.ToolCall(RegulatorFlow.LOOP_TOOL, null)));
        }
        List<EventEnvelope> all = new ArrayList<>(List.of(before));
        all.addAll(during);
        List<String> expected = RegulatorFlow.expectedDecisions(all, config.topologySettings()).get("rita");
        try (OrchestratorClient client = OrchestratorClient.start(settingsAfterTopics(config))) {
            try (RegulatorService service = startService(config)) {
                assertEquals(expected.get(0), DecisionRecordJson.toJson(client.send(before).get(60, TimeUnit.SECONDS)));
            }
            List<CompletableFuture<DecisionRecord>> pending = new ArrayList<>();
            for (EventEnvelope e : during) {
                pending.add(client.send(e));
            }
            Thread.sleep(1_000);
            assertTrue(pending.stream().noneMatch(CompletableFuture::isDone), "no service, no decision yet");
            try (RegulatorService restarted = startService(config)) {
                for (int i = 0; i < pending.size(); i++) {
                    assertEquals(expected.get(1 + i), DecisionRecordJson.toJson(pending.get(i).get(90, TimeUnit.SECONDS)));
                }
                assertEquals("circuit_break", pending.get(4).get().decision().kind(), "the loop, across the restart");
            }
        }
    }

    /**
     * Two rebalances of the service under agents acting on every decision: a second instance of the
     * application joins, then the first leaves. Each phase's agents start sending as the group
     * changes, so their futures are pending through the rebalance; every one completes with the
     * reference run's decision, none times out.
     */
    @Test
    @Timeout(300)
    void futuresCompleteThroughRebalancesAsInstancesJoinAndLeave() throws Exception {
        ServiceConfig first = config("rebalance", dir.resolve("state-a"));
        ServiceConfig second = first.with(ServiceConfig.STATE_DIR, dir.resolve("state-b").toString());
        List<List<EventEnvelope>> scripts = new ArrayList<>();
        List<EventEnvelope> all = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            List<EventEnvelope> s = script("reb-" + u, 100 + u);
            scripts.add(s);
            all.addAll(s);
        }
        Map<String, String> expected = new HashMap<>();
        RegulatorFlow.expectedDecisions(all, first.topologySettings()).values().forEach(list -> list.forEach(json ->
                expected.put(DecisionRecordJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).eventId(),
                        json)));
        Map<String, String> got = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService agents = Executors.newFixedThreadPool(6);
        RegulatorService a = startService(first);
        boolean aClosed = false;
        RegulatorService b = null;
        try (OrchestratorClient client = OrchestratorClient.start(settings(first))) {
            runPhase(agents, client, scripts, 0, got);                 // one instance
            b = new RegulatorService(second).start();                 // joins: the group rebalances
            runPhase(agents, client, scripts, 1, got);
            assertTrue(b.awaitRunning(Duration.ofSeconds(60)), "the second instance runs");
            List<Future<?>> last = startPhase(agents, client, scripts, 2, got);
            a.close();                                                // leaves: the group rebalances again
            aClosed = true;
            for (Future<?> f : last) {
                f.get(150, TimeUnit.SECONDS);
            }
            assertEquals(expected, got, "each event's decision through both rebalances, as the reference run's");
            assertEquals(0, client.timeouts());
        } finally {
            agents.shutdownNow();
            if (!aClosed) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
    }

    /** Sends the {@code phase}-th third of every script, one agent per script, and waits for every decision. */
    private static void runPhase(ExecutorService agents, OrchestratorClient client, List<List<EventEnvelope>> scripts,
                                 int phase, Map<String, String> got) throws Exception {
        for (Future<?> f : startPhase(agents, client, scripts, phase, got)) {
            f.get(150, TimeUnit.SECONDS);
        }
    }

    private static List<Future<?>> startPhase(ExecutorService agents, OrchestratorClient client,
                                              List<List<EventEnvelope>> scripts, int phase, Map<String, String> got) {
        List<Future<?>> running = new ArrayList<>();
        for (List<EventEnvelope> script : scripts) {
            List<EventEnvelope> part = script.subList(script.size() * phase / 3, script.size() * (phase + 1) / 3);
            running.add(agents.submit(() -> {
                for (EventEnvelope e : part) {
                    if (e.event().isTokenLike()) {
                        client.token(e);
                    } else {
                        got.put(e.eventId(), DecisionRecordJson.toJson(client.send(e).get(90, TimeUnit.SECONDS)));
                    }
                }
                return null;
            }));
        }
        return running;
    }

    /** The service's topics created first (the client checks them at start). */
    private OrchestratorSettings settingsAfterTopics(ServiceConfig config) {
        TopicSetup.ensureTopics(config);
        return settings(config);
    }

    @Test
    @Timeout(60)
    void aDecisionThatDoesNotComeTimesOutSayingWhy() throws Exception {
        ServiceConfig config = config("timeout", dir.resolve("state"));
        try (OrchestratorClient client = OrchestratorClient.start(settingsAfterTopics(config)
                .withDecisionTimeout(Duration.ofMillis(800)))) {   // no service runs
            CompletableFuture<DecisionRecord> f = client.send(event("tim", 1, RegulatorFlow.T0,
                    new AgentEvent.TurnStart("hello")));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            DecisionTimeoutException timeout = assertInstanceOf(DecisionTimeoutException.class, e.getCause());
            assertTrue(timeout.getMessage().startsWith("no decision for event tim-1 of user tim within 800 ms ("
                    + config.get(ServiceConfig.DECISIONS_TOPIC) + " partition " + client.partitionOf("tim")
                    + "); the service may be down, restarting or lagging"), timeout.getMessage());
            assertEquals(1, client.timeouts());
            assertEquals(0, client.inFlight());
        }
    }

    @Test
    @Timeout(60)
    void closingFailsTheEventsInFlightSendsBufferedTokensAndRefusesMore() throws Exception {
        ServiceConfig config = config("close", dir.resolve("state"));
        OrchestratorClient client = OrchestratorClient.start(settingsAfterTopics(config));   // no service runs
        CompletableFuture<DecisionRecord> pending = client.send(event("cleo", 1, RegulatorFlow.T0,
                new AgentEvent.TurnStart("hello")));
        client.token(TestEvent.user("cleo").session("cleo-s1").at(RegulatorFlow.T0 + 1)
                .of(new AgentEvent.Token("w", -0.5, 1)));
        assertEquals(0, client.tokenBatches(), "buffered");
        client.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
        assertEquals("the orchestrator client was closed before the decision of event cleo-1 of user cleo arrived",
                assertInstanceOf(IllegalStateException.class, e.getCause()).getMessage());
        assertEquals(1, client.tokenBatches(), "the buffered token, sent at close");
        assertThrows(IllegalStateException.class, () -> client.send(event("cleo", 2, RegulatorFlow.T0 + 2,
                new AgentEvent.QualityFeedback(0.5))));
        client.close();   // again: nothing happens
        List<String> sent = RegulatorFlow.readCommitted(kafka.bootstrapServers(), config.get(ServiceConfig.INPUT_TOPIC), 2)
                .stream().map(r -> r.value()).toList();
        assertEquals(2, sent.size(), "the event, then the token batch: " + sent);
        assertTrue(sent.get(0).contains("\"cleo-1\"") && sent.get(1).contains("\"token_batch\""), sent.toString());
    }

    @Test
    @Timeout(120)
    void topicsWithDifferentPartitionCountsAreRefusedByTheClientAndByRun() throws Exception {
        ServiceConfig config = config("mismatch", dir.resolve("state"));
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisions = config.get(ServiceConfig.DECISIONS_TOPIC);
        kafka.createTopics(6, input);
        kafka.createTopics(3, decisions);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OrchestratorClient.start(settings(config)));
        assertEquals("topic " + decisions + " has 3 partitions but " + input + " has 6; the client reads a user's "
                + "decisions in the partition numbered as their events', which needs equal counts (the service refuses "
                + "to start otherwise)", e.getMessage());

        Properties file = new Properties();
        file.putAll(RegulatorFlow.flags(kafka.bootstrapServers(), config.get(ServiceConfig.APPLICATION_ID),
                dir.resolve("cli-state"), input.substring("agent-events-".length())));
        Path properties = dir.resolve("service.properties");
        try (Writer w = Files.newBufferedWriter(properties)) {
            file.store(w, null);
        }
        CliRun run = CliRun.of("run", "--config-file", properties.toString(), "--http-port", "-1");
        assertEquals(1, run.exitCode(), run.stderr());
        List<String> errors = run.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(List.of("error: topic " + decisions + " has 3 partitions but " + input + " has 6; they must have "
                + "the same number, so that each user's decisions are in the partition numbered as their events' "
                + "(orchestrators rely on it): recreate " + decisions + " with 6 partitions, or use topics created by "
                + "the service"), errors);
        assertTrue(!run.stderr().contains("\tat "), "no stack trace: " + run.stderr());
    }
}
