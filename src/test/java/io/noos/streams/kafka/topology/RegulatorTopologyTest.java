package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegulatorTopologyTest {
    private TopologyHarness h;

    @BeforeEach
    void start() {
        h = new TopologyHarness(TopologySettings.defaults());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static int sequence;

    /** An envelope with a fresh event id (the service drops a repeated id as a duplicate delivery). */
    private static String envelope(String user, String session, long at, String event) {
        return envelope(user + "-" + at + "-" + (sequence++), user, session, at, event);
    }

    private static String envelope(String eventId, String user, String session, long at, String event) {
        return TestEvent.user(user).id(eventId).agent("agent-7").session(session).at(at).json(event);
    }

    private JsonNode onlyDecision() {
        List<String> out = h.decisions.readValuesToList();
        assertEquals(1, out.size(), "exactly one decision");
        return tree(out.get(0));
    }

    @Test
    void decisionRecordCarriesTheTriggeringEventAndTheVectorsDecisionShape() {
        h.send("alice", envelope("alice", "s1", 1000, Logs.turnStart("refactor this function to be async")));
        JsonNode first = onlyDecision();
        assertEquals("alice", first.get("user_id").asText());
        assertEquals("agent-7", first.get("agent_id").asText());
        assertEquals("s1", first.get("session_id").asText());
        assertTrue(first.get("event_id").asText().startsWith("alice-1000-"));
        assertEquals("turn_start", first.get("event_type").asText());
        assertEquals(1000, first.get("at_ms").asLong());
        assertEquals(1, first.get("turn").asLong());
        assertEquals("continue", first.get("decision").get("kind").asText());
        assertTrue(first.get("prelude").isNull());
        assertEquals(9, first.get("metrics").size());

        h.send("alice", envelope("alice", "s1", 1100,
                "{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}"));
        JsonNode drift = onlyDecision().get("decision");
        assertEquals("scope_drift_warn", drift.get("kind").asText());
        assertEquals(1.0, drift.get("drift_score").asDouble());
    }

    @Test
    void tokensAndTokenBatchesEmitNoDecision() {
        h.send("bob", envelope("bob", "s1", 1, Logs.turnStart("explain tokio runtime")));
        h.decisions.readValuesToList();
        h.send("bob", envelope("bob", "s1", 2, "{\"type\":\"token\",\"token\":\"x\",\"logprob\":-0.2,\"index\":0}"));
        h.send("bob", envelope("bob", "s1", 3, "{\"type\":\"token_batch\",\"logprobs\":[-0.2,-0.2,\"NaN\",0.0]}"));
        assertTrue(h.decisions.isEmpty());
        h.send("bob", envelope("bob", "s1", 4, "{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":2,\"wallclock_ms\":3}"));
        JsonNode metrics = onlyDecision().get("metrics");
        assertEquals(1.0, metrics.get("noos.confidence").asDouble(), "mean NLL 0.2 gives 1.0");
        assertEquals(3.0 / 5.0, metrics.get("noos.logprob_coverage").asDouble(), 1e-12);
    }

    @Test
    void proceduralWarningCarriesThePreludeAndUsersNeverMix() {
        h.send("carol", envelope("carol", "s1", 1, Logs.turnStart("refactor this function to be async")));
        for (String c : List.of("no logging", "stop logging", "really no logs")) {
            h.send("carol", envelope("carol", "s1", 2, Logs.correction(c)));
        }
        h.send("dave", envelope("dave", "s1", 3, Logs.turnStart("refactor this function to be async")));
        h.decisions.readValuesToList();
        h.send("carol", envelope("carol", "s1", 4, Logs.turnStart("make the function async")));
        JsonNode carol = onlyDecision();
        assertEquals("procedural_warning", carol.get("decision").get("kind").asText());
        assertEquals("User has previously corrected responses on this topic with:\n- really no logs\n- stop logging\n"
                + "- no logging", carol.get("prelude").asText());
        h.send("dave", envelope("dave", "s1", 5, Logs.turnStart("make the function async")));
        JsonNode dave = onlyDecision();
        assertEquals("continue", dave.get("decision").get("kind").asText(), "dave never corrected anything");
        assertTrue(dave.get("prelude").isNull());
    }

    @Test
    void newSessionResetsCostAndToolsButKeepsPatterns() {
        h.send("erin", envelope("erin", "s1", 1, Logs.turnStart("refactor this function to be async")));
        for (String c : List.of("a", "b", "c")) {
            h.send("erin", envelope("erin", "s1", 2, Logs.correction(c)));
        }
        h.send("erin", envelope("erin", "s1", 3, "{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":500,\"wallclock_ms\":3}"));
        h.decisions.readValuesToList();
        h.send("erin", envelope("erin", "s2", 4, Logs.turnStart("refactor this function to be async")));
        JsonNode next = onlyDecision();
        assertEquals(0.0, next.get("metrics").get("noos.total_tokens_out").asDouble(), "cost reset");
        assertEquals("procedural_warning", next.get("decision").get("kind").asText(), "patterns kept");
        assertEquals(2, next.get("turn").asLong(), "the turn index counts on across sessions");
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithReasonAndSourceAndGoodOnesAroundThemAreDecided() {
        h.send("frank", envelope("frank", "s1", 1, Logs.turnStart("hello world")));
        h.send("frank", "{not json");
        h.send("frank", envelope("frank", "s1", 2, "{\"type\":\"teleport\"}"));
        h.send("frank", envelope("frank", "s1", 3, "{\"type\":\"cost\",\"tokens_in\":-1,\"tokens_out\":0,\"wallclock_ms\":0}"));
        h.send("mallory", envelope("frank", "s1", 4, Logs.turnStart("key mismatch")));
        h.send("frank", "{\"user_id\":\"\",\"at_ms\":1,\"event\":" + Logs.turnStart("x") + "}");
        h.send("frank", envelope("frank", "s1", 5, Logs.turnStart("bad \\ud800 surrogate")));
        h.send("frank", envelope("frank", "s1", 6, "{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":2,\"wallclock_ms\":3}"));

        assertEquals(2, h.decisions.readValuesToList().size(), "both good events decided");
        List<TestRecord<String, byte[]>> dead = h.deadLetters.readRecordsToList();
        assertEquals(6, dead.size());
        List<String> reasons = dead.stream().map(r -> header(r, RegulatorProcessor.HEADER_REASON)).toList();
        assertTrue(reasons.get(0).contains("not valid JSON"), reasons.get(0));
        assertTrue(reasons.get(1).contains("unknown event type"), reasons.get(1));
        assertTrue(reasons.get(2).contains("tokens_in"), reasons.get(2));
        assertTrue(reasons.get(3).contains("does not match user_id"), reasons.get(3));
        assertTrue(reasons.get(4).contains("user_id"), reasons.get(4));
        assertTrue(reasons.get(5).contains("unpaired surrogate"), reasons.get(5));
        assertEquals("{not json", new String(dead.get(0).value(), StandardCharsets.UTF_8), "raw value kept");
        assertEquals("agent-events", header(dead.get(0), RegulatorProcessor.HEADER_TOPIC));
        assertEquals(List.of("1", "2", "3", "4", "5", "6"),
                dead.stream().map(r -> header(r, RegulatorProcessor.HEADER_OFFSET)).toList(),
                "each one's offset on agent-events (the good event is 0, the last good one 7)");
        assertEquals(List.of("0", "0", "0", "0", "0", "0"),
                dead.stream().map(r -> header(r, RegulatorProcessor.HEADER_PARTITION)).toList());
    }

    @Test
    void aKeyThatIsNotUtf8IsDeadLetteredWithTheReasonAndKeptAsReceived() {
        // "h" then an overlong '/' (C0 AF), then an encoded surrogate (ED A0 80): never user_id's UTF-8,
        // whatever a lenient decoder would make of them
        byte[] overlong = {'h', (byte) 0xC0, (byte) 0xAF};
        byte[] surrogate = {'h', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        byte[] good = "hank".getBytes(StandardCharsets.UTF_8);
        h.rawInput.pipeInput(good, bytes(envelope("hank", "s1", 1, Logs.turnStart("hello world"))));
        h.rawInput.pipeInput(overlong, bytes(envelope("h\ufffd", "s1", 2, Logs.turnStart("lenient key"))));
        h.rawInput.pipeInput(surrogate, bytes(envelope("h\ufffd\ufffd\ufffd", "s1", 3, Logs.turnStart("lenient key"))));
        h.rawInput.pipeInput(good, bytes(envelope("hank", "s1", 4, Logs.turnStart("hello again"))));

        assertEquals(2, h.decisions.readValuesToList().size(), "the good events around them are decided");
        List<TestRecord<byte[], byte[]>> dead = h.rawDeadLetters.readRecordsToList();
        assertEquals(2, dead.size());
        assertEquals("record key is not valid UTF-8: overlong encoding at byte 1; agent-events must be keyed by user_id",
                rawHeader(dead.get(0), RegulatorProcessor.HEADER_REASON));
        assertTrue(rawHeader(dead.get(1), RegulatorProcessor.HEADER_REASON)
                .matches("record key is not valid UTF-8: encoded surrogate .* at byte 1; .*"), rawHeader(dead.get(1),
                RegulatorProcessor.HEADER_REASON));
        assertArrayEquals(overlong, dead.get(0).key(), "the key as received");
        assertArrayEquals(surrogate, dead.get(1).key(), "the key as received");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String rawHeader(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDuplicateDeliveryIsAppliedAndDecidedOnce() {
        String cost = envelope("gina-cost-1", "gina", "s1", 7, "{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":300,\"wallclock_ms\":3}");
        h.send("gina", cost);
        h.send("gina", cost);
        assertEquals(1, h.decisions.readValuesToList().size());
        h.send("gina", envelope("gina", "s1", 8, "{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":1,\"wallclock_ms\":3}"));
        assertEquals(301.0, onlyDecision().get("metrics").get("noos.total_tokens_out").asDouble());
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
