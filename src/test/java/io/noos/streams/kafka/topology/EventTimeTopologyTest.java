package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.TurnStart;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event-time rule (topology-docs, "Event time and record timestamps"): what the service writes
 * carries the input record's Kafka timestamp, never {@code at_ms}; an {@code at_ms} more than
 * {@code noos.event.time.max.future.ms} (default 300000) ahead of the instance's clock, or negative,
 * is dead-lettered with a reason naming the value and the limit, and hinting at microseconds or
 * nanoseconds when the value read so would be a plausible time; any past time is accepted. The
 * instance's clock is the driver's mock wall clock, started at a minute boundary ({@link #NOW}).
 */
class EventTimeTopologyTest {
    /** The instance's clock at the start: the current minute, so NOW is also a fleet window's start. */
    private static final long NOW = System.currentTimeMillis() / 60_000 * 60_000;
    /** An input record's Kafka timestamp: an hour before the instance's clock, unrelated to at_ms. */
    private static final long RECORD_TIME = NOW - 3_600_000;
    private static final long LIMIT = EventTimeBound.DEFAULT_MAX_FUTURE_MS;
    private static final String TASK = "refactor this function to be async";

    private TopologyHarness h;
    private int sequence;
    /** Every envelope the service accepted, in order: what the reference run applies. */
    private final List<EventEnvelope> accepted = new ArrayList<>();

    @BeforeEach
    void start() {
        h = new TopologyHarness(TopologySettings.defaults(), ProcessingObserver.NONE, Instant.ofEpochMilli(NOW));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private String envelope(String user, long atMs, String event) {
        return TestEvent.user(user).id(user + "-" + (++sequence)).agent("agent-1").session("s1").at(atMs).json(event);
    }

    /** Sends an envelope the service must accept, with {@link #RECORD_TIME} as its record timestamp. */
    private void good(String user, long atMs, String event) {
        String json = envelope(user, atMs, event);
        accepted.add(EnvelopeJson.parse(json));
        h.input.pipeInput(user, json.getBytes(StandardCharsets.UTF_8), RECORD_TIME);
    }

    /** Sends an envelope the service must refuse; returns its JSON. */
    private String bad(String user, long atMs, String event) {
        String json = envelope(user, atMs, event);
        h.input.pipeInput(user, json.getBytes(StandardCharsets.UTF_8), RECORD_TIME);
        return json;
    }

    private static String ahead(long atMs, long now) {
        return "at_ms " + atMs + " is " + (atMs - now) + " ms ahead of this instance's clock (" + now
                + "), beyond noos.event.time.max.future.ms=" + LIMIT;
    }

    private static String reason(TestRecord<String, byte[]> dead) {
        return new String(dead.headers().lastHeader(RegulatorProcessor.HEADER_REASON).value(), StandardCharsets.UTF_8);
    }

    /** The decisions the reference run of the accepted envelopes gives, per user. */
    private Map<String, List<String>> expectedDecisions() {
        return RegulatorFlow.expectedDecisions(accepted, TopologySettings.defaults());
    }

    private Map<String, List<String>> decisionsByUser() {
        Map<String, List<String>> out = new TreeMap<>();
        h.decisions.readKeyValuesToList().forEach(kv -> out.computeIfAbsent(kv.key, k -> new ArrayList<>()).add(kv.value));
        return out;
    }

    @Test
    void implausibleTimesAreDeadLetteredWithTheirReasonAndEveryEventAroundThemIsDecided() {
        List<String> refused = new ArrayList<>();
        List<String> reasons = new ArrayList<>();

        good("alice", NOW - 4_000, Logs.turnStart(TASK));
        refused.add(bad("alice", NOW + LIMIT + 1, Logs.turnStart("something else entirely")));
        reasons.add(ahead(NOW + LIMIT + 1, NOW));
        good("alice", NOW - 3_000, Logs.turnComplete("add logging and error handling"));   // drift 1.0 (spec §8)
        refused.add(bad("bob", NOW * 1_000, Logs.turnStart(TASK)));
        reasons.add(ahead(NOW * 1_000, NOW) + "; it looks like microseconds (at_ms / 1000 = " + NOW
                + " would be accepted)");
        good("bob", NOW - 2_000, Logs.turnStart(TASK));
        refused.add(bad("bob", NOW * 1_000_000, Logs.turnComplete("add logging and error handling")));
        reasons.add(ahead(NOW * 1_000_000, NOW) + "; it looks like nanoseconds (at_ms / 1000000 = " + NOW
                + " would be accepted)");
        refused.add(bad("bob", Long.MAX_VALUE, Logs.turnComplete("add logging and error handling")));
        reasons.add(ahead(Long.MAX_VALUE, NOW));
        refused.add(bad("alice", -1, Logs.cost(10, 20)));
        reasons.add("at_ms must not be negative (milliseconds since the epoch), got -1");
        good("bob", NOW - 1_000, Logs.turnComplete("the function is now async"));
        good("carol", 0, Logs.turnStart("summarize the quarterly report"));                // far past: accepted
        good("carol", 1, Logs.turnComplete("quarterly report summary"));
        good("alice", NOW + LIMIT, Logs.cost(350, 120));                                   // exactly at the limit
        refused.add(bad("dave", NOW + 2 * LIMIT, Logs.turnStart(TASK)));
        reasons.add(ahead(NOW + 2 * LIMIT, NOW));

        // The bound follows the instance's clock: the same time is accepted once the clock caught up.
        h.driver.advanceWallClockTime(Duration.ofMillis(LIMIT));
        good("dave", NOW + 2 * LIMIT, Logs.turnStart(TASK));

        List<TestRecord<String, byte[]>> dead = h.deadLetters.readRecordsToList();
        assertEquals(refused.size(), dead.size(), "each refused envelope is dead-lettered once");
        for (int i = 0; i < dead.size(); i++) {
            assertEquals(refused.get(i), new String(dead.get(i).value(), StandardCharsets.UTF_8), "the raw value");
            assertEquals(reasons.get(i), reason(dead.get(i)));
        }
        Map<String, List<String>> decided = decisionsByUser();
        assertEquals(expectedDecisions(), decided, "every accepted event decided as the reference run decides it");
        assertEquals(8, decided.values().stream().mapToInt(List::size).sum());
        JsonNode drift = tree(decided.get("alice").get(1));
        assertEquals("scope_drift_warn", drift.get("decision").get("kind").asText(), drift.toString());
        assertEquals(1, drift.get("turn").asInt(), "the refused turn_start was not applied");
    }

    @Test
    void everyRecordWrittenCarriesTheInputRecordsTimestampNotAtMs() {
        good("alice", NOW - 1_000, Logs.turnStart(TASK));
        h.input.pipeInput("mallory", "{not json".getBytes(StandardCharsets.UTF_8), RECORD_TIME + 1);
        bad("bob", NOW * 1_000, Logs.turnStart(TASK));

        assertEquals(RECORD_TIME, h.decisions.readRecord().timestamp(), "decision");
        List<TestRecord<String, byte[]>> dead = h.deadLetters.readRecordsToList();
        assertEquals(List.of(RECORD_TIME + 1, RECORD_TIME), dead.stream().map(TestRecord::timestamp).toList(),
                "dead letters");
        TestOutputTopic<String, byte[]> stateChangelog = h.driver.createOutputTopic(
                "noos-ttd-" + ServiceStore.USER_STATE.storeName() + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TestRecord<String, byte[]>> changes = stateChangelog.readRecordsToList();
        assertFalse(changes.isEmpty(), "alice's state was written");
        changes.forEach(c -> assertEquals(RECORD_TIME, c.timestamp(), "state changelog"));

        // Fleet partials and merged windows are sent by a wall-clock punctuator: they carry its time.
        h.driver.advanceWallClockTime(Duration.ofSeconds(5));
        List<TestRecord<String, String>> fleet = h.fleetStats.readRecordsToList();
        assertFalse(fleet.isEmpty());
        fleet.forEach(r -> assertEquals(NOW + 5_000, r.timestamp(), r.key()));
        assertTrue(fleet.stream().anyMatch(r -> r.key().equals("*@" + String.format("%013d", NOW - 60_000))),
                "alice's event is in the minute before NOW: " + fleet);
    }

    @Test
    void aRecordTimestampAheadOfTheWallClockIsReplacedByTheWallClock() {
        String json = envelope("alice", NOW - 1_000, Logs.turnStart(TASK));
        long before = System.currentTimeMillis();
        h.input.pipeInput("alice", json.getBytes(StandardCharsets.UTF_8), before + 86_400_000);
        long after = System.currentTimeMillis();
        long written = h.decisions.readRecord().timestamp();
        assertTrue(written >= before && written <= after, "a timestamp no broker refuses: " + written);
    }

    @Test
    void aRefusedTimeDoesNotMoveTheFleetWindowsNewestEventTime() {
        good("u1", NOW + 1_000, Logs.turnStart(TASK));
        bad("u1", NOW + 86_400_000, Logs.turnStart(TASK));
        good("u2", NOW + 2_000, Logs.turnStart(TASK));   // would be late had the refused time been the newest

        h.driver.advanceWallClockTime(Duration.ofSeconds(5));
        Map<String, JsonNode> latest = new TreeMap<>();
        h.fleetStats.readKeyValuesToList().forEach(kv -> latest.put(kv.key, tree(kv.value)));
        String window = String.format("%013d", NOW);
        assertEquals(List.of("*@" + window, "agent-1@" + window), List.copyOf(latest.keySet()),
                "no window for the refused time");
        JsonNode fleet = latest.get("*@" + window);
        assertEquals(2, fleet.get("events").asInt(), fleet.toString());
        assertEquals(2, fleet.get("turns").asInt(), fleet.toString());
        assertEquals(0, fleet.get("late_events").asInt(), fleet.toString());
        assertEquals(1, fleet.get("dead_letters").asInt(), fleet.toString());
    }

    @Test
    void avroEnvelopesFollowTheSameRule() throws IOException {
        TopologySettings settings = TopologySettings.builder().formats(WireFormat.AVRO, WireFormat.JSON).build();
        try (TopologyHarness avro = new TopologyHarness(settings, ProcessingObserver.NONE, Instant.ofEpochMilli(NOW))) {
            for (long at : new long[] {-5, NOW * 1_000, NOW - 1_000}) {
                avro.input.pipeInput("alice", AgentEventEnvelope.getEncoder().encode(AgentEventEnvelope.newBuilder()
                        .setUserId("alice").setAtMs(at).setEvent(new TurnStart(TASK)).build()).array(), RECORD_TIME);
            }
            List<TestRecord<String, byte[]>> dead = avro.deadLetters.readRecordsToList();
            assertEquals(2, dead.size());
            assertTrue(reason(dead.get(0)).contains("at_ms must not be negative (milliseconds since the epoch), got -5"),
                    reason(dead.get(0)));
            assertEquals(ahead(NOW * 1_000, NOW) + "; it looks like microseconds (at_ms / 1000 = " + NOW
                    + " would be accepted)", reason(dead.get(1)));
            List<TestRecord<String, String>> decided = avro.decisions.readRecordsToList();
            assertEquals(1, decided.size());
            assertEquals(NOW - 1_000, tree(decided.get(0).value()).get("at_ms").asLong());
        }
    }

    @Test
    void theBoundIsAConfigurationKeyWithADefaultOfFiveMinutes() throws IOException {
        ServiceConfig defaults = ServiceConfig.load(null, Map.of(), Map.of());
        assertEquals("300000", defaults.get(ServiceConfig.EVENT_TIME_MAX_FUTURE_MS));
        assertEquals(new EventTimeBound(300_000), defaults.topologySettings().eventTime());
        assertEquals(new EventTimeBound(60_000), ServiceConfig.load(null, Map.of("NOOS_EVENT_TIME_MAX_FUTURE_MS", "60000"),
                Map.of()).topologySettings().eventTime());
        for (String refused : new String[] {"soon", "-1", "1.5"}) {
            ServiceConfig config = defaults.with(ServiceConfig.EVENT_TIME_MAX_FUTURE_MS, refused);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::eventTimeBound);
            assertEquals("noos.event.time.max.future.ms must be an integer >= 0, got " + refused, e.getMessage());
        }
    }
}
