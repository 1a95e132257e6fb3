package io.noos.streams.testkit;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.noos.streams.clients.CommittedTopicReader;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.serde.RecordSizeLimit;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Shared pieces of the service's integration tests (embedded broker and Testcontainers): the test
 * configuration, scripted agent events built with {@link EnvelopeJson}'s envelope, producing them
 * keyed by user, reading the outputs {@code read_committed}, and the reference outcome computed by
 * the Kafka-free {@link UserDecider}.
 *
 * <p>Not a test itself (no {@code *Test}/{@code *IT} name), so neither surefire nor failsafe runs it.
 */
public final class RegulatorFlow {
    /** Event time of the first scripted event: 2026-01-01T00:00:00Z. */
    public static final long T0 = 1_767_225_600_000L;
    /** The cost cap the tests run with, so a budget scenario needs only a few events. */
    public static final long COST_CAP = 1_000;
    /** The dead-letter header carrying the reason (RegulatorProcessor.HEADER_REASON). */
    public static final String DLQ_REASON_HEADER = "noos.dlq.reason";
    public static final Duration LINGER = Duration.ofMillis(1_500);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(45);

    public static final String TASK = "refactor this function to be async";
    public static final String DRIFTING_RESPONSE = "add logging and error handling";
    public static final String LOOP_TOOL = "search_docs";

    private RegulatorFlow() {
    }

    // ------------------------------------------------------------------ configuration

    /**
     * The service's configuration as the CLI would build it ({@code ServiceConfig.load(null,
     * Map.of(), flags)}): exactly-once v2, topics named after {@code topicSuffix} so tests sharing a
     * cluster never see each other's records, the test cost cap, and a short consumer session so a
     * restarted instance replaces a closed one (which stays in the group, Streams' default) quickly.
     */
    public static ServiceConfig config(String bootstrapServers, String applicationId, Path stateDir,
                                       String topicSuffix) throws IOException {
        return ServiceConfig.load(null, Map.of(), flags(bootstrapServers, applicationId, stateDir, topicSuffix));
    }

