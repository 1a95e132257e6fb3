package io.noos.streams.testkit;

import io.noos.streams.cli.NoosStreamsCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs one {@code noos-streams} command in this JVM, with the CLI's own error handling
 * ({@link NoosStreamsCli#commandLine()}, as {@code main} but without exiting), and captures what it prints.
 */
public record CliRun(int exitCode, String stdout, String stderr) {

    public static synchronized CliRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            int code = NoosStreamsCli.commandLine().execute(args);
            return new CliRun(code, capturedOut.toString(StandardCharsets.UTF_8),
                    capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            out.print(capturedOut.toString(StandardCharsets.UTF_8));   // keep the output in the test log
            err.print(capturedErr.toString(StandardCharsets.UTF_8));
        }
    }
}
