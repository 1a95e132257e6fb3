package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.JsonTrees.tree;
import static io.noos.streams.testkit.RegulatorFlow.DRIFTING_RESPONSE;
import static io.noos.streams.testkit.RegulatorFlow.LOOP_TOOL;
import static io.noos.streams.testkit.RegulatorFlow.TASK;
import static io.noos.streams.testkit.RegulatorFlow.cost;
import static io.noos.streams.testkit.RegulatorFlow.quality;
import static io.noos.streams.testkit.RegulatorFlow.toolCall;
import static io.noos.streams.testkit.RegulatorFlow.toolResult;
import static io.noos.streams.testkit.RegulatorFlow.turnComplete;
import static io.noos.streams.testkit.RegulatorFlow.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.KafkaRoundTrip;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event time never stalls processing, on the in-process broker with its default timestamp
 * validation (Kafka 4: CreateTime at most one hour ahead of the broker's clock): good events of a
 * few users interleaved with envelopes whose {@code at_ms} is far in the future, negative,
 * {@code Long.MAX_VALUE}, in microseconds or nanoseconds, and far in the past. Once on the topics
 * the service creates (LogAppendTime), once on topics created beforehand with the broker's default
 * settings (CreateTime). Every good event and the far-past ones are decided exactly as the
 * uninterrupted reference run of the accepted events, every implausible one is dead-lettered once
 * with a reason naming its value, and every record the service wrote carries a time the broker took.
 */
class EventTimeIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String KIND_HEADER = "test.event-time.kind";
    private static final long MAX_FUTURE_MS = 300_000;

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path dir;

    @Test
    @Timeout(150)
    void onTopicsTheServiceCreates() throws Exception {
        run("created", false);
    }

    @Test
    @Timeout(150)
    void onTopicsCreatedBeforehandWithDefaultSettings() throws Exception {
        run("precreated", true);
    }

    /** An envelope whose at_ms the service must refuse, and what its reason must say. */
    private record Implausible(String kind, String user, long atMs, String event, List<String> reasonHas,
                               List<String> reasonHasNot) {
        byte[] json() {
            return ("{\"event_id\":\"" + kind + "\",\"user_id\":\"" + user + "\",\"agent_id\":\"agent-" + user
                    + "\",\"session_id\":\"s1\",\"at_ms\":" + atMs + ",\"event\":" + event + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private void run(String name, boolean precreate) throws Exception {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-time-" + suffix,
                dir.resolve("state"), suffix).with(ServiceConfig.TOPIC_PARTITIONS, "2");
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
        String dlqTopic = config.get(ServiceConfig.DLQ_TOPIC);
        if (precreate) {
            kafka.createTopics(2, input, decisionsTopic, dlqTopic, config.get(ServiceConfig.POLICIES_TOPIC),
                    config.get(ServiceConfig.FLEET_STATS_TOPIC));
            for (String topic : List.of(input, decisionsTopic, dlqTopic)) {
                assertEquals("CreateTime", timestampType(topic), topic + " keeps the broker's default");
            }
        }

        long now = System.currentTimeMillis();
        long base = now - 60_000;
        String turnStart = "{\"type\":\"turn_start\",\"user_message\":\"" + TASK + "\"}";
        String loopCall = "{\"type\":\"tool_call\",\"tool_name\":\"" + LOOP_TOOL + "\",\"args_json\":null}";
        long farFuture = now + 86_400_000L;
        long micros = now * 1_000;
        long nanos = now * 1_000_000;
        List<Implausible> bad = List.of(
                new Implausible("far-future", "ana", farFuture, turnStart,
                        List.of("at_ms " + farFuture, "noos.event.time.max.future.ms=" + MAX_FUTURE_MS),
                        List.of("microseconds", "nanoseconds")),
                new Implausible("negative", "ben", -1_000, loopCall, List.of("at_ms", "-1000", "negative"), List.of()),
                new Implausible("long-max", "ben", Long.MAX_VALUE, loopCall,
                        List.of("at_ms " + Long.MAX_VALUE, "noos.event.time.max.future.ms=" + MAX_FUTURE_MS),
                        List.of("microseconds", "nanoseconds")),
                new Implausible("microseconds", "zed", micros, turnStart,
                        List.of("at_ms " + micros, "noos.event.time.max.future.ms=" + MAX_FUTURE_MS, "microseconds"),
                        List.of("nanoseconds")),
                new Implausible("nanoseconds", "zed", nanos, turnStart,
                        List.of("at_ms " + nanos, "nanoseconds"), List.of("microseconds")));

        // Good events around them; ana's and old's include far-past times, which are accepted.
        List<EventEnvelope> ana = List.of(
                envelope("ana", 1, base + 1_000, turnStart(TASK)),
                envelope("ana", 2, base + 2_000, turnComplete(DRIFTING_RESPONSE)),   // drift 1.0 (spec §8)
                envelope("ana", 3, 1, quality(0.9)),                                 // far past, decided
                envelope("ana", 4, base + 4_000, cost(350, 120, 900)));
        List<EventEnvelope> ben = new ArrayList<>();
        ben.add(envelope("ben", 1, base + 1_000, turnStart("find the retry policy in the service docs")));
        for (int i = 0; i < 5; i++) {   // the 5th same-name call breaks (§11); a refused call must not count
            ben.add(envelope("ben", 2 + 2 * i, base + 2_000 + 2_000L * i, toolCall(LOOP_TOOL)));
            ben.add(envelope("ben", 3 + 2 * i, base + 3_000 + 2_000L * i, toolResult(LOOP_TOOL)));
        }
        List<EventEnvelope> zed = List.of(
                envelope("zed", 1, base + 5_000, turnStart("explain tokio runtime rust async")),
                envelope("zed", 2, base + 6_000, turnComplete("the tokio runtime schedules async rust tasks")));
        List<EventEnvelope> old = List.of(
                envelope("old", 1, 0, turnStart("summarize the quarterly report")),
                envelope("old", 2, 1, turnComplete("quarterly report summary")));
        List<EventEnvelope> good = RegulatorFlow.interleave(ana, ben, zed, old);
        Map<String, List<String>> expected = RegulatorFlow.expectedDecisions(good, config.topologySettings());

        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(STARTUP), "RUNNING: " + service.streams().state());
            long produced = System.currentTimeMillis();
            produceInterleaved(input, good, bad);

            List<ConsumerRecord<String, String>> decisions = KafkaRoundTrip.readCommitted(kafka.bootstrapServers(),
                    decisionsTopic, RegulatorFlow.decidedCount(good), RegulatorFlow.LINGER, RegulatorFlow.READ_TIMEOUT);
            List<ConsumerRecord<String, String>> dead = KafkaRoundTrip.readCommitted(kafka.bootstrapServers(),
                    dlqTopic, bad.size(), RegulatorFlow.LINGER, RegulatorFlow.READ_TIMEOUT);
            long read = System.currentTimeMillis();

            assertEquals(KafkaStreams.State.RUNNING, service.streams().state(), "the service is still running");
            for (ConsumerRecord<String, String> d : decisions) {
                String id = tree(d.value()).get("event_id").asText();
                assertTrue(bad.stream().noneMatch(b -> b.kind().equals(id)), "an implausible event was decided: " + id);
            }
            RegulatorFlow.assertDecisions(expected, decisions);
            assertEquals("scope_drift_warn", RegulatorFlow.decisionFor(RegulatorFlow.valuesByKey(decisions), "ana-3")
                    .get("decision").get("kind").asText(), "the far-past event is decided, on ana's drifted turn");
            assertDeadLetters(bad, dead);
            for (ConsumerRecord<?, ?> r : concat(decisions, dead)) {
                assertTrue(r.timestamp() >= produced - 1_000 && r.timestamp() <= read,
                        "a written record's time is its input's arrival, not at_ms: " + r.timestamp());
            }
        }
    }

    private static EventEnvelope envelope(String user, int seq, long atMs, AgentEvent event) {
        return TestEvent.user(user).id(user + "-" + seq).agent("agent-" + user).session("s1").at(atMs).of(event);
    }

    /** The good events in order, each implausible one after a fifth of them more (none first). */
    private static void produceInterleaved(String topic, List<EventEnvelope> good, List<Implausible> bad) {
        try (KafkaProducer<String, byte[]> producer = RegulatorFlow.producer(kafka.bootstrapServers())) {
            int nextBad = 0;
            for (int i = 0; i < good.size(); i++) {
                EventEnvelope e = good.get(i);
                producer.send(new ProducerRecord<>(topic, e.userId(), EnvelopeJson.toBytes(e)));
                while (nextBad < bad.size() && (long) (nextBad + 1) * good.size() / (bad.size() + 1) <= i) {
                    Implausible b = bad.get(nextBad++);
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, b.user(), b.json());
                    record.headers().add(KIND_HEADER, b.kind().getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
            }
            producer.flush();
            assertEquals(bad.size(), nextBad, "every implausible record was sent");
        }
    }

    private static void assertDeadLetters(List<Implausible> bad, List<ConsumerRecord<String, String>> dead) {
        Map<String, ConsumerRecord<String, String>> byKind = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : dead) {
            String kind = RegulatorFlow.header(r, KIND_HEADER);
            assertNotNull(kind, "a good event was dead-lettered: " + RegulatorFlow.header(r, RegulatorFlow.DLQ_REASON_HEADER));
            assertTrue(byKind.put(kind, r) == null, "dead-lettered twice: " + kind);
        }
        assertEquals(bad.stream().map(Implausible::kind).collect(Collectors.toSet()), byKind.keySet(),
                "each implausible record, once");
        for (Implausible b : bad) {
            ConsumerRecord<String, String> r = byKind.get(b.kind());
            String reason = RegulatorFlow.header(r, RegulatorFlow.DLQ_REASON_HEADER);
            System.out.println("event-time " + b.kind() + ": " + reason);
            assertEquals(b.user(), r.key());
            assertEquals(new String(b.json(), StandardCharsets.UTF_8), r.value(), "the raw value is kept");
            assertNotNull(reason, b.kind());
            for (String part : b.reasonHas()) {
                assertTrue(reason.contains(part), b.kind() + ": the reason names " + part + ": " + reason);
            }
            for (String part : b.reasonHasNot()) {
                assertFalse(reason.contains(part), b.kind() + ": no " + part + " hint: " + reason);
            }
        }
    }

    private static List<ConsumerRecord<?, ?>> concat(List<? extends ConsumerRecord<?, ?>> a,
                                                    List<? extends ConsumerRecord<?, ?>> b) {
        List<ConsumerRecord<?, ?>> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String timestampType(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            return config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
        }
    }
}
