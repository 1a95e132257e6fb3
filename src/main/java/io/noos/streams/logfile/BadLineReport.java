package io.noos.streams.logfile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports input lines that are not envelopes, one line each: {@code <file>:<line>: <reason>}; and
 * keeps the first few, for the error of a file in which not one line is an envelope.
 */
public final class BadLineReport {
    /** How many bad lines {@link #noEnvelopeError} repeats. */
    static final int FIRST_REASONS = 3;

    private final PrintStream err;
    private final String fileName;
    private final List<EnvelopeFileReader.Line.Bad> first = new ArrayList<>(FIRST_REASONS);

    /** Reports on {@code err} about lines of {@code file}. */
    public BadLineReport(PrintStream err, Path file) {
        this.err = err;
        this.fileName = file.toString();
    }

    /** Reports one bad line. */
    public void report(EnvelopeFileReader.Line.Bad bad) {
        if (first.size() < FIRST_REASONS) {
            first.add(bad);
        }
        err.println(fileName + ":" + bad.lineNumber() + ": skipped, " + bad.reason());
    }

    /**
     * The error for a file with {@code badLines} bad lines and not one envelope: what happened,
     * then the first reasons, one per line.
     */
    public String noEnvelopeError(long badLines, String outcome) {
        StringBuilder s = new StringBuilder("not one of the ").append(badLines).append(" non-blank line")
                .append(badLines == 1 ? "" : "s").append(" of ").append(fileName).append(" is an envelope; ")
                .append(outcome).append(". The first reason").append(first.size() == 1 ? "" : "s").append(':');
        for (EnvelopeFileReader.Line.Bad bad : first) {
            s.append(System.lineSeparator())
                    .append("  line ").append(bad.lineNumber()).append(": ").append(bad.reason());
        }
        return s.toString();
    }
}
