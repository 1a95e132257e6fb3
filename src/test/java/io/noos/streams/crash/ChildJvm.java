package io.noos.streams.crash;

import io.noos.streams.testkit.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code java -jar noos-streams.jar <command>} child process, its stdout and stderr going to
 * files (kept for diagnosis). {@link #kill()} sends SIGKILL ({@link Process#destroyForcibly()} on
 * Linux), {@link #stop} SIGTERM. Every child started is also stopped by a JVM shutdown hook, so a
 * test JVM that dies early leaves no child behind.
 */
final class ChildJvm implements AutoCloseable {
    /** Exit status of a process ended by SIGKILL (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    private static final List<Process> LIVE = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (LIVE) {
                LIVE.forEach(Process::destroyForcibly);
            }
        }, "child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code java <jvmArgs> -jar <jar> <args>} with {@code env} added to this JVM's
     * environment, output in {@code logDir/<name>.out} and {@code .err}.
     */
    static ChildJvm start(String name, Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env,
                          Path logDir) throws IOException {
        Files.createDirectories(logDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // Only the given settings: the service reads NOOS_* and KAFKA_* variables as configuration.
        builder.environment().keySet().removeIf(k -> k.startsWith("NOOS_") || k.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        synchronized (LIVE) {
            LIVE.add(process);
        }
        return new ChildJvm(name, process, out, err);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path stdoutFile() {
        return stdout;
    }

    Path stderrFile() {
        return stderr;
    }

    /**
     * Waits until a line of stdout matches {@code line}, and returns it.
     *
     * @throws IllegalStateException if the process ends first; AssertionError if nothing matches within {@code timeout}
     */
    String awaitStdoutLine(Predicate<String> line, String what, Duration timeout) throws Exception {
        return Poll.value(name + " prints " + what, timeout, () -> {
            Optional<String> found = stdoutLines().stream().filter(line).findFirst();
            if (found.isEmpty() && !process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before " + what
                        + "; see " + stdout + " and " + stderr + ":\n" + tail(stderr));
            }
            return found;
        }, () -> "see " + stdout + " and " + stderr + ":\n" + tail(stderr));
    }

    List<String> stdoutLines() throws IOException {
        return Files.readAllLines(stdout, StandardCharsets.UTF_8);
    }

    List<String> stderrLines() throws IOException {
        return Files.readAllLines(stderr, StandardCharsets.UTF_8);
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit status (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive 30 s after SIGKILL");
        }
        forget();
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns the exit status. */
    int stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        forget();
        return process.exitValue();
    }

    /** Ends the process if it still runs (SIGKILL: nothing of it is checked any more). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forget();
    }

    private void forget() {
        synchronized (LIVE) {
            LIVE.remove(process);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
