package io.noos.streams.logfile;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads a file line by line as raw bytes, decompressing it when its name ends in {@code .gz}.
 *
 * <p>A line ends at {@code \n}; a {@code \r} just before it is part of the line ending and dropped.
 * Nothing else is touched: the bytes of a line are exactly those of the file, valid UTF-8 or not
 * (so {@code produce --raw} can send malformed input verbatim). A last line without a final
 * newline is still a line; a final newline does not start an empty one. Line numbers start at 1.
 */
public final class RawLineReader implements Closeable {
    private static final int BUFFER_SIZE = 1 << 16;

    private final Path file;
    private final InputStream in;
    private byte[] buffer = new byte[BUFFER_SIZE];
    private int start;
    private int end;
    private boolean eof;
    private long lineNumber;

    private RawLineReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Opens {@code file}, gunzipping it when its name ends in {@code .gz}.
     *
     * @throws UnreadableInputException when a {@code .gz} file does not start with gzip data
     */
    public static RawLineReader open(Path file) throws IOException {
        return new RawLineReader(file, LogFiles.open(file));
    }

    /** True when the line holds only JSON whitespace (space, tab, CR): a blank line of a log. */
    public static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * The next line without its line ending, or null at the end of the file.
     *
     * @throws UnreadableInputException when gzip data ends early or is damaged (the lines before it
     *                                  were returned)
     */
    public byte[] next() throws IOException {
        int scanned = 0;   // bytes after start already known to hold no newline
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    int to = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    return take(to, i + 1);
                }
            }
            scanned = end - start;
            if (eof) {
                return start == end ? null : take(end, end);
            }
            fill();
        }
    }

    /** The number of the line {@link #next()} returned last (1 for the first line). */
    public long lineNumber() {
        return lineNumber;
    }

    /** Returns the bytes from {@code start} to {@code to} as a line and continues reading at {@code next}. */
    private byte[] take(int to, int next) {
        lineNumber++;
        byte[] line = Arrays.copyOfRange(buffer, start, to);
        start = next;
        return line;
    }

    /** Moves the unread bytes to the front (growing the buffer for long lines) and reads more. */
    private void fill() throws IOException {
        int pending = end - start;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, pending);
        } else if (pending == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        start = 0;
        end = pending;
        int n;
        try {
            n = in.read(buffer, end, buffer.length - end);
        } catch (EOFException e) {   // only the gzip stream throws these, on its own data
            throw UnreadableInputException.truncated(file, lineNumber, e);
        } catch (ZipException e) {
            throw UnreadableInputException.damaged(file, lineNumber, e);
        }
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
