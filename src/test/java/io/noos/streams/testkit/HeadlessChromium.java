package io.noos.streams.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium ({@code /usr/bin/chromium}, package {@code chromium}) run headless from the
 * command line: load a page, let it run for a budget of virtual time (timers run, network loads
 * are waited for), then print the DOM or save a screenshot. Nothing is downloaded; a fresh
 * profile directory per run; background networking, sync and updates off.
 */
public final class HeadlessChromium {
    /** Overridable with {@code -Dnoos.chromium=/path/to/chromium}. */
    static final Path DEFAULT = Path.of("/usr/bin/chromium");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /**
     * The browser. When it is missing the test fails where the environment variable
     * {@code NOOS_REQUIRE_BROWSER} is set (CI's {@code .ci/run} installs Chromium and sets it), and is
     * skipped, saying how to install it, elsewhere (a fresh machine has no browser).
     */
    public static HeadlessChromium locate() {
        Path binary = Path.of(System.getProperty("noos.chromium", DEFAULT.toString()));
        Prerequisite.require(Files.isExecutable(binary), "NOOS_REQUIRE_BROWSER",
                "Chromium is needed to test a page in a real browser and was not found at "
                + binary + ". Install Debian's package (apt-get install -y chromium) or point -Dnoos.chromium "
                + "at a Chromium binary; nothing is downloaded by the test.");
        return new HeadlessChromium(binary);
    }

    /** The page's DOM after {@code budget} of virtual time, serialised as HTML. */
    public String dumpDom(String url, Duration budget) throws IOException, InterruptedException {
        return run(List.of("--window-size=1280,1000", "--virtual-time-budget=" + budget.toMillis(), "--dump-dom", url));
    }

    /** A PNG of the page after {@code budget} of virtual time. */
    public void screenshot(String url, Path png, int width, int height, Duration budget) throws IOException, InterruptedException {
        run(List.of("--window-size=" + width + "," + height, "--hide-scrollbars",
                "--virtual-time-budget=" + budget.toMillis(), "--screenshot=" + png.toAbsolutePath(), url));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("Chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("noos-chromium-");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish within " + PROCESS_TIMEOUT + ": " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("Chromium exited with " + p.exitValue() + ": " + command);
            }
            return out.join();
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            deleteRecursively(profile);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
