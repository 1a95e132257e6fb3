package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A refused detector setting stops the command before anything starts: one line naming it, status 2. */
class InvalidConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void aBadDetectorValueIsOneLineAndStatusTwo() throws Exception {
        assertReplayRefuses("noos.detector.token_budget.window_ms=10",
                "noos.detector.*: token_budget.window_ms must be an integer in 60000..2678400000, got 10");
    }

    @Test
    void aBadEventTimeBoundIsOneLineAndStatusTwo() throws Exception {
        assertReplayRefuses("noos.event.time.max.future.ms=5min",
                "noos.event.time.max.future.ms must be an integer >= 0, got 5min");
    }

    /** {@code replay --offline} with {@code setting} in its configuration file: status 2, one line, nothing replayed. */
    private void assertReplayRefuses(String setting, String message) throws Exception {
        Path config = Files.writeString(dir.resolve("bad.properties"), setting + "\n");
        Path out = dir.resolve("out.jsonl");
        CommandLine cli = NoosStreamsCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int status = cli.execute("replay", "--offline", "--input", "docs/examples/detectors-demo.jsonl",
                "--output", out.toString(), "--no-progress", "--config-file", config.toString());
        assertEquals(2, status);
        assertEquals("error: invalid configuration: " + message, err.toString().strip());
        assertFalse(Files.exists(out), "nothing was replayed");
    }

    @Test
    void aConsecutiveFailureLimitBelowOneIsRefusedBeforeRunStartsAnything() throws Exception {
        for (String bad : new String[] {"0", "-3", "five", ""}) {
            assertRunRefuses("noos.stream.thread.max.consecutive.failures=" + bad,
                    "noos.stream.thread.max.consecutive.failures must be an integer of at least 1, got \"" + bad + "\"");
        }
    }

    @Test
    void aBadStartupBoundOrRequestSizeIsRefusedBeforeRunStartsAnything() throws Exception {
        for (String[] bad : new String[][] {
                {"noos.startup.timeout.ms=-1", "noos.startup.timeout.ms must be an integer >= 0 (milliseconds), got \"-1\""},
                {"max.request.size=big", "max.request.size must be an integer, got \"big\""}}) {
            assertRunRefuses(bad[0], bad[1]);
        }
    }

    @Test
    void theDedupeRocksDbFleetStatisticsAndFormatKeysAreRefusedByNameBeforeRunStartsAnything() throws Exception {
        for (String[] bad : new String[][] {
                {"noos.dedupe.recent.event.ids=abc", "noos.dedupe.recent.event.ids must be an integer, got \"abc\""},
                {"noos.dedupe.recent.event.ids=-1", "noos.dedupe.recent.event.ids must be an integer in 0..65536, got -1"},
                {"noos.dedupe.recent.event.ids=65537", "noos.dedupe.recent.event.ids must be an integer in 0..65536, got 65537"},
                {"noos.rocksdb.memory.bytes=64MB", "noos.rocksdb.memory.bytes must be an integer, got \"64MB\""},
                {"noos.rocksdb.memory.bytes=0", "noos.rocksdb.memory.bytes must be an integer > 0 (bytes), got 0"},
                {"noos.fleet.stats.grace.ms=10s", "noos.fleet.stats.grace.ms must be an integer, got \"10s\""},
                {"noos.fleet.stats.grace.ms=-1", "noos.fleet.stats.grace.ms must be >= 0, got -1"},
                {"noos.fleet.stats.retention.ms=1d", "noos.fleet.stats.retention.ms must be an integer, got \"1d\""},
                {"noos.fleet.stats.retention.ms=59999",
                        "noos.fleet.stats.retention.ms must be at least one window (60000), got 59999"},
                {"noos.fleet.stats.emit.interval.ms=0", "noos.fleet.stats.emit.interval.ms must be > 0, got 0"},
                {"noos.input.format=xml", "noos.input.format must be one of [json, avro], got \"xml\""},
                {"noos.decisions.format=", "noos.decisions.format must be one of [json, avro], got \"\""}}) {
            assertRunRefuses(bad[0], bad[1]);
        }
    }

    /** {@code run} with {@code setting} in its configuration file: status 2 and one line, {@code message}. */
    private void assertRunRefuses(String setting, String message) throws Exception {
        Path config = Files.writeString(dir.resolve("bad.properties"), setting + "\n");
        CommandLine cli = NoosStreamsCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("run", "--config-file", config.toString()), setting);
        assertEquals("error: invalid configuration: " + message, err.toString().strip());
    }

    @Test
    void theDemoSettingsAreAccepted() throws Exception {
        Path out = dir.resolve("out.jsonl");
        CommandLine cli = NoosStreamsCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cli.execute("replay", "--offline", "--input", "docs/examples/detectors-demo.jsonl",
                "--output", out.toString(), "--no-progress", "--config-file", "docs/examples/detectors-demo.properties"));
        assertTrue(Files.readString(out).contains("\"token_budget_exceeded\""));
    }
}
