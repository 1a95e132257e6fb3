package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.testkit.KafkaRoundTrip;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.DecisionLines;
import io.noos.streams.logfile.JsonLinesWriter;
import io.noos.streams.replay.OfflineReplay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus ({@link BadInputCorpus}: one record per kind of bad input) interleaved with
 * the good events of a small fleet, through the real service on the in-process broker, once on a
 * JSON topic and once on an Avro topic. The service must keep running, dead-letter every bad
 * record exactly once with a reason that names what is wrong (and its raw bytes, key and source),
 * and decide every good non-token event exactly as the offline replay of the good events alone.
 */
class BadInputCorpusIT {
    /** Test-only header carrying the kind's name, so each dead letter is matched to its kind. */
    private static final String KIND_HEADER = "test.bad-input.kind";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration IDLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void jsonTopic() throws Exception {
        List<BadInputCorpus.Kind> kinds = runCorpus("json", WireFormat.JSON, BadInputCorpus::json);
        assertEquals(53, kinds.size(), "the JSON corpus's kinds, each dead-lettered");
    }

    @Test
    @Timeout(180)
    void avroTopic() throws Exception {
        List<BadInputCorpus.Kind> kinds = runCorpus("avro", WireFormat.AVRO, BadInputCorpus::avro);
        assertEquals(14, kinds.size(), "the Avro corpus's kinds, each dead-lettered");
    }

    /** The fleet of the service ITs, plus a healthy user whose response is a 300 KB text. */
    private static List<EventEnvelope> goodEvents() {
        RegulatorFlow.Agent hugo = new RegulatorFlow.Agent("hugo")
                .then(RegulatorFlow.turnStart("summarize the design document"))
                .then(RegulatorFlow.turnComplete("the design document describes ".repeat(10_000)))
                .then(RegulatorFlow.cost(300, 900, 2_000));
        List<EventEnvelope> events = new ArrayList<>(RegulatorFlow.fleet());
        events.addAll(hugo.take());
        return events;
    }

    private List<BadInputCorpus.Kind> runCorpus(String name, WireFormat format,
                                                Function<List<String>, List<BadInputCorpus.Kind>> corpus)
            throws Exception {
        List<EventEnvelope> good = goodEvents();
        List<String> users = List.copyOf(new LinkedHashSet<>(good.stream().map(EventEnvelope::userId).toList()));
        List<BadInputCorpus.Kind> kinds = corpus.apply(users);

        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceConfig config = RegulatorFlow.config(kafka.bootstrapServers(), "noos-bad-" + suffix, dir.resolve("state"),
                suffix).with(ServiceConfig.INPUT_FORMAT, format.name().toLowerCase(Locale.ROOT));
        String input = config.get(ServiceConfig.INPUT_TOPIC);
        Map<String, List<String>> expected = offlineReplay(good, config);

        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(STARTUP), "RUNNING: " + service.streams().state());
            Map<String, RecordMetadata> sent = produceInterleaved(input, good, kinds, new EnvelopeCodec(format));

            List<ConsumerRecord<byte[], byte[]>> dead = RegulatorFlow.readCommittedRaw(kafka.bootstrapServers(),
                    config.get(ServiceConfig.DLQ_TOPIC), kinds.size(), IDLE);
            List<ConsumerRecord<String, String>> decisions = KafkaRoundTrip.readCommitted(kafka.bootstrapServers(),
                    config.get(ServiceConfig.DECISIONS_TOPIC), RegulatorFlow.decidedCount(good), RegulatorFlow.LINGER,
                    RegulatorFlow.READ_TIMEOUT);

