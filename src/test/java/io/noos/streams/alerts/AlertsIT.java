package io.noos.streams.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.testkit.Poll;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.WebhookReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts end to end on the in-process KRaft broker and a real HTTP receiver on loopback: one alert
 * per (user, turn, reason) break, per (user, threshold, window) budget warning and per halt, to a
 * generic JSON and a Slack-compatible webhook; the JSON one fails twice and recovers (retried);
 * the runner is stopped after the first alerts and a new one started: nothing sent is sent again,
 * and no user text leaves.
 */
class AlertsIT {
    private static final String TOPIC = "alerts-it-decisions";
    private static final long W = 1_767_225_600_000L;
    private static final String SECRET = "payroll-secret-topic";

    @RegisterExtension
    static final TestKafkaCluster cluster = TestKafkaCluster.perClass();
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        cluster.createTopics(2, TOPIC);
        receiver = WebhookReceiver.start("/hook", "/slack");
        receiver.failNext("/hook", 2);   // the receiver is down for two posts, then recovers
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static DecisionRecord record(String user, long turn, Decision d) {
        return new DecisionRecord(user, "agent-1", "s", null, "tool_call", W + turn, turn, d, null, Map.of());
    }

    private static Decision loop() {
        return new Decision.CircuitBreak(new BreakReason.RepeatedToolCallLoop("search", 5), "stop the loop");
    }

    private static Decision warn(long percent) {
        return new Decision.SpendBudgetWarn("USD", percent * 100_000, 10_000_000, percent, 86_400_000, W);
    }

    private static void produce(DecisionRecord... records) {
        produce(TOPIC, records);
    }

