package io.noos.streams.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.Json;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    private static TestKafkaCluster cluster;
    private static HttpServer receiver;
    private static final List<String[]> taken = Collections.synchronizedList(new ArrayList<>()); // path, key, body
    private static final AtomicInteger failuresLeft = new AtomicInteger(2);
    private static final AtomicInteger failed = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestKafkaCluster.start();
        cluster.createTopics(2, TOPIC);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (String path : new String[] {"/hook", "/slack"}) {
            receiver.createContext(path, ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int status = 200;
                if (path.equals("/hook") && failuresLeft.getAndDecrement() > 0) {
                    status = 503;   // the receiver is down for two posts, then recovers
                    failed.incrementAndGet();
                } else {
                    taken.add(new String[] {path, ex.getRequestHeaders().getFirst("Idempotency-Key"),
                            new String(body, java.nio.charset.StandardCharsets.UTF_8)});
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
        }
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (cluster != null) {
            cluster.close();
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
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (DecisionRecord r : records) {
                producer.send(new ProducerRecord<>(TOPIC, r.userId(), DecisionRecordJson.toBytes(r)));
            }
            producer.flush();
        }
    }

    private static AlertsRunner runner(List<Thread> threads) {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", cluster.bootstrapServers());
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        AlertSettings settings = AlertSettings.from(Map.of(
                AlertSettings.WEBHOOK_PREFIX + "ops.url", base + "/hook",
                AlertSettings.WEBHOOK_PREFIX + "chat.url", base + "/slack",
                AlertSettings.WEBHOOK_PREFIX + "chat.format", "slack",
                AlertSettings.BACKOFF_MS, "50",
                AlertSettings.START, "earliest",
                AlertSettings.GROUP_ID, "alerts-it"), TOPIC, WireFormat.JSON);
        AlertsRunner runner = new AlertsRunner(kafka, settings);
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
        synchronized (taken) {
            return taken.stream().filter(t -> t[0].equals(path)).map(t -> t[1]).toList();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (!done.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void alertsOncePerRuleThroughAFailingReceiverAndARestart() throws Exception {
        List<Thread> threads = new ArrayList<>();
        produce(record("u1", 1, loop()), record("u1", 1, loop()), record("u1", 1, loop()),
                record("u2", 3, warn(80)), record("u2", 4, warn(80)),
                record("u1", 1, Decision.Continue.INSTANCE));
        AlertsRunner first = runner(threads);
        await("two alerts on each webhook", () -> keys("/hook").size() == 2 && keys("/slack").size() == 2);
        assertEquals(2, failed.get(), "the JSON webhook failed twice and the alert was retried");
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
        synchronized (taken) {
            for (String[] t : taken) {
                assertFalse(t[2].contains(SECRET), "no user text: " + t[2]);
                assertTrue(t[2].contains(t[1]), "the idempotency key is in the body too");
                JsonNode body = Json.mapper().readTree(t[2]);
                if (t[0].equals("/slack")) {
                    assertTrue(body.get("text").isTextual(), "Slack-compatible: " + t[2]);
                } else {
                    assertTrue(body.has("alert") && body.has("user_id"), t[2]);
                }
            }
            List<String> types = taken.stream().filter(t -> t[0].equals("/hook"))
                    .map(t -> { try { return Json.mapper().readTree(t[2]).get("alert").asText(); }
                                catch (IOException e) { throw new RuntimeException(e); } }).sorted().toList();
            assertEquals(List.of("budget_warning", "budget_warning", "circuit_break", "circuit_break", "circuit_break",
                    "operator_halt"), types);
        }
    }
}