            assertEquals(KafkaStreams.State.RUNNING, service.streams().state(), "the service is still running");
            assertDeadLetters(kinds, sent, dead, input);
            assertEquals(RegulatorFlow.decidedCount(good), decisions.size(), "one decision per good non-token event");
            assertEquals(expected, RegulatorFlow.valuesByKey(decisions),
                    "the good events decide as the offline replay of the good events alone");
        }
        return kinds;
    }

    /** The decisions of the good events alone, from the offline replay tool, per user. */
    private Map<String, List<String>> offlineReplay(List<EventEnvelope> good, ServiceConfig config) throws Exception {
        Path log = dir.resolve("good-events.jsonl");
        try (JsonLinesWriter out = JsonLinesWriter.create(log)) {
            for (EventEnvelope e : good) {
                out.write(EnvelopeJson.toBytes(e));
            }
        }
        Path decided = dir.resolve("good-decisions.jsonl");
        new OfflineReplay(config.topologySettings()).run(log, decided, bad -> {
            throw new AssertionError("a good event is not an envelope: " + bad);
        });
        return DecisionLines.byUser(Files.readAllLines(decided, StandardCharsets.UTF_8));
    }

    /**
     * The good events in order, with the bad records spread evenly between them; returns where each
     * bad record was written, by kind.
     */
    private static Map<String, RecordMetadata> produceInterleaved(String topic, List<EventEnvelope> good,
                                                                  List<BadInputCorpus.Kind> kinds, EnvelopeCodec codec)
            throws Exception {
        Map<String, java.util.concurrent.Future<RecordMetadata>> bad = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = RegulatorFlow.rawProducer(kafka.bootstrapServers())) {
            int nextBad = 0;
            for (int i = 0; i < good.size(); i++) {
                EventEnvelope e = good.get(i);
                producer.send(new ProducerRecord<>(topic, e.userId().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
                // bad kind k goes after good event floor((k + 1) * n / (kinds + 1)): none before the first
                // good event, the last well before the last good event
                while (nextBad < kinds.size() && (long) (nextBad + 1) * good.size() / (kinds.size() + 1) <= i) {
                    BadInputCorpus.Kind kind = kinds.get(nextBad++);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, kind.key(), kind.value());
                    record.headers().add(KIND_HEADER, kind.name().getBytes(StandardCharsets.UTF_8));
                    bad.put(kind.name(), producer.send(record));
                }
            }
            producer.flush();
            assertEquals(kinds.size(), nextBad, "every bad record was sent");
        }
        Map<String, RecordMetadata> written = new LinkedHashMap<>();
        for (var e : bad.entrySet()) {
            written.put(e.getKey(), e.getValue().get());
        }
        return written;
    }

    private static void assertDeadLetters(List<BadInputCorpus.Kind> kinds, Map<String, RecordMetadata> sent,
                                          List<ConsumerRecord<byte[], byte[]>> dead, String inputTopic) {
        Map<String, ConsumerRecord<byte[], byte[]>> byKind = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            String kind = header(r, KIND_HEADER);
            assertNotNull(kind, "a dead letter that is none of the bad records: " + header(r, RegulatorFlow.DLQ_REASON_HEADER));
            assertTrue(byKind.put(kind, r) == null, "dead-lettered twice: " + kind);
        }
        List<String> missing = kinds.stream().map(BadInputCorpus.Kind::name).filter(k -> !byKind.containsKey(k)).toList();
        assertEquals(List.of(), missing, "bad records not dead-lettered");
        assertEquals(kinds.size(), dead.size());

        for (BadInputCorpus.Kind kind : kinds) {
            ConsumerRecord<byte[], byte[]> r = byKind.get(kind.name());
            String reason = header(r, RegulatorFlow.DLQ_REASON_HEADER);
            System.out.println("bad-input " + kind.name() + ": " + abbreviate(reason));
            assertNotNull(reason, kind + ": no reason header");
            assertTrue(reason.contains(kind.reasonFragment()), kind + ": reason '" + reason + "' lacks '"
                    + kind.reasonFragment() + "'");
            assertArrayEquals(kind.value(), r.value(), kind + ": the raw value is kept");
            assertArrayEquals(kind.key(), r.key(), kind + ": the key is kept as received");
            assertEquals(inputTopic, header(r, "noos.dlq.topic"), kind + ": source topic");
            assertEquals(String.valueOf(sent.get(kind.name()).partition()), header(r, "noos.dlq.partition"),
                    kind + ": source partition");
            assertEquals(String.valueOf(sent.get(kind.name()).offset()), header(r, "noos.dlq.offset"),
                    kind + ": source offset");
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
