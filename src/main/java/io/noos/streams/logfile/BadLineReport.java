package io.noos.streams.logfile;

import java.io.PrintStream;
import java.nio.file.Path;

/** Reports input lines that are not envelopes, one line each: {@code <file>:<line>: <reason>}. */
public final class BadLineReport {
    private final PrintStream err;
    private final String fileName;

    /** Reports on {@code err} about lines of {@code file}. */
    public BadLineReport(PrintStream err, Path file) {
        this.err = err;
        this.fileName = file.toString();
    }

    /** Reports one bad line. */
    public void report(EnvelopeFileReader.Line.Bad bad) {
        err.println(fileName + ":" + bad.lineNumber() + ": skipped, " + bad.reason());
    }
}
