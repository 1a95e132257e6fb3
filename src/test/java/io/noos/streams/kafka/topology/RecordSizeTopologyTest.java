package io.noos.streams.kafka.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.serde.RecordSizeLimit;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The record size rule ({@link RecordSizeLimit}) on the real topology, with a limit small enough
 * to reach: dead letters are cut to fit and say so; an event whose user's new state or whose
 * decision record would not fit is dead-lettered with the reason and not applied, so the user's
 * next events are decided exactly as in a run without it.
 */
class RecordSizeTopologyTest {
    /** A producer's max.request.size of 8 KiB: records may count 7168 bytes. */
    private static final int MAX_REQUEST_SIZE = 8192;

    private static TopologySettings small() {
        return TopologySettings.builder().recordSizeLimit(new RecordSizeLimit(MAX_REQUEST_SIZE)).build();
    }

    private static String envelope(String user, int seq, String event) {
        return TestEvent.user(user).id(user + "-" + seq).agent("agent-7").session("s1").at(1000L * seq).json(event);
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeadLetterTooLargeForARecordIsCutToFitAndSaysSo() {
        byte[] bad = new byte[10_000];
        Arrays.fill(bad, (byte) 'x');
        bad[0] = '{';
        try (TopologyHarness h = new TopologyHarness(small())) {
            h.input.pipeInput("frank", bad);
            h.send("frank", "{not json");
            h.send("frank", envelope("frank", 1, Logs.turnStart("hello world")));

            assertEquals(1, h.decisions.readValuesToList().size(), "the good event after them is decided");
            List<TestRecord<String, byte[]>> dead = h.deadLetters.readRecordsToList();
            assertEquals(2, dead.size());
            TestRecord<String, byte[]> cut = dead.get(0);
            assertEquals("true", header(cut, RecordSizeLimit.HEADER_TRUNCATED));
            assertEquals("10000", header(cut, RecordSizeLimit.HEADER_ORIGINAL_SIZE));
            assertTrue(header(cut, RegulatorProcessor.HEADER_REASON).contains("not valid JSON"));
            assertArrayEquals(Arrays.copyOf(bad, cut.value().length), cut.value(), "the value's first bytes");
            long size = RecordSizeLimit.sizeOf(cut.key().getBytes(StandardCharsets.UTF_8), cut.value(), cut.headers());
            assertTrue(size <= MAX_REQUEST_SIZE - RecordSizeLimit.MARGIN, "fits: " + size);
            assertTrue(size > MAX_REQUEST_SIZE - RecordSizeLimit.MARGIN - 16, "only what does not fit is cut: " + size);

            TestRecord<String, byte[]> whole = dead.get(1);
            assertEquals("{not json", new String(whole.value(), StandardCharsets.UTF_8));
            assertNull(header(whole, RecordSizeLimit.HEADER_TRUNCATED), "a dead letter that fits is whole");
            assertNull(header(whole, RecordSizeLimit.HEADER_ORIGINAL_SIZE));
        }
    }

    @Test
    void anEventWhoseStateWouldNotFitIsDeadLetteredAndNotApplied() {
        // Each correction fits in a record, two of them in the user's state do not.
        String text = "no logging " + "please ".repeat(500);
        List<String> before = List.of(envelope("ivy", 1, Logs.turnStart("refactor this function to be async")),
                envelope("ivy", 2, Logs.correction(text + 1)));
        String tooLarge = envelope("ivy", 3, Logs.correction(text + 2));
        List<String> after = List.of(envelope("ivy", 4, Logs.correction("stop logging")),
                envelope("ivy", 5, Logs.turnStart("make the function async")), envelope("ivy", 6, Logs.cost(1, 40)));

        assertRefusedAndNotApplied(before, tooLarge, after, "the user's state after it would be ");
    }

    @Test
    void anEventWhoseDecisionWouldNotFitIsDeadLetteredAndNotApplied() {
        // Each text fits in the state; three of them as the warning's examples, and again in its
        // prelude, do not fit in the decision record.
        String text = "no logging " + "please ".repeat(180);
        List<String> before = List.of(envelope("jo", 1, Logs.turnStart("refactor this function to be async")),
                envelope("jo", 2, Logs.correction(text + 1)), envelope("jo", 3, Logs.correction(text + 2)));
        String tooLarge = envelope("jo", 4, Logs.correction(text + 3));
        List<String> after = List.of(envelope("jo", 5, Logs.turnStart("make the function async")), envelope("jo", 6, Logs.cost(1, 40)));

        assertRefusedAndNotApplied(before, tooLarge, after, "its decision record would be ");
    }

    /**
     * Sends {@code before}, {@code tooLarge} and {@code after}: the one is dead-lettered with a reason
     * starting with {@code reasonStart}, and every other event is decided exactly as when it never came.
     */
    private static void assertRefusedAndNotApplied(List<String> before, String tooLarge, List<String> after,
                                                   String reasonStart) {
        List<String> decided;
        List<TestRecord<String, byte[]>> dead;
        try (TopologyHarness h = new TopologyHarness(small())) {
            before.forEach(e -> h.send(user(e), e));
            h.send(user(tooLarge), tooLarge);
            after.forEach(e -> h.send(user(e), e));
            decided = h.decisions.readValuesToList();
            dead = h.deadLetters.readRecordsToList();
        }
        List<String> reference;
        try (TopologyHarness h = new TopologyHarness(TopologySettings.defaults())) {
            List<String> without = new ArrayList<>(before);
            without.addAll(after);
            without.forEach(e -> h.send(user(e), e));
            reference = h.decisions.readValuesToList();
            assertTrue(h.deadLetters.isEmpty());
        }
        assertEquals(1, dead.size(), "the one event dead-lettered");
        String reason = header(dead.get(0), RegulatorProcessor.HEADER_REASON);
        RegulatorFlow.assertTooLargeReason(reason, reasonStart, MAX_REQUEST_SIZE);
        assertArrayEquals(tooLarge.getBytes(StandardCharsets.UTF_8), dead.get(0).value(), "the whole event");
        assertEquals(reference, decided, "the other events decide as if it never came");
    }

    private static String user(String envelope) {
        int start = envelope.indexOf("\"user_id\":\"") + 11;
        return envelope.substring(start, envelope.indexOf('"', start));
    }
}
