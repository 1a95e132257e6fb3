package io.noos.streams.logfile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An input file could not be read to its end: its gzip data is cut short or damaged. The message
 * names the file and the problem and says how many complete lines were read before it.
 */
public final class UnreadableInputException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long linesRead;

    private UnreadableInputException(String message, long linesRead, IOException cause) {
        super(message, cause);
        this.linesRead = linesRead;
    }

    /** The gzip data of {@code file} ended early, after {@code linesRead} complete lines. */
    static UnreadableInputException truncated(Path file, long linesRead, IOException cause) {
        return new UnreadableInputException(file + " is truncated: its gzip data ends after " + lines(linesRead)
                + " (" + cause.getMessage() + ")", linesRead, cause);
    }

    /** The gzip data of {@code file} is damaged after {@code linesRead} complete lines. */
    static UnreadableInputException damaged(Path file, long linesRead, IOException cause) {
        return new UnreadableInputException(file + " is damaged: its gzip data is not valid after " + lines(linesRead)
                + " (" + cause.getMessage() + ")", linesRead, cause);
    }

    /** {@code file}, named {@code .gz}, does not start with gzip data. */
    static UnreadableInputException notGzip(Path file, IOException cause) {
        return new UnreadableInputException(file + " is not gzip data, though its name ends in .gz ("
                + (cause.getMessage() != null ? cause.getMessage() : "it ends before the gzip header") + ")", 0, cause);
    }

    private static String lines(long n) {
        return n + " complete line" + (n == 1 ? "" : "s");
    }

    /** Complete lines read before the problem. */
    public long linesRead() {
        return linesRead;
    }
}
