package io.noos.streams.crash;

import static io.noos.streams.testkit.JsonTrees.tree;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.clients.CommittedTopicReader;
import io.noos.streams.logfile.EnvelopeFileReader;
import io.noos.streams.replay.OfflineReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.Set;

/**
 * Checks a decisions topic against the offline replay of the log that was produced: reads the
 * topic {@code read_committed} (what downstream consumers see) until every expected decision has
 * arrived or a timeout, and compares event id by event id.
 */
final class DecisionVerifier {
    /** After the last expected decision, how long to keep reading for late duplicates. */
    private static final Duration LINGER = Duration.ofSeconds(3);
    private static final int EXAMPLES = 5;

    /** What the topic held compared with the expected decisions. */
    record Result(long expected, long seen, long duplicated, long missing, long different, long unexpected,
                  long records, List<String> examples) {
        boolean exact() {
            return seen == expected && duplicated == 0 && missing == 0 && different == 0 && unexpected == 0;
        }
    }

    private final Map<String, String> expected;

    private DecisionVerifier(Map<String, String> expected) {
        this.expected = expected;
    }

    /**
     * The decisions an uninterrupted run gives for {@code log}: {@link OfflineReplay} (the service's own
     * per-user rules, Kafka-free) writes them to {@code expectedFile}; they are keyed by event id.
     */
    static DecisionVerifier forLog(Path log, TopologySettings settings, Path expectedFile) throws IOException {
        new OfflineReplay(settings).run(log, expectedFile, bad -> {
            throw new IllegalStateException("the generated log has a bad line: " + bad);
        });
        Map<String, String> byId = new LinkedHashMap<>();
        for (String line : Files.readAllLines(expectedFile, StandardCharsets.UTF_8)) {
            String id = tree(line).get("event_id").asText();
            if (byId.put(id, line) != null) {
                throw new IllegalStateException("the offline replay decided event " + id + " twice");
            }
        }
        return new DecisionVerifier(byId);
    }

    /**
     * The ids of the log's non-token events, read straight from the log: each must get exactly one
     * decision (a redelivered envelope has its original's id).
     */
    static Set<String> nonTokenEventIds(Path log) throws IOException {
        Set<String> ids = new HashSet<>();
        try (EnvelopeFileReader in = EnvelopeFileReader.open(log)) {
            for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
                if (line instanceof EnvelopeFileReader.Line.Parsed parsed) {
                    EventEnvelope e = parsed.envelope();
                    if (!e.event().isTokenLike()) {
                        ids.add(e.eventId());
                    }
                }
            }
        }
        return ids;
    }

    Set<String> expectedIds() {
        return expected.keySet();
    }

    /**
     * Reads {@code topic} from the beginning until every expected event id was seen (then
     * {@link #LINGER} more) or {@code timeout}, and compares.
     */
    Result verify(Properties client, String topic, Duration timeout) throws IOException {
        Set<String> seen = new HashSet<>();
        long[] duplicated = {0};
        long[] different = {0};
        long[] unexpected = {0};
        long[] records = {0};
        List<String> examples = new ArrayList<>();
        Map<String, Integer> copies = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (CommittedTopicReader reader = new CommittedTopicReader(client, topic, true)) {
            CommittedTopicReader.RecordSink sink = record -> {
                records[0]++;
                String value = new String(record.value(), StandardCharsets.UTF_8);
                JsonNode node = tree(value);
                String id = node.path("event_id").asText(null);
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                String want = id == null ? null : expected.get(id);
                if (want == null) {
                    unexpected[0]++;
                    example(examples, "unexpected decision " + value);
                } else if (!seen.add(id)) {
                    duplicated[0]++;
                    example(examples, "decision for " + id + " seen " + copies.merge(id, 2, (a, b) -> a + 1)
                            + " times (partition " + record.partition() + ", offset " + record.offset() + ")");
                } else if (!want.equals(value) || !node.path("user_id").asText().equals(key)) {
                    different[0]++;
                    example(examples, "decision for " + id + " differs:\n  expected " + want + "\n  actual   " + value
                            + " (key " + key + ")");
                }
            };
            while (seen.size() < expected.size() && System.nanoTime() < deadline) {
                reader.read(Duration.ofMillis(500), 1, sink);
            }
            reader.read(LINGER, Long.MAX_VALUE, sink);
        }
        long missing = expected.size() - seen.size();
        if (missing > 0) {
            expected.keySet().stream().filter(id -> !seen.contains(id)).limit(EXAMPLES)
                    .forEach(id -> examples.add("no decision for " + id));
        }
        return new Result(expected.size(), seen.size(), duplicated[0], missing, different[0], unexpected[0],
                records[0], List.copyOf(examples));
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < EXAMPLES) {
            examples.add(text);
        }
    }

}
