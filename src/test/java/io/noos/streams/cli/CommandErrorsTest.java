package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when a command cannot do its job, through the CLI's own entry point and error
 * handling ({@link NoosStreamsCli#commandLine()}): the exit status (2 for a wrong argument, 1 for a
 * failure while running), one error line that names what to fix (a few more for the first reasons
 * of a file without one envelope), and never a stack trace.
 */
class CommandErrorsTest {
    private static final String TURN = "{\"user_id\":\"alice\",\"at_ms\":%d,\"event\":{\"type\":\"turn_start\","
            + "\"user_message\":\"refactor the payment client number %d\"}}";

    @TempDir
    Path dir;

    private static void assertNoStackTrace(CliRun run) {
        assertFalse(run.stderr().contains("\tat ") || run.stderr().contains("Exception"), run.stderr());
        assertFalse(run.stdout().contains("\tat ") || run.stdout().contains("Exception"), run.stdout());
    }

    /** Asserts the exit status and that stderr is exactly {@code message} (one line), without a stack trace. */
    private static void assertError(int status, String message, CliRun run) {
        assertEquals(status, run.exitCode(), run.stderr());
        assertEquals("error: " + message, run.stderr().strip());
        assertNoStackTrace(run);
    }

    private Path envelopes(String name, int count) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            s.append(String.format(TURN, i, i)).append('\n');
        }
        return Files.writeString(dir.resolve(name), s);
    }

    // ---------------------------------------------------------------- usage

    @Test
    void aMissingOptionIsOneLineAndAPointerToTheHelpNotTheWholeUsage() {
        CliRun run = CliRun.of("replay", "--offline", "--output", dir.resolve("out.jsonl").toString());
        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("error: Missing required option: '--input=FILE'" + System.lineSeparator()
                + "see 'noos-streams replay --help'", run.stderr().strip());
        assertNoStackTrace(run);
    }

    // ---------------------------------------------------------------- replay: file arguments

    @Test
    void replayOfAMissingFileNamesIt() {
        Path missing = dir.resolve("no-such-log.jsonl");
        Path out = dir.resolve("out.jsonl");
        assertError(2, "--input " + missing + ": no such file",
                CliRun.of("replay", "--offline", "--no-progress", "--input", missing.toString(), "--output", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void replayOfADirectoryNamesIt() {
        Path out = dir.resolve("out.jsonl");
        assertError(2, "--input " + dir + ": is a directory, not a file",
                CliRun.of("replay", "--offline", "--no-progress", "--input", dir.toString(), "--output", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void anOutputThatCannotBeCreatedIsRefusedBeforeTheReplay() throws IOException {
        Path input = envelopes("log.jsonl", 3);
        Path aFile = Files.writeString(dir.resolve("plain-file"), "x");
        Path under = aFile.resolve("sub/out.jsonl");
        assertError(2, "--output " + under + ": cannot be created: " + aFile + " is not a directory",
                CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(), "--output", under.toString()));

        assertError(2, "--output " + dir + ": is a directory; give the path of a file",
                CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(), "--output", dir.toString()));

        assertError(2, "--summary " + under + ": cannot be created: " + aFile + " is not a directory",
                CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(),
                        "--output", dir.resolve("out.jsonl").toString(), "--summary", under.toString()));
        assertFalse(Files.exists(dir.resolve("out.jsonl")), "nothing was replayed");
    }

    @Test
    void missingParentDirectoriesOfTheOutputAreCreated() throws IOException {
        Path input = envelopes("log.jsonl", 3);
        Path out = dir.resolve("new/deeper/out.jsonl");
        CliRun run = CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(), "--output", out.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(3, Files.readAllLines(out).size());
    }

    // ---------------------------------------------------------------- replay: damaged or useless input

    /**
     * A {@code .gz} cut short: the error says how many complete lines were read before the end, and
     * the partial output is removed (a file at {@code --output} is always a whole replay).
     */
    @Test
    void aTruncatedGzipSaysHowManyLinesWereReadAndLeavesNoOutput() throws IOException {
        Path whole = dir.resolve("whole.jsonl.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(whole))) {
            Random random = new Random(5);   // incompressible-ish text, so the cut lands mid-file
            for (int i = 1; i <= 20_000; i++) {
                gz.write((String.format(TURN, i, random.nextLong()) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("cut.jsonl.gz"), Arrays.copyOf(bytes, bytes.length / 2));
        long completeLines = completeLinesBeforeTheEnd(truncated);
        assertTrue(completeLines > 2048 && completeLines < 20_000, "the cut is mid-file: " + completeLines);
        Path out = dir.resolve("decisions.jsonl");

        CliRun run = CliRun.of("replay", "--offline", "--no-progress", "--input", truncated.toString(),
                "--output", out.toString());

        assertError(1, truncated + " is truncated: its gzip data ends after " + completeLines + " complete lines"
                + " (Unexpected end of ZLIB input stream); the partial output " + out + " was removed", run);
        assertFalse(Files.exists(out), "no partial output is left");
    }

    @Test
    void aGzFileThatIsNotGzipSaysSo() throws IOException {
        Path notGzip = Files.copy(envelopes("log.jsonl", 3), dir.resolve("log.jsonl.gz"));
        Path empty = Files.write(dir.resolve("empty.jsonl.gz"), new byte[0]);
        Path out = dir.resolve("out.jsonl");
        assertError(1, notGzip + " is not gzip data, though its name ends in .gz (Not in GZIP format); no output was "
                + "written", CliRun.of("replay", "--offline", "--no-progress", "--input", notGzip.toString(),
                "--output", out.toString()));
        assertError(1, empty + " is not gzip data, though its name ends in .gz (it ends before the gzip header); no "
                + "output was written", CliRun.of("replay", "--offline", "--no-progress", "--input", empty.toString(),
                "--output", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void aMissingConfigFileIsAnInvalidConfiguration() throws IOException {
        Path input = envelopes("log.jsonl", 3);
        Path missing = dir.resolve("noos.properties");
        assertError(2, "invalid configuration: --config-file " + missing + ": no such file",
                CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(),
                        "--output", dir.resolve("out.jsonl").toString(), "--config-file", missing.toString()));
    }

    /** The newlines in all the data a gzip stream gives before it ends early: the complete lines in it. */
    private static long completeLinesBeforeTheEnd(Path gz) throws IOException {
        long newlines = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    newlines += buffer[i] == '\n' ? 1 : 0;
                }
            }
        } catch (EOFException expected) {
            return newlines;
        }
        throw new AssertionError("the file is not truncated");
    }

    @Test
    void aFileWithLinesButNotOneEnvelopeFailsWithTheFirstReasons() throws IOException {
        Path input = dir.resolve("not-envelopes.jsonl");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("hello\n\n{\"user_id\":\"alice\",\"at_ms\":1}\n".getBytes(StandardCharsets.UTF_8));
        text.writeBytes(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"', '\n'});
        text.writeBytes("[1,2]\n".getBytes(StandardCharsets.UTF_8));
        Files.write(input, text.toByteArray());
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(),
                "--output", out.toString());

        assertEquals(1, run.exitCode(), run.stderr());
        String error = run.stderr().substring(run.stderr().indexOf("error: "));
        assertEquals(String.join(System.lineSeparator(),
                "error: not one of the 4 non-blank lines of " + input + " is an envelope; nothing was replayed and no "
                        + "output was written. The first reasons:",
                "  line 1: not valid JSON: Unrecognized token 'hello': was expecting (JSON String, Number, Array, "
                        + "Object or token 'null', 'true' or 'false')",
                "  line 3: event is required",
                "  line 4: not valid UTF-8: overlong encoding at byte 1"), error.strip());
        assertTrue(run.stderr().contains(input + ":5: skipped, envelope must be a JSON object, got an array"),
                "every bad line is still reported: " + run.stderr());
        assertNoStackTrace(run);
        assertFalse(Files.exists(out));
        assertFalse(run.stdout().contains("replay:"), "no summary of a replay that did not happen: " + run.stdout());
    }

    @Test
    void binaryGarbageIsNotAReplayOfNothing() throws IOException {
        byte[] garbage = new byte[100_000];
        new Random(13).nextBytes(garbage);
        Path input = Files.write(dir.resolve("random.bin"), garbage);
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(),
                "--output", out.toString());

        assertEquals(1, run.exitCode(), run.stderr());
        String error = run.stderr().substring(run.stderr().indexOf("error: "));
        assertTrue(error.startsWith("error: not one of the "), error);
        assertTrue(error.contains(" non-blank lines of " + input + " is an envelope; nothing was replayed and no output "
                + "was written. The first reasons:" + System.lineSeparator() + "  line 1: "), error);
        assertEquals(4, error.strip().split(System.lineSeparator()).length, "the error and three reasons: " + error);
        assertNoStackTrace(run);
        assertFalse(Files.exists(out));
    }

    /** A line that is not well-formed UTF-8 is reported with the reason the service gives its dead letter. */
    @Test
    void anOverlongLineIsReportedWithTheServicesReason() throws IOException {
        String before = "{\"user_id\":\"alice\",\"at_ms\":2,\"event\":{\"type\":\"turn_start\",\"user_message\":\"a";
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes((String.format(TURN, 1, 1) + "\n" + before).getBytes(StandardCharsets.UTF_8));
        text.writeBytes(new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF});
        text.writeBytes(("\"}}\n" + String.format(TURN, 3, 3) + "\n").getBytes(StandardCharsets.UTF_8));
        Path input = Files.write(dir.resolve("overlong.jsonl"), text.toByteArray());
        Path out = dir.resolve("out.jsonl");

        CliRun run = CliRun.of("replay", "--offline", "--no-progress", "--input", input.toString(),
                "--output", out.toString());

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(input + ":2: skipped, not valid UTF-8: overlong encoding at byte " + before.length(),
                run.stderr().strip());
        assertEquals(2, Files.readAllLines(out).size(), "the lines around it are decided");
    }

    // ---------------------------------------------------------------- Kafka tools: nothing listening

    /** A loopback port nothing listens on. */
    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(60);

    private static CliRun timed(String... args) {
        long start = System.nanoTime();
        CliRun run = CliRun.of(args);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0, "ended within " + BOUND + ": " + took);
        return run;
    }

    @Test
    @Timeout(120)
    void produceToAnAddressWhereNothingListensEndsWithOneLine() throws IOException {
        String address = "127.0.0.1:" + deadPort();
        Path input = envelopes("log.jsonl", 50);
        assertError(1, "no Kafka broker answered at " + address + " within 15 s; check --bootstrap-servers (and, for TLS "
                + "or SASL, --client-config)", timed("produce", "--bootstrap-servers", address, "--input", input.toString()));
    }

    @Test
    @Timeout(120)
    void consumeFromAnAddressWhereNothingListensEndsWithOneLine() throws IOException {
        String address = "127.0.0.1:" + deadPort();
        Path out = dir.resolve("dump.jsonl");
        assertError(1, "no Kafka broker answered at " + address + " within 15 s; check --bootstrap-servers (and, for TLS "
                + "or SASL, --client-config)", timed("consume", "--bootstrap-servers", address, "--topic",
                "regulator-decisions", "--output", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    @Timeout(120)
    void replayToATopicWhereNothingListensEndsWithOneLine() throws IOException {
        String address = "127.0.0.1:" + deadPort();
        Path input = envelopes("log.jsonl", 5);
        assertError(1, "no Kafka broker answered at " + address + " within 15 s; check --bootstrap-servers (and, for TLS "
                + "or SASL, --config-file)", timed("replay", "--to-topic", "--bootstrap-servers", address,
                "--input", input.toString()));
    }

    @Test
    void consumeRefusesAnOutputItCannotCreateBeforeConnecting() throws IOException {
        Path aFile = Files.writeString(dir.resolve("plain-file"), "x");
        Path under = aFile.resolve("dump.jsonl");
        assertError(2, "--output " + under + ": cannot be created: " + aFile + " is not a directory",
                CliRun.of("consume", "--bootstrap-servers", "127.0.0.1:" + deadPort(), "--topic", "t",
                        "--output", under.toString()));
    }

    // ---------------------------------------------------------------- run: a cluster that never answers

    @Test
    @Timeout(120)
    void runAgainstAnAddressWhereNothingEverListensWaitsItsBoundThenEndsWithOneLine() throws IOException {
        String address = "127.0.0.1:" + deadPort();
        Path config = Files.writeString(dir.resolve("service.properties"), "noos.startup.timeout.ms=3000\n");
        long start = System.nanoTime();
        CliRun run = CliRun.of("run", "--bootstrap-servers", address, "--config-file", config.toString(),
                "--http-port", "-1", "--state-dir", dir.resolve("state").toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // The service's log lines (the effective configuration, the wait) may come first on stderr.
        assertEquals(1, run.exitCode(), run.stderr());
        assertEquals(List.of("error: no Kafka broker answered at " + address + " within 3 s (noos.startup.timeout.ms); "
                + "check bootstrap.servers (--bootstrap-servers) and that the brokers are up"),
                run.stderr().lines().filter(l -> l.startsWith("error")).toList());
        assertTrue(run.stderr().strip().endsWith("brokers are up"), run.stderr());
        assertNoStackTrace(run);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) >= 0, "waited its bound: " + took);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "then stopped: " + took);
    }

    // ---------------------------------------------------------------- run: the HTTP port

    @Test
    @Timeout(60)
    void anHttpPortInUseIsOneLineNamingThePortAndTheOptions() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            CliRun run = CliRun.of("run", "--bootstrap-servers", "127.0.0.1:" + deadPort(), "--http-port",
                    Integer.toString(port), "--state-dir", dir.resolve("state").toString());
            assertEquals(1, run.exitCode(), run.stderr());
            String error = run.stderr().strip();
            assertTrue(error.startsWith("error: the HTTP port " + port + " on "), error);
            assertTrue(error.endsWith(" is not available (Address already in use); choose another with --http-port or "
                    + "noos.http.port (0 picks a free port, -1 runs without the HTTP server)"), error);
            assertEquals(1, error.lines().count(), error);
            assertNoStackTrace(run);
        }
    }

    // ---------------------------------------------------------------- bench core: a bad workload

    @Test
    void benchCoreNamesTheWorkloadAndTheLineOfABadEvent() throws IOException {
        Path lacking = Files.writeString(dir.resolve("lacking.jsonl"),
                String.format(TURN, 1, 1) + "\n" + "{\"user_id\":\"bob\",\"at_ms\":2}\n");
        assertError(1, "workload " + lacking + ": line 2: lacks user_id or event",
                CliRun.of("bench", "core", "--workload", lacking.toString(), "--runs", "1", "--warmup", "0"));

        Path notJson = Files.writeString(dir.resolve("not-json.jsonl"), String.format(TURN, 1, 1) + "\n{\"user_id\n");
        CliRun run = CliRun.of("bench", "core", "--workload", notJson.toString(), "--runs", "1", "--warmup", "0");
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().startsWith("error: workload " + notJson + ": line 2 is not valid JSON: "), run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertNoStackTrace(run);
    }
}
