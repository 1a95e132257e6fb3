package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.JsonTrees;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service keys whose effect shows in an offline replay, set in a {@code --config-file} and run
 * through the CLI: the same settings the service builds its topology from.
 */
class ConfigurationKeysTest {
    private static final long A = 1_767_225_600_000L;
    private static final long B = A + 60_000;

    @TempDir
    Path dir;

    /**
     * {@code noos.dedupe.recent.event.ids}: an event id seen again among a user's last N ids is a
     * duplicate delivery, not decided again; further back it is decided as a new event (0: none
     * remembered). alice's e1 comes back after e2, e3 and e4.
     */
    @Test
    void aRepeatedEventIdIsDroppedOnlyWhileItIsAmongTheLastNIds() throws IOException {
        TestEvent alice = TestEvent.user("alice").agent("agent-7").session("s1");
        String e1 = alice.id("e1").at(1).json(Logs.turnStart("summarize the quarterly report"));
        Path log = Files.writeString(dir.resolve("log.jsonl"), String.join("\n", e1,
                alice.id("e2").at(2).json(Logs.quality(0.9)), alice.id("e3").at(3).json(Logs.quality(0.8)),
                alice.id("e4").at(4).json(Logs.quality(0.7)), e1) + "\n");

        assertEquals(List.of("e1", "e2", "e3", "e4"), decidedIds(log, null), "the default remembers 64 ids");
        assertEquals(List.of("e1", "e2", "e3", "e4"), decidedIds(log, "noos.dedupe.recent.event.ids=4"));
        assertEquals(List.of("e1", "e2", "e3", "e4", "e1"), decidedIds(log, "noos.dedupe.recent.event.ids=3"),
                "e1 is no longer among the last 3 ids");
        assertEquals(List.of("e1", "e2", "e3", "e4", "e1"), decidedIds(log, "noos.dedupe.recent.event.ids=0"));
    }

    /**
     * {@code noos.fleet.stats.grace.ms}, seen by {@code fleet_spend_anomaly}: three users spend in
     * window A, a user's event time reaches 15 s into window B, then a cost of A arrives. With the
     * default 10 s of grace A is closed by then and the cost is late, counted in no window: the
     * heavy spender of B is compared with 3 users of A. With 30 s it is still counted in A: 4 users.
     */
    @Test
    void theGraceDecidesWhetherALateCostCountsInItsWindow() throws IOException {
        Path log = Files.writeString(dir.resolve("log.jsonl"), String.join("\n",
                line("f1", A + 1_000, Logs.cost(0, 300)),
                line("f2", A + 2_000, Logs.cost(0, 400)),
                line("f3", A + 3_000, Logs.cost(0, 500)),
                line("clock", B + 15_000, Logs.turnStart("plan the sprint")),
                line("late", A + 5_000, Logs.cost(0, 100_000)),
                line("heavy", B + 20_000, Logs.cost(0, 2_100))) + "\n");
        String detector = "noos.detector.fleet_spend_anomaly.enabled=true\n"
                + "noos.detector.fleet_spend_anomaly.min_fleet_users=3\n";

        JsonNode byDefault = lastDecision(log, detector);
        assertEquals("spend_anomaly_warn", byDefault.get("kind").asText(), byDefault.toString());
        assertEquals(3, byDefault.get("fleet_users").asInt(), byDefault.toString());
        JsonNode longerGrace = lastDecision(log, detector + "noos.fleet.stats.grace.ms=30000\n");
        assertEquals("spend_anomaly_warn", longerGrace.get("kind").asText(), longerGrace.toString());
        assertEquals(4, longerGrace.get("fleet_users").asInt(), longerGrace.toString());
    }

    private static String line(String user, long at, String event) {
        return TestEvent.user(user).id(user + "-" + at).agent("agent-1").session("s1").at(at).json(event);
    }

    private List<String> decidedIds(Path log, String setting) throws IOException {
        return replay(log, setting == null ? "" : setting + "\n").stream().map(d -> d.get("event_id").asText()).toList();
    }

    private JsonNode lastDecision(Path log, String settings) throws IOException {
        List<JsonNode> decisions = replay(log, settings);
        return decisions.get(decisions.size() - 1).get("decision");
    }

    private List<JsonNode> replay(Path log, String settings) throws IOException {
        Path config = Files.writeString(Files.createTempFile(dir, "settings", ".properties"), settings);
        Path out = Files.createTempFile(dir, "decisions", ".jsonl");
        CliRun run = CliRun.of("replay", "--offline", "--no-progress", "--input", log.toString(),
                "--output", out.toString(), "--config-file", config.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        return Files.readAllLines(out).stream().map(JsonTrees::tree).toList();
    }
}