    private static void produce(String topic, DecisionRecord... records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (DecisionRecord r : records) {
                producer.send(new ProducerRecord<>(topic, r.userId(), DecisionRecordJson.toBytes(r)));
            }
            producer.flush();
        }
    }

    private static AlertsRunner runner(List<Thread> threads) {
        String base = receiver.url("");
        return runner(threads, TOPIC, Map.of(
                AlertSettings.WEBHOOK_PREFIX + "ops.url", base + "/hook",
                AlertSettings.WEBHOOK_PREFIX + "chat.url", base + "/slack",
                AlertSettings.WEBHOOK_PREFIX + "chat.format", "slack",
                AlertSettings.BACKOFF_MS, "50",
                AlertSettings.START, "earliest",
                AlertSettings.GROUP_ID, "alerts-it"));
    }

    private static AlertsRunner runner(List<Thread> threads, String topic, Map<String, String> alertKeys) {
        return runner(threads, topic, alertKeys, Map.of());
    }

    private static AlertsRunner runner(List<Thread> threads, String topic, Map<String, String> alertKeys,
                                       Map<String, String> clientSettings) {
        Properties kafka = new Properties();
        kafka.putAll(clientSettings);
        kafka.put("bootstrap.servers", cluster.bootstrapServers());
        AlertsRunner runner = new AlertsRunner(kafka, AlertSettings.from(alertKeys, topic, WireFormat.JSON));
        Thread t = new Thread(() -> {
            try {
                runner.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "alerts-it-runner");
        t.start();
        threads.add(t);
        return runner;
    }

    private static List<String> keys(String path) {
        return receiver.keys(path);
    }

    private static void await(String what, BooleanSupplier done) throws Exception {
        Poll.until(what, Duration.ofSeconds(60), done::getAsBoolean);
    }

    @Test
    void alertsOncePerRuleThroughAFailingReceiverAndARestart() throws Exception {
        List<Thread> threads = new ArrayList<>();
        produce(record("u1", 1, loop()), record("u1", 1, loop()), record("u1", 1, loop()),
                record("u2", 3, warn(80)), record("u2", 4, warn(80)),
                record("u1", 1, Decision.Continue.INSTANCE));
        AlertsRunner first = runner(threads);
        await("two alerts on each webhook", () -> keys("/hook").size() == 2 && keys("/slack").size() == 2);
        assertEquals(2, receiver.refused(), "the JSON webhook failed twice and the alert was retried");
        first.close();
        threads.get(0).join(30_000);
        assertFalse(threads.get(0).isAlive());

        // While no runner runs: repeats of what was sent, and new alerts.
        produce(record("u1", 1, loop()), record("u2", 5, warn(80)), record("u2", 6, warn(95)),
                record("u3", 1, new Decision.CircuitBreak(new BreakReason.OperatorHalt("*", "incident 7"), "halted")),
                record("u4", 1, new Decision.CircuitBreak(new BreakReason.OperatorHalt("*", "incident 7"), "halted")),
                record("u1", 2, loop()),
                record("u5", 1, new Decision.CircuitBreak(new BreakReason.RepeatedFailurePattern(SECRET, 3), "s")));
        AlertsRunner second = runner(threads);
        await("six alerts on each webhook", () -> keys("/hook").size() == 6 && keys("/slack").size() == 6);
        Thread.sleep(1_500);   // anything sent twice would arrive by now
        second.close();
        threads.get(1).join(30_000);

        List<String> hook = keys("/hook");
        assertEquals(6, hook.size(), "one alert per rule, none repeated across the restart: " + hook);
        assertEquals(6, hook.stream().distinct().count());
        assertEquals(hook.stream().sorted().toList(), keys("/slack").stream().sorted().toList(), "the same alerts on both");
        List<WebhookReceiver.Post> taken = new ArrayList<>(receiver.posts("/hook"));
        taken.addAll(receiver.posts("/slack"));
        for (WebhookReceiver.Post t : taken) {
            assertFalse(t.body().contains(SECRET), "no user text: " + t.body());
            assertTrue(t.body().contains(t.idempotencyKey()), "the idempotency key is in the body too");
            JsonNode body = t.json();
            if (t.path().equals("/slack")) {
                assertTrue(body.get("text").isTextual(), "Slack-compatible: " + t.body());
            } else {
                assertTrue(body.has("alert") && body.has("user_id"), t.body());
            }
        }
        List<String> types = receiver.posts("/hook").stream().map(t -> t.json().get("alert").asText()).sorted().toList();
        assertEquals(List.of("budget_warning", "budget_warning", "circuit_break", "circuit_break", "circuit_break",
                "operator_halt"), types);
    }

    /**
     * A new group's first start (at the topic's end) commits where it starts before reading: the
     * runner reads decisions written after it started, cannot deliver them (the receiver is down),
     * stops without having committed any alert, and the next start resumes there: each of those
     * alerts is delivered exactly once; a decision written before the first start is not alerted.
     */
    @Test
    void aFirstStartCommitsItsStartSoAStopBeforeTheFirstAlertLosesNone() throws Exception {
        String topic = "alerts-it-first-start";
        cluster.createTopics(2, topic);
        produce(topic, record("u0", 1, loop()));   // before the group's first start: at the end, not alerted
        List<Thread> threads = new ArrayList<>();
        try (WebhookReceiver down = WebhookReceiver.start("/hook")) {
            Map<String, String> keys = Map.of(AlertSettings.WEBHOOK_PREFIX + "ops.url", down.url("/hook"),
                    AlertSettings.BACKOFF_MS, "50", AlertSettings.GROUP_ID, "alerts-it-first-start");
            down.down(true);
            AlertsRunner first = runner(threads, topic, keys);
            assertTrue(first.awaitStarted(Duration.ofSeconds(60)), "the first runner started");
            produce(topic, record("u1", 1, loop()), record("u2", 3, warn(80)), record("u1", 1, loop()),
                    record("u3", 2, loop()));
            await("the first runner tried to post", () -> down.refused() >= 1);
            first.close();
            threads.get(0).join(30_000);
            assertFalse(threads.get(0).isAlive());
            assertEquals(List.of(), down.keys("/hook"), "nothing delivered before the stop");

            down.down(false);
            AlertsRunner second = runner(threads, topic, keys);
            await("three alerts", () -> down.keys("/hook").size() == 3);
            Thread.sleep(1_500);   // anything sent twice would arrive by now
            second.close();
            threads.get(1).join(30_000);

            List<WebhookReceiver.Post> posts = down.posts("/hook");
            assertEquals(3, posts.size(), "each alert once: " + posts);
            assertEquals(3, posts.stream().map(WebhookReceiver.Post::idempotencyKey).distinct().count());
            assertEquals(List.of("u1 circuit_break 1", "u2 budget_warning 3", "u3 circuit_break 2"),
                    posts.stream().map(p -> p.json().get("user_id").asText() + " " + p.json().get("alert").asText() + " "
                            + p.json().get("turn").asLong()).sorted().toList());
        }
    }

    /**
     * Partitions added to the decisions topic are read from their beginning: one added while the
     * runner runs (seen at a metadata refresh, here every 500 ms) and one added while it is stopped
     * (the group has offsets for the others, so its lack of one means it is new).
     */
    @Test
    void partitionsAddedWhileRunningOrStoppedAreReadFromTheirBeginning() throws Exception {
        String topic = "alerts-it-added-partitions";
        cluster.createTopics(1, topic);
        List<Thread> threads = new ArrayList<>();
        try (WebhookReceiver hooks = WebhookReceiver.start("/hook");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            Map<String, String> keys = Map.of(AlertSettings.WEBHOOK_PREFIX + "ops.url", hooks.url("/hook"),
                    AlertSettings.BACKOFF_MS, "50", AlertSettings.GROUP_ID, "alerts-it-added-partitions");
            AlertsRunner first = runner(threads, topic, keys, Map.of("metadata.max.age.ms", "500"));
            assertTrue(first.awaitStarted(Duration.ofSeconds(60)), "the first runner started");
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all().get();
            produceTo(topic, 1, record("u1", 1, loop()));
            await("the alert of the partition added while running", () -> hooks.keys("/hook").size() == 1);
            first.close();
            threads.get(0).join(30_000);
            assertFalse(threads.get(0).isAlive());

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
            produceTo(topic, 2, record("u2", 1, loop()));
            AlertsRunner second = runner(threads, topic, keys, Map.of());
            await("the alert of the partition added while stopped", () -> hooks.keys("/hook").size() == 2);
            Thread.sleep(1_500);   // anything sent twice would arrive by now
            second.close();
            threads.get(1).join(30_000);
            assertEquals(List.of("u1", "u2"), hooks.posts("/hook").stream().map(p -> p.json().get("user_id").asText())
                    .toList(), "each once");
        }
    }

    private static void produceTo(String topic, int partition, DecisionRecord r) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, partition, r.userId(), DecisionRecordJson.toBytes(r)));
            producer.flush();
        }
    }
}
