package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records as large as the broker accepts never stop the service (the record size rule,
 * {@code RecordSizeLimit}), on the in-process broker with its default limits, all on one partition
 * (one task) with the good events of a small fleet:
 * <ul>
 *   <li>a bad record of 1,048,480 bytes (just under the producer's default 1 MB request limit) is
 *       accepted by the broker, but its dead letter (the same value plus the reason and source
 *       headers) would not be: it is written cut, saying so in its headers;</li>
 *   <li>a correction of 600 KB, when the user's state already holds one, would make a state the
 *       changelog cannot take: it is dead-lettered whole, with the reason, and not applied;</li>
 *   <li>a third correction of 200 KB on one topic would make a procedural warning whose record (three
 *       examples and the prelude that repeats them) does not fit: the same.</li>
 * </ul>
 * Every other event is decided exactly as the reference run of the applied events.
 */
class OversizedRecordIT {
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Fits the producer's default max.request.size (1048576) with its key and the batch overhead. */
    private static final int BAD_RECORD_BYTES = 1_048_480;

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void recordsAsLargeAsTheBrokerAcceptsAreDeadLetteredFittingAndTheEventsAroundThemDecided() throws Exception {
        String suffix = "big-" + UUID.randomUUID().toString().substring(0, 8);
        // One partition: the large records share their task with every good event.
        ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-" + suffix, dir.resolve("state"),
                suffix).with(ServiceConfig.TOPIC_PARTITIONS, "1");
        List<EventEnvelope> fleet = RegulatorFlow.fleet();
        byte[] bad = notAnEnvelope(BAD_RECORD_BYTES);

        RegulatorFlow.Agent iris = new RegulatorFlow.Agent("iris")
                .then(RegulatorFlow.turnStart(RegulatorFlow.TASK))
                .then(RegulatorFlow.correction(text(600_000, 1)));
        List<EventEnvelope> irisBefore = iris.take();
        EventEnvelope stateTooLarge = iris.then(RegulatorFlow.correction(text(600_000, 2))).take().get(0);
        List<EventEnvelope> irisAfter = iris.then(RegulatorFlow.turnStart("make the function async"))
                .then(RegulatorFlow.cost(40, 80, 600)).take();

        RegulatorFlow.Agent jack = new RegulatorFlow.Agent("jack")
                .then(RegulatorFlow.turnStart(RegulatorFlow.TASK))
                .then(RegulatorFlow.correction(text(200_000, 1)))
                .then(RegulatorFlow.correction(text(200_000, 2)));
        List<EventEnvelope> jackBefore = jack.take();
        EventEnvelope decisionTooLarge = jack.then(RegulatorFlow.correction(text(200_000, 3))).take().get(0);
        List<EventEnvelope> jackAfter = jack.then(RegulatorFlow.turnStart("make the function async"))
                .then(RegulatorFlow.cost(40, 80, 600)).take();

        List<EventEnvelope> applied = new ArrayList<>(fleet);
        applied.addAll(irisBefore);
        applied.addAll(irisAfter);
        applied.addAll(jackBefore);
        applied.addAll(jackAfter);

        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(STARTUP), "RUNNING: " + service.streams().state());
            int half = fleet.size() / 2;
            List<byte[][]> records = new ArrayList<>();
            fleet.subList(0, half).forEach(e -> records.add(record(e)));
            records.add(new byte[][] {key("big"), bad});
            irisBefore.forEach(e -> records.add(record(e)));
            jackBefore.forEach(e -> records.add(record(e)));
            records.add(record(stateTooLarge));
            records.add(record(decisionTooLarge));
            irisAfter.forEach(e -> records.add(record(e)));
            jackAfter.forEach(e -> records.add(record(e)));
            fleet.subList(half, fleet.size()).forEach(e -> records.add(record(e)));
            produce(config.get(ServiceConfig.INPUT_TOPIC), records);

            List<ConsumerRecord<String, String>> decisions = RegulatorFlow.readCommitted(kafka.bootstrapServers(),
                    config.get(ServiceConfig.DECISIONS_TOPIC), RegulatorFlow.decidedCount(applied));
            List<ConsumerRecord<byte[], byte[]>> dead = RegulatorFlow.readCommittedRaw(kafka.bootstrapServers(),
                    config.get(ServiceConfig.DLQ_TOPIC), 3, Duration.ofSeconds(30));

            RegulatorFlow.assertDecisions(RegulatorFlow.expectedDecisions(applied, config.topologySettings()),
                    decisions);
            assertEquals(3, dead.size(), "three dead letters");

            ConsumerRecord<byte[], byte[]> cut = dead.get(0);
            assertArrayEquals(key("big"), cut.key(), "the key is kept");
            assertEquals("true", RegulatorFlow.header(cut, "noos.dlq.truncated"));
            assertEquals(Integer.toString(BAD_RECORD_BYTES), RegulatorFlow.header(cut, "noos.dlq.original.size"));
            assertTrue(cut.value().length < BAD_RECORD_BYTES, "cut: " + cut.value().length);
            assertTrue(cut.value().length > BAD_RECORD_BYTES - 4 * 1024, "only what does not fit is cut: "
                    + cut.value().length);
            assertArrayEquals(Arrays.copyOf(bad, cut.value().length), cut.value(), "the value's first bytes");
            assertEquals(RegulatorFlow.notValidJsonReason(bad), RegulatorFlow.header(cut, RegulatorFlow.DLQ_REASON_HEADER),
                    "the reason is the whole record's, not the cut value's");
            assertEquals(config.get(ServiceConfig.INPUT_TOPIC), RegulatorFlow.header(cut, "noos.dlq.topic"));
            assertEquals(Integer.toString(half), RegulatorFlow.header(cut, "noos.dlq.offset"), "source offset");

            assertNotApplied(dead.get(1), stateTooLarge, "the user's state after it would be ");
            assertNotApplied(dead.get(2), decisionTooLarge, "its decision record would be ");
            assertEquals(KafkaStreams.State.RUNNING, service.streams().state(), "still running");
        }
    }

    private static void assertNotApplied(ConsumerRecord<byte[], byte[]> letter, EventEnvelope event, String reasonStart) {
        String reason = RegulatorFlow.header(letter, RegulatorFlow.DLQ_REASON_HEADER);
        RegulatorFlow.assertTooLargeReason(reason, reasonStart, 1_048_576);   // Kafka's default max.request.size
        assertArrayEquals(EnvelopeJson.toBytes(event), letter.value(), "the whole event");
        assertEquals(null, letter.headers().lastHeader("noos.dlq.truncated"), "not cut");
    }

    /** A correction text of about {@code bytes} bytes, different for each {@code n}. */
    private static String text(int bytes, int n) {
        return "no logging " + n + " " + "please ".repeat(bytes / 7);
    }

    private static byte[][] record(EventEnvelope e) {
        return new byte[][] {key(e.userId()), EnvelopeJson.toBytes(e)};
    }

    /** JSON cut short: a parse error, whatever the size. */
    private static byte[] notAnEnvelope(int size) {
        byte[] value = new byte[size];
        byte[] head = "{\"user_id\":\"big\",\"event\":{\"type\":\"turn_start\",\"user_message\":\""
                .getBytes(StandardCharsets.UTF_8);
        Arrays.fill(value, (byte) 'x');
        System.arraycopy(head, 0, value, 0, head.length);
        return value;
    }

    /** Sends the records (key, value) in order, on one producer. */
    private static void produce(String topic, List<byte[][]> records) {
        try (KafkaProducer<byte[], byte[]> producer = RegulatorFlow.rawProducer(kafka.bootstrapServers())) {
            for (byte[][] r : records) {
                producer.send(new ProducerRecord<>(topic, r[0], r[1]));
            }
            producer.flush();
        }
    }

    private static byte[] key(String user) {
        return user.getBytes(StandardCharsets.UTF_8);
    }
}
