package io.noos.streams.replay;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.DecisionLines;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays one log offline and through the real service on an in-process broker and checks that
 * every user gets the same decisions, in the same order: decision, event id, turn, prelude, metrics,
 * byte for byte.
 *
 * <p>The log ({@code replay/replay-sample.jsonl}, 536 envelopes over 20 users and one bad line) was cut
 * from the fleet workload by {@code replay/make_replay_sample.py}; under the settings below its first
 * turns show every decision the regulator emits, a per-task reset, token batches and single tokens.
 */
class ReplayIT {
    /** Tuned so that cost caps, procedural warnings and implicit corrections show up in a few turns. */
    private static final String[] SETTINGS = {
            "--cost-cap", "1500", "--scope-drift-threshold", "0.8", "--implicit-window-ms", "60000"};

    private static Path sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void findSample() throws URISyntaxException {
        sample = Path.of(ReplayIT.class.getResource("/replay/replay-sample.jsonl").toURI());
    }

    @Test
    void offlineAndViaKafkaReplaysDecideAlikeForEveryUser() throws IOException {
        Path offline = dir.resolve("offline.jsonl");
        Path viaKafka = dir.resolve("via-kafka.jsonl");

        CliRun off = CliRun.of(concat(new String[] {"replay", "--offline", "--input", sample.toString(),
                "--output", offline.toString()}, SETTINGS));
        CliRun kafka = CliRun.of(concat(new String[] {"replay", "--via-kafka", "--input", sample.toString(),
                "--output", viaKafka.toString(), "--idle-timeout", "20"}, SETTINGS));

        assertEquals(0, off.exitCode(), off.stderr());
        assertEquals(0, kafka.exitCode(), kafka.stderr());
        String counts = "events read: 536, decisions written: 386, bad lines: 1";
        assertTrue(off.stdout().contains(counts), off.stdout());
        assertTrue(kafka.stdout().contains(counts), kafka.stdout());
        assertTrue(kafka.stderr().contains("replay-sample.jsonl:152: skipped"), "the bad line is reported");

        Map<String, List<String>> expected = DecisionLines.byUser(Files.readAllLines(offline));
        assertEquals(20, expected.size());
        assertSampleCoversEveryDecision(expected);
        assertSameDecisionsPerUser(expected, DecisionLines.byUser(Files.readAllLines(viaKafka)));
    }

    @Test
    void avroOnBothTopicsDecidesAsJsonOffline() throws Exception {
        Map<String, String> flags = new HashMap<>();
        flags.put(ServiceConfig.COST_CAP, "1500");
        flags.put(ServiceConfig.INPUT_FORMAT, "avro");
        flags.put(ServiceConfig.DECISIONS_FORMAT, "avro");
        ServiceConfig config = ServiceConfig.load(null, Map.of(), flags);
        Path offline = dir.resolve("offline.jsonl");
        Path viaKafka = dir.resolve("via-kafka.jsonl");

        ReplaySummary off = new OfflineReplay(config.topologySettings()).run(sample, offline, bad -> { });
        ReplaySummary kafka = new KafkaReplay(config, Duration.ofSeconds(20)).run(sample, viaKafka, bad -> { });

        assertEquals(0, kafka.decisionsMissing());
        assertEquals(off.decisionsWritten(), kafka.decisionsWritten());
        assertSameDecisionsPerUser(DecisionLines.byUser(Files.readAllLines(offline)), DecisionLines.byUser(Files.readAllLines(viaKafka)));
    }

    /** The bound on future event times is the running service's: a replay through Kafka decides as offline. */
    @Test
    void viaKafkaDecidesFutureEventTimesAsOffline() throws Exception {
        long micros = System.currentTimeMillis() * 1_000;   // far beyond noos.event.time.max.future.ms
        Path log = Files.writeString(dir.resolve("future.jsonl"), String.join("\n",
                "{\"user_id\":\"ana\",\"at_ms\":" + micros + ",\"event\":{\"type\":\"turn_start\","
                        + "\"user_message\":\"refactor this function to be async\"}}",
                "{\"user_id\":\"ana\",\"at_ms\":" + (micros + 1_000) + ",\"event\":{\"type\":\"turn_complete\","
                        + "\"full_response\":\"add logging and error handling\"}}") + "\n");
        ServiceConfig config = ServiceConfig.load(null, Map.of(), Map.of());
        Path offline = dir.resolve("offline.jsonl");
        Path viaKafka = dir.resolve("via-kafka.jsonl");

        new OfflineReplay(config.topologySettings()).run(log, offline, bad -> { });
        ReplaySummary kafka = new KafkaReplay(config, Duration.ofSeconds(20)).run(log, viaKafka, bad -> { });

        assertEquals(0, kafka.decisionsMissing());
        assertEquals(2, kafka.decisionsWritten());
        assertEquals(Files.readAllLines(offline), Files.readAllLines(viaKafka));
    }

    private static void assertSameDecisionsPerUser(Map<String, List<String>> expected, Map<String, List<String>> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String user : expected.keySet()) {
            assertEquals(expected.get(user), actual.get(user), "decisions of " + user);
        }
    }

    /** The sample is only a good check if it exercises every rule, ids of both kinds and a reset. */
    private static void assertSampleCoversEveryDecision(Map<String, List<String>> decisions) {
        Set<String> kinds = new TreeSet<>();
        Set<String> idKinds = new TreeSet<>();
        boolean reset = false;
        boolean prelude = false;
        for (List<String> lines : decisions.values()) {
            Set<String> sessions = new TreeSet<>();
            for (String line : lines) {
                JsonNode d = tree(line);
                JsonNode decision = d.get("decision");
                kinds.add(decision.has("reason") ? decision.at("/reason/kind").asText() : decision.get("kind").asText());
                idKinds.add(d.get("event_id").asText().startsWith("replay-sample.jsonl#") ? "derived" : "given");
                sessions.add(d.get("session_id").asText());
                prelude |= !d.get("prelude").isNull();
            }
            reset |= sessions.size() > 1;
        }
        assertEquals(Set.of("continue", "scope_drift_warn", "procedural_warning", "cost_cap_reached",
                "quality_decline_no_recovery", "repeated_tool_call_loop"), kinds);
        assertEquals(Set.of("derived", "given"), idKinds);
        assertTrue(reset, "a user starts a new session");
        assertTrue(prelude, "a procedural warning carries its prelude");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
