package io.noos.streams.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once under crashes, with separate JVMs: a broker ({@code broker}) and two service
 * instances ({@code run}) from the product jar, one instance SIGKILLed at least three times while
 * it processes and restarted (once with its local state deleted), and every decision read
 * {@code read_committed} and compared with the offline replay of the log. See {@link CrashRestartRun}.
 *
 * <p>CI runs 60 000 events over 1 000 users with 3 kills; {@code -Dnoos.crash.long=true} runs
 * 600 000 events over 10 000 users with 10 kills (README, Tests).
 */
class CrashRestartIT {

    @Test
    @Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)   // the run bounds each of its waits itself
    void everyNonTokenEventIsDecidedExactlyOnceAsTheOfflineReplayDecidesIt() throws Exception {
        Path jar = Path.of(System.getProperty("noos.crash.jar", "target/noos-streams.jar"));
        assertTrue(Files.isRegularFile(jar), "the crash test runs the product jar " + jar.toAbsolutePath()
                + ": build it first (mvn package; mvn verify builds it before the integration tests)");
        CrashRestartRun.Settings settings = CrashRestartRun.Settings.fromSystemProperties();
        // A floor on the configuration, not on a measurement: the run must be at least CI's variant.
        assertTrue(settings.events() >= 60_000 && settings.users() >= 1_000 && settings.kills() >= 3,
                "at least 60K events over 1,000 users and three kills: " + settings);
        Path workDir = Path.of("target", "crash-test",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        CrashRestartRun run = new CrashRestartRun(settings, jar, workDir);

        CrashRestartRun.Report report = run.run();
        report.lines().forEach(System.out::println);

        assertEquals(settings.kills(), report.kills().size(), "every planned kill happened");
        for (CrashRestartRun.Kill kill : report.kills()) {
            assertEquals(ChildJvm.SIGKILL_EXIT, kill.exitStatus(), "killed by SIGKILL: " + kill);
            // How many partitions the victim owns is the group's assignment at that moment: a bound.
            assertTrue(kill.ownedPartitions() > 0, "killed while owning input partitions: " + kill);
            // A restart on its kept state dir may find some tasks' checkpoints current (tasks it had
            // handed over cleanly before the kill), so only a restart with its state deleted must restore.
            if (kill.stateWiped()) {
                assertTrue(kill.restoredRecords() > 0,
                        "the restarted instance rebuilt its users' state from the changelog: " + kill);
            }
        }
        assertTrue(report.kills().stream().anyMatch(CrashRestartRun.Kill::stateWiped),
                "one restart began with the local state deleted");

        DecisionVerifier.Result decisions = report.decisions();
        assertEquals(report.nonTokenEvents(), decisions.expected(), "one expected decision per non-token event");
        // The exact count is the offline replay's (above); how many of the seeded random envelopes
        // are tokens is not fixed by a rule, so this only keeps the run from being mostly tokens.
        assertTrue(decisions.expected() > 10_000, "a substantial number of decisions: " + decisions.expected());
        assertEquals(0, decisions.duplicated(), "duplicated decisions: " + decisions.examples());
        assertEquals(0, decisions.missing(), "missing decisions: " + decisions.examples());
        assertEquals(0, decisions.different(), "decisions that differ from the offline replay: " + decisions.examples());
        assertEquals(0, decisions.unexpected(), "decisions for no event of the log: " + decisions.examples());
        assertEquals(decisions.expected(), decisions.seen());

        run.deleteData();   // logs, the event log and the report stay under target/crash-test
    }
}
