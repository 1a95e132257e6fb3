package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.conformance.ConformanceRunner;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.Logs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands that need no broker, through the CLI's own entry point and exit-code
 * handling ({@link CliRun}): {@code conformance}, {@code describe-topology}, {@code bench core} and
 * {@code bench turn} on small sizes, and {@code --help} of every command.
 */
class ReadmeCommandsTest {
    @TempDir
    Path dir;

    private static Path vectors() throws Exception {
        return Path.of(ReadmeCommandsTest.class.getClassLoader().getResource("conformance/vectors").toURI());
    }

    @Test
    void conformancePassesEveryPublicVector() throws Exception {
        CliRun run = CliRun.of("conformance", vectors().toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("341 passed, 0 failed\n", run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void conformanceReportsAFailingVectorAndExitsOne() throws Exception {
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, "{\"name\":\"w\",\"user_id\":\"u\",\"steps\":["
                + "{\"op\":\"event\",\"at_ms\":0,\"event\":{\"type\":\"turn_start\",\"user_message\":\"refactor this function to be async\"}},"
                + "{\"op\":\"event\",\"at_ms\":1,\"event\":{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}},"
                + "{\"op\":\"decide\",\"expect\":{\"kind\":\"continue\"}}]}");
        Path right = vectors().resolve("adversarial__plan_cases_on_topic.json");

        CliRun run = CliRun.of("conformance", wrong.toString(), right.toString());

        assertEquals(1, run.exitCode());
        List<String> lines = run.stdout().lines().toList();
        assertEquals(ConformanceRunner.runFile(wrong).failures().size() + 1, lines.size(), run.stdout());
        assertTrue(lines.get(0).startsWith("FAIL "), lines.get(0));
        assertTrue(lines.get(0).contains("wrong.json") && lines.get(0).contains("scope_drift_warn"), lines.get(0));
        assertEquals("1 passed, 1 failed", lines.get(lines.size() - 1));
    }

    @Test
    void conformanceOfAMissingPathIsAClearError() {
        Path missing = dir.resolve("nowhere");
        CliRun run = CliRun.of("conformance", missing.toString());
        assertEquals(2, run.exitCode());
        assertEquals("no such file or folder: " + missing + "\n", run.stderr());
        assertEquals("", run.stdout());
    }

    /** The committed topology-docs are what the command writes (TopologyDocsGoldenTest checks them against the code). */
    @Test
    void describeTopologyWritesTheCommittedDocsAndPrintsTheText() throws Exception {
        Path out = dir.resolve("docs");
        CliRun write = CliRun.of("describe-topology", "--output-dir", out.toString());
        assertEquals(0, write.exitCode(), write.stderr());
        assertEquals("wrote " + out.resolve("topology.txt") + " and " + out.resolve("topology.mmd") + "\n", write.stdout());
        assertEquals(Files.readString(Path.of("topology-docs/topology.txt")), Files.readString(out.resolve("topology.txt")));
        assertEquals(Files.readString(Path.of("topology-docs/topology.mmd")), Files.readString(out.resolve("topology.mmd")));

        CliRun print = CliRun.of("describe-topology");
        assertEquals(0, print.exitCode(), print.stderr());
        assertEquals(Files.readString(Path.of("topology-docs/topology.txt")), print.stdout());
    }

    /** Timings vary; what is checked is the shape of the output and that every run decides alike. */
    @Test
    void benchCoreReplaysTheWorkloadAndPrintsTheMedianLast() throws Exception {
        List<String> envelopes = Logs.benchTurns(20);
        Path workload = Files.write(dir.resolve("workload.jsonl"), envelopes);
        long events = envelopes.size();

        CliRun run = CliRun.of("bench", "core", "--workload", workload.toString(), "--warmup", "1", "--runs", "3");

        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals(5, lines.size(), run.stdout());
        assertTrue(lines.get(0).matches("parsed " + events + " events in \\d+ ms \\(not timed\\)"), lines.get(0));
        Set<String> checksums = lines.subList(1, 4).stream().map(l -> {
            Matcher m = Pattern.compile("run \\d: [\\d.]+ ms, [\\d,]+ events/s \\(decisions checksum (-?\\d+)\\)").matcher(l);
            assertTrue(m.matches(), l);
            return m.group(1);
        }).collect(Collectors.toSet());
        assertEquals(1, checksums.size(), "every run decides alike: " + checksums);
        assertTrue(lines.get(4).matches("events_per_s=\\d+ ns_per_event=[\\d.]+"), lines.get(4));
    }

    @Test
    void benchTurnPrintsEachRunAndTheMedianLast() {
        CliRun run = CliRun.of("bench", "turn", "--runs", "3", "--turns", "1000");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals(5, lines.size(), run.stdout());
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).matches("run " + (i + 1) + ": [\\d.]+ ns/turn"), lines.get(i));
        }
        assertTrue(lines.get(3).matches("\\(sink -?\\d+\\)"), lines.get(3));
        assertTrue(lines.get(4).matches("ns_per_turn=[\\d.]+"), lines.get(4));
    }

    /** {@code bench jmh -- <JMH options>}: one benchmark, in this JVM (-f 0), one short iteration. */
    @Test
    void benchJmhRunsTheChosenBenchmarkAndPrintsItsScore() {
        CliRun run = CliRun.of("bench", "jmh", "--", "-f", "0", "-wi", "0", "-i", "1", "-r", "200ms",
                "RegulatorBenchmarks.decide$");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("Benchmark                   Mode  Cnt    Score   Error  Units".replaceAll(" +", " "),
                lines.get(lines.size() - 2).replaceAll(" +", " "), run.stdout());
        assertTrue(lines.get(lines.size() - 1).matches("RegulatorBenchmarks\\.decide +avgt +[\\d.]+ +ns/op"),
                lines.get(lines.size() - 1));
    }

    @Test
    void everyCommandOfTheReadmeHasHelp() {
        for (List<String> command : List.of(List.of("run"), List.of("broker"), List.of("produce"), List.of("consume"),
                List.of("replay"), List.of("policy"), List.of("policy", "set"), List.of("policy", "delete"), List.of("policy", "list"),
                List.of("conformance"), List.of("describe-topology"), List.of("bench"), List.of("bench", "core"),
                List.of("bench", "turn"), List.of("bench", "pipeline"), List.of("bench", "jmh"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            CliRun run = CliRun.of(args);
            assertEquals(0, run.exitCode(), command + ": " + run.stderr());
            assertTrue(run.stdout().startsWith("Usage: noos-streams " + String.join(" ", command) + " "),
                    command + ": " + run.stdout());
        }
    }

    /**
     * README "Configuration": {@code noos.reset.on.new.session=false} keeps a user's state across
     * sessions; by default a new session starts from nothing. Seen in the running output-token total
     * of the decision after the second session's first turn (300 from the first session, or 0).
     */
    @Test
    void resetOnNewSessionFalseCarriesTheStateIntoTheNextSession() throws Exception {
        Path log = Files.writeString(dir.resolve("sessions.jsonl"), String.join("\n",
                sessionLine("s1", 1, Logs.turnStart("refactor this function to be async")),
                sessionLine("s1", 2, Logs.cost(300)),
                sessionLine("s2", 3, Logs.turnStart("refactor this function to be async"))));
        Path keep = Files.writeString(dir.resolve("keep.properties"), "noos.reset.on.new.session=false\n");

        assertEquals(0.0, tokensOutAfterSecondSession(log, List.of()), "the default resets");
        assertEquals(300.0, tokensOutAfterSecondSession(log, List.of("--config-file", keep.toString())), "kept");
    }

    private static String sessionLine(String session, long at, String event) {
        return "{\"user_id\":\"alice\",\"agent_id\":\"agent-1\",\"session_id\":\"" + session + "\",\"at_ms\":"
                + at + ",\"event\":" + event + "}";
    }

    private double tokensOutAfterSecondSession(Path log, List<String> flags) throws Exception {
        Path out = Files.createTempFile(dir, "decisions", ".jsonl");
        List<String> args = new java.util.ArrayList<>(List.of("replay", "--offline", "--no-progress",
                "--input", log.toString(), "--output", out.toString()));
        args.addAll(flags);
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> decisions = Files.readAllLines(out);
        assertEquals(3, decisions.size(), "one decision per event");
        return io.noos.streams.testkit.JsonTrees.tree(decisions.get(2)).get("metrics").get("noos.total_tokens_out")
                .asDouble();
    }
}