    /** The flags layer of {@link #config}, for tests that add a file or environment layer. */
    public static Map<String, String> flags(String bootstrapServers, String applicationId, Path stateDir,
                                            String topicSuffix) {
        Map<String, String> flags = new HashMap<>();
        flags.put(ServiceConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        flags.put(ServiceConfig.APPLICATION_ID, applicationId);
        flags.put(ServiceConfig.STATE_DIR, stateDir.toString());
        flags.put(ServiceConfig.PROCESSING_GUARANTEE, "exactly_once_v2");
        flags.put(ServiceConfig.INPUT_TOPIC, "agent-events-" + topicSuffix);
        flags.put(ServiceConfig.DECISIONS_TOPIC, "regulator-decisions-" + topicSuffix);
        flags.put(ServiceConfig.DLQ_TOPIC, "regulator-dlq-" + topicSuffix);
        flags.put(ServiceConfig.POLICIES_TOPIC, "regulator-policies-" + topicSuffix);
        flags.put(ServiceConfig.FLEET_STATS_TOPIC, "regulator-fleet-stats-" + topicSuffix);
        flags.put(ServiceConfig.AGENT_SPEND_TOPIC, "regulator-agent-spend-" + topicSuffix);
        flags.put(ServiceConfig.COST_CAP, Long.toString(COST_CAP));
        flags.put(ServiceConfig.HTTP_PORT, "0");
        flags.put(ServiceConfig.HTTP_HOST, "127.0.0.1");
        flags.put("commit.interval.ms", "100");
        flags.put("session.timeout.ms", "6000");
        flags.put("heartbeat.interval.ms", "1000");
        return flags;
    }

    // ------------------------------------------------------------------ scripted events

    /** Builds one user's events: ids {@code <user>-<n>} from 1, event time advancing 1 s per event. */
    public static final class Agent {
        private final String user;
        private final String session;
        private final List<EventEnvelope> events = new ArrayList<>();
        private int seq;

        public Agent(String user) {
            this(user, "s1");
        }

        public Agent(String user, String session) {
            this.user = user;
            this.session = session;
        }

        public Agent then(AgentEvent event) {
            return add(new EnvelopeEvent.Single(event));
        }

        public Agent tokens(double... logprobs) {
            return add(new EnvelopeEvent.TokenBatch(logprobs));
        }

        private Agent add(EnvelopeEvent event) {
            seq++;
            events.add(TestEvent.user(user).id(user + "-" + seq).agent("agent-" + user).session(session).at(T0 + seq * 1_000L).of(event));
            return this;
        }

        /** The events added since the last call (a script can be cut into phases). */
        public List<EventEnvelope> take() {
            List<EventEnvelope> out = List.copyOf(events);
            events.clear();
            return out;
        }

        public String user() {
            return user;
        }
    }

    public static AgentEvent.TurnStart turnStart(String message) {
        return new AgentEvent.TurnStart(message);
    }

    public static AgentEvent.TurnComplete turnComplete(String response) {
        return new AgentEvent.TurnComplete(response);
    }

    public static AgentEvent.Cost cost(long in, long out, long wallclockMs) {
        return new AgentEvent.Cost(in, out, wallclockMs, "openai");
    }

    public static AgentEvent.QualityFeedback quality(double q) {
        return new AgentEvent.QualityFeedback(q);
    }

    public static AgentEvent.ToolCall toolCall(String name) {
        return new AgentEvent.ToolCall(name, "{\"query\":\"retry policy\"}");
    }

    public static AgentEvent.ToolResult toolResult(String name) {
        return new AgentEvent.ToolResult(name, true, 40, null);
    }

    public static AgentEvent.UserCorrection correction(String text) {
        return new AgentEvent.UserCorrection(text, true);
    }

    public static AgentEvent.Token token(String text, double logprob, long index) {
        return new AgentEvent.Token(text, logprob, index);
    }

    /** Interleaves the users' event lists round-robin, keeping each user's own order. */
    @SafeVarargs
    public static List<EventEnvelope> interleave(List<EventEnvelope>... perUser) {
        List<Iterator<EventEnvelope>> its = new ArrayList<>();
        for (List<EventEnvelope> l : perUser) {
            its.add(l.iterator());
        }
        List<EventEnvelope> out = new ArrayList<>();
        boolean any = true;
        while (any) {
            any = false;
            for (Iterator<EventEnvelope> it : its) {
                if (it.hasNext()) {
                    out.add(it.next());
                    any = true;
                }
            }
        }
        return out;
    }

    /**
     * The fleet of the basic scenario, interleaved: ana drifts off task, ben loops on one tool, cleo
     * burns past the cap while quality falls, dev gets corrected three times, eve is healthy.
     */
    public static List<EventEnvelope> fleet() {
        Agent ana = new Agent("ana")
                .then(turnStart(TASK))
                .tokens(-0.1, -0.2, -0.3)
                .then(token("x", -0.5, 3))
                .then(turnComplete(DRIFTING_RESPONSE))
                .then(cost(350, 120, 900));
        Agent ben = new Agent("ben").then(turnStart("find the retry policy in the service docs"));
        for (int i = 0; i < 5; i++) {
            ben.then(toolCall(LOOP_TOOL)).then(toolResult(LOOP_TOOL));
        }
        Agent cleo = new Agent("cleo")
                .then(turnStart("summarize the quarterly report"))
                .then(turnComplete("quarterly report summary: revenue grew"))
                .then(cost(200, 1_200, 4_000))
                .then(quality(0.3))
                .then(quality(0.2))
                .then(quality(0.1));
        Agent dev = new Agent("dev")
                .then(turnStart(TASK))
                .then(correction("no logging"))
                .then(correction("stop logging"))
                .then(correction("really no logs"))
                .then(turnStart("make the function async"));
        Agent eve = new Agent("eve")
                .then(turnStart("explain tokio runtime rust async"))
                .tokens(-0.05, -0.1, Double.NaN, 0.0)
                .then(turnComplete("the tokio runtime schedules async rust tasks"))
                .then(cost(40, 80, 600))
                .then(quality(0.9));
        return interleave(ana.take(), ben.take(), cleo.take(), dev.take(), eve.take());
    }

    // ------------------------------------------------------------------ Kafka side

    /** Sends the envelopes as JSON keyed by user id, in list order, and waits for the acks. */
    public static void produce(String bootstrapServers, String topic, List<EventEnvelope> events) {
        produce(bootstrapServers, Map.of(), topic, events);
    }

    /** {@link #produce(String, String, List)} with extra client settings (e.g. SASL). */
    public static void produce(String bootstrapServers, Map<String, ?> clientProperties, String topic,
                               List<EventEnvelope> events) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers, clientProperties)) {
            for (EventEnvelope e : events) {
                producer.send(new ProducerRecord<>(topic, e.userId(), EnvelopeJson.toBytes(e)));
            }
            producer.flush();
        }
    }

    /** Sends one raw value (for records that are not envelopes). */
    public static void produceRaw(String bootstrapServers, String topic, String key, String value) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers, Map.of())) {
            producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    /** An idempotent producer (acks all) of string keys and byte values, for records sent in order. */
    public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return producer(bootstrapServers, Map.of());
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers, Map<String, ?> clientProperties) {
        return new KafkaProducer<>(producerConfig(bootstrapServers, clientProperties), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** {@link #producer(String)} with keys as bytes too (keys that are not UTF-8, or none). */
    public static KafkaProducer<byte[], byte[]> rawProducer(String bootstrapServers) {
        return new KafkaProducer<>(producerConfig(bootstrapServers, Map.of()), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static Map<String, Object> producerConfig(String bootstrapServers, Map<String, ?> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        return config;
    }

    /** Reads a topic from the start, read_committed, until {@code expected} records and a linger. */
    public static List<ConsumerRecord<String, String>> readCommitted(String bootstrapServers, String topic,
                                                                     int expected) {
        return KafkaRoundTrip.readCommitted(bootstrapServers, topic, expected, LINGER, READ_TIMEOUT);
    }

    /**
     * Reads a topic from the start, read_committed, keys and values as the bytes they are (dead
     * letters keep a key as received), until {@code expected} records or {@code idle} without one,
     * then a linger to catch extras.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommittedRaw(String bootstrapServers, String topic,
                                                                        int expected, Duration idle)
            throws IOException {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (CommittedTopicReader reader = new CommittedTopicReader(client, topic, true)) {
            reader.read(idle, expected, records::add);
            reader.read(LINGER, Long.MAX_VALUE, records::add);   // anything extra
        }
        return records;
    }

    /** Record values grouped by key, each key's values in the order read (its partition's order). */
    public static Map<String, List<String>> valuesByKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<String>> out = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return out;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The record that is not JSON among the fleet's events ({@link #assertFleetAndTheBadRecord}). */
    public static final String NOT_JSON = "{not json";
    public static final String NOT_JSON_KEY = "mallory";

    /**
     * On a service given {@code events} and mallory's {@link #NOT_JSON}: every event decided as
     * {@code expected} says and the fleet's scenarios hold, and the one dead letter is the bad
     * record, key and value as sent, with the JSON parser's reason.
     */
    public static void assertFleetAndTheBadRecord(String bootstrapServers, ServiceConfig config, List<EventEnvelope> events,
                                                  Map<String, List<String>> expected) {
        List<ConsumerRecord<String, String>> decisions = readCommitted(bootstrapServers,
                config.get(ServiceConfig.DECISIONS_TOPIC), decidedCount(events));
        assertDecisions(expected, decisions);
        assertFleetScenarios(valuesByKey(decisions));

        List<ConsumerRecord<String, String>> dead = readCommitted(bootstrapServers, config.get(ServiceConfig.DLQ_TOPIC), 1);
        assertEquals(1, dead.size(), "exactly the bad record is dead-lettered: " + dead);
        ConsumerRecord<String, String> bad = dead.get(0);
        assertEquals(NOT_JSON_KEY, bad.key());
        assertEquals(NOT_JSON, bad.value(), "the raw value is kept");
        assertEquals(notValidJsonReason(NOT_JSON.getBytes(StandardCharsets.UTF_8)), header(bad, DLQ_REASON_HEADER));
    }

    /**
     * Asserts {@code reason} is the refusal of an event whose effect (what {@code reasonStart} names,
     * up to "would be ") would not fit in a record under {@code max.request.size=maxRequestSize}. The
     * size itself is the encoded state's or decision's, fixed by no rule: it must only exceed the limit.
     */
    public static void assertTooLargeReason(String reason, String reasonStart, int maxRequestSize) {
        int usable = maxRequestSize - RecordSizeLimit.MARGIN;
        Matcher m = Pattern.compile(Pattern.quote(reasonStart) + "(\\d+)" + Pattern.quote(" bytes, more than the " + usable
                + " bytes a record may have (max.request.size=" + maxRequestSize + ", less a margin of "
                + RecordSizeLimit.MARGIN + "); the event is not applied")).matcher(reason);
        assertTrue(m.matches(), reason);
        assertTrue(Long.parseLong(m.group(1)) > usable, reason);
    }

    /**
     * The dead-letter reason of an input record that is not JSON: "not valid JSON: " and the JSON
     * parser's own message for these bytes (where it stops and why; README "Bad input").
     */
    public static String notValidJsonReason(byte[] value) {
        try {
            new ObjectMapper().readTree(value);
        } catch (JsonProcessingException e) {
            return "not valid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("valid JSON: " + new String(value, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ reference outcome

    /** Events that get a decision (all but token and token_batch). */
    public static int decidedCount(List<EventEnvelope> events) {
        return (int) events.stream().filter(e -> !e.event().isTokenLike()).count();
    }

    /**
     * The decisions an uninterrupted run of {@code events} gives, per user in order, as the JSON the
     * decisions topic carries: each user's state threaded through {@link UserDecider} in one pass.
     */
    public static Map<String, List<String>> expectedDecisions(List<EventEnvelope> events, TopologySettings settings) {
        UserDecider decider = new UserDecider(settings.decider());
        Map<String, UserState> states = new HashMap<>();
        Map<String, List<String>> out = new TreeMap<>();
        for (EventEnvelope e : events) {
            UserDecider.Outcome o = decider.apply(states.get(e.userId()), e);
            states.put(e.userId(), o.state());
            DecisionRecord d = o.decision();
            if (d != null) {
                out.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(DecisionRecordJson.toJson(d));
            }
        }
        return out;
    }

    /** The decision record for the event with this id, from a user's decisions. */
    public static JsonNode decisionFor(Map<String, List<String>> byUser, String eventId) {
        String user = eventId.substring(0, eventId.lastIndexOf('-'));
        return byUser.getOrDefault(user, List.of()).stream().map(JsonTrees::tree)
                .filter(n -> eventId.equals(n.get("event_id").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no decision for event " + eventId + " in " + byUser.get(user)));
    }

    /**
     * Exactly one decision per decided event (no event id twice, none missing), every user's
     * decisions in the order of their events, and each equal to the reference run.
     */
    public static void assertDecisions(Map<String, List<String>> expected, List<ConsumerRecord<String, String>> actual) {
        int expectedCount = expected.values().stream().mapToInt(List::size).sum();
        assertEquals(expectedCount, actual.size(), "one decision per non-token event");
        Map<String, List<String>> byUser = valuesByKey(actual);
        assertEquals(expected.keySet(), byUser.keySet(), "users with decisions");
        for (Map.Entry<String, List<String>> e : byUser.entrySet()) {
            String user = e.getKey();
            long previous = 0;
            for (String json : e.getValue()) {
                JsonNode n = tree(json);
                assertEquals(user, n.get("user_id").asText(), "record key is the user id");
                String id = n.get("event_id").asText();
                long seq = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
                assertTrue(seq > previous, user + ": decisions out of order or repeated at " + id + " in " + e.getValue());
                previous = seq;
            }
            assertEquals(expected.get(user), e.getValue(), user + ": decisions differ from the uninterrupted reference run");
        }
    }

    /**
     * The spec's outcomes for {@link #fleet()} (regulator.md §8, §11, §13), on the decisions read
     * from Kafka grouped by user.
     */
    public static void assertFleetScenarios(Map<String, List<String>> byUser) {
        // §8: every response keyword is off task → drift 1.0 (after the turn_complete and still after cost).
        JsonNode drift = decisionFor(byUser, "ana-4").get("decision");
        assertEquals("scope_drift_warn", drift.get("kind").asText(), drift.toString());
        assertEquals(1.0, drift.get("drift_score").asDouble(), drift.toString());
        assertEquals(List.of("handling", "logging", "error"), strings(drift.get("drift_tokens")));
        assertEquals("continue", decisionFor(byUser, "ana-1").get("decision").get("kind").asText());

        // §11: the 5th same-name call breaks (results in between do not reset the run); the 4th does not.
        assertEquals("continue", decisionFor(byUser, "ben-8").get("decision").get("kind").asText(), "4th call");
        JsonNode loop = decisionFor(byUser, "ben-10").get("decision");
        assertEquals("circuit_break", loop.get("kind").asText(), loop.toString());
        assertEquals("repeated_tool_call_loop", loop.get("reason").get("kind").asText(), loop.toString());
        assertEquals(LOOP_TOOL, loop.get("reason").get("tool_name").asText());
        assertEquals(5, loop.get("reason").get("consecutive_count").asInt());

        // §13 rule 1: over the cap, but with fewer than 3 qualities the mean is 1.0 → no cost break yet.
        assertTrue(!isCostBreak(decisionFor(byUser, "cleo-5")), "two qualities: no cost-cap break yet");
        JsonNode budget = decisionFor(byUser, "cleo-6").get("decision");
        assertTrue(isCostBreak(decisionFor(byUser, "cleo-6")), budget.toString());
        assertEquals(1_200, budget.get("reason").get("tokens_spent").asLong());
        assertEquals(COST_CAP, budget.get("reason").get("tokens_cap").asLong());
        assertEquals(0.2, budget.get("reason").get("mean_quality_last_n").asDouble(), 1e-9);

        // §13 rule 5 / §14: three corrections on the topic, then the same topic again.
        JsonNode procedural = decisionFor(byUser, "dev-5");
        assertEquals("procedural_warning", procedural.get("decision").get("kind").asText(), procedural.toString());
        assertEquals(2, procedural.get("turn").asLong());
        assertTrue(procedural.get("prelude").asText().contains("- really no logs"), procedural.toString());
    }

    private static boolean isCostBreak(JsonNode record) {
        JsonNode d = record.get("decision");
        return "circuit_break".equals(d.get("kind").asText())
                && "cost_cap_reached".equals(d.get("reason").get("kind").asText());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
