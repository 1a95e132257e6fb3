package io.noos.streams.logfile;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import io.noos.streams.envelope.EventEnvelope;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.json.Json;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Reads a JSON Lines file of {@code agent-events} envelopes ({@code .gz} accepted), one line at a
 * time, the way every tool reads one: each non-blank line is parsed with {@link EnvelopeJson};
 * an envelope without {@code event_id} gets the id {@link EventIds} derives from the file and the
 * line number; a line that does not parse comes back as a {@link Line.Bad} with its line number and
 * the reason, and is counted. Blank lines are skipped and counted.
 *
 * <pre>{@code
 * try (EnvelopeFileReader in = EnvelopeFileReader.open(file)) {
 *     for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
 *         if (line instanceof EnvelopeFileReader.Line.Parsed p) { ... p.envelope() ... }
 *     }
 *     in.counts();
 * }
 * }</pre>
 */
public final class EnvelopeFileReader implements Closeable {

    /** What one non-blank line of the file holds. */
    public sealed interface Line {
        /** The line's number in the file, from 1. */
        long lineNumber();

        /** A line holding an envelope (with its event id set). */
        record Parsed(long lineNumber, EventEnvelope envelope) implements Line {}

        /** A line that is not an envelope, and why. */
        record Bad(long lineNumber, String reason) implements Line {}
    }

    /**
     * How many lines were read so far.
     *
     * @param envelopes  lines holding an envelope
     * @param badLines   non-blank lines that are not an envelope
     * @param blankLines empty or whitespace-only lines (skipped)
     */
    public record Counts(long envelopes, long badLines, long blankLines) {
        /** All lines read. */
        public long lines() {
            return envelopes + badLines + blankLines;
        }
    }

    /** Lines per parse task: large enough to amortise the hand-off, small enough to start at once. */
    private static final int CHUNK_LINES = 2048;
    /** Marks a blank line inside a parsed chunk. */
    private static final Object BLANK = new Object();
    /** Marks the end of the file in the chunk queue. */
    private static final Future<Object[]> END = CompletableFuture.completedFuture(null);

    private final RawLineReader lines;
    private final String fileLabel;
    private final ExecutorService parsers;
    private final BlockingQueue<Future<Object[]>> chunks = new ArrayBlockingQueue<>(16);
    private final Thread lineReader;
    private Object[] current;
    private int position;
    private boolean ended;
    private long envelopes;
    private long badLines;
    private long blankLines;

    /**
     * Parsing is the expensive part of a replay, so it runs ahead of the caller: one thread splits
     * the (possibly gzipped) file into chunks of lines, a small pool parses chunks in parallel, and
     * {@link #next()} hands the results out in file order.
     */
    private EnvelopeFileReader(RawLineReader lines, String fileLabel) {
        this.lines = lines;
        this.fileLabel = fileLabel;
        int threads = Integer.getInteger("noos.parse.threads", Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        this.parsers = Executors.newFixedThreadPool(threads, daemon("envelope-parser"));
        this.lineReader = daemon("envelope-line-reader").newThread(this::readChunks);
        lineReader.start();
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens {@code file}; derived event ids are labelled with its name (see {@link EventIds}). */
    public static EnvelopeFileReader open(Path file) throws IOException {
        return new EnvelopeFileReader(RawLineReader.open(file), EventIds.fileLabel(file));
    }

    /**
     * Splits the file into chunks of lines for the parsers. When the file cannot be read further
     * (a truncated {@code .gz}), the lines read before are still handed out, then the error.
     */
    private void readChunks() {
        try {
            while (true) {
                byte[][] batch = new byte[CHUNK_LINES][];
                int n = 0;
                long firstLine = lines.lineNumber() + 1;
                Exception failure = null;
                try {
                    byte[] line;
                    while (n < CHUNK_LINES && (line = lines.next()) != null) {
                        batch[n++] = line;
                    }
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
                if (n > 0) {
                    int size = n;
                    chunks.put(parsers.submit(() -> parseChunk(batch, size, firstLine)));
                }
                if (failure != null) {
                    chunks.put(CompletableFuture.failedFuture(failure));
                    return;
                }
                if (n < CHUNK_LINES) {
                    chunks.put(END);
                    return;
                }
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            chunks.offer(CompletableFuture.failedFuture(e));
        }
    }

    /**
     * Parses a chunk: each line first with {@link EnvelopeJson#parsePlain}, which reads the usual
     * envelopes fast; the lines it leaves go to {@link #parseStrictly}.
     */
    private Object[] parseChunk(byte[][] batch, int size, long firstLine) {
        Object[] out = new Object[size];
        byte[][] strict = null;
        long[] strictNumbers = null;
        int[] strictIndex = null;
        int pending = 0;
        for (int i = 0; i < size; i++) {
            long lineNumber = firstLine + i;
            EventEnvelope plain;
            try {
                plain = EnvelopeJson.parsePlain(batch[i], EventIds.derive(fileLabel, lineNumber));
            } catch (InvalidEventException refused) {
                out[i] = new Line.Bad(lineNumber, refused.getMessage());
                continue;
            }
            if (plain != null) {
                out[i] = new Line.Parsed(lineNumber, plain);
            } else if (RawLineReader.isBlank(batch[i])) {
                out[i] = BLANK;
            } else {
                if (strict == null) {
                    strict = new byte[size][];
                    strictNumbers = new long[size];
                    strictIndex = new int[size];
                }
                strict[pending] = batch[i];
                strictNumbers[pending] = firstLine + i;
                strictIndex[pending] = i;
                pending++;
            }
        }
        if (pending > 0) {
            Object[] strictOut = parseStrictly(strict, pending, strictNumbers);
            for (int k = 0; k < pending; k++) {
                out[strictIndex[k]] = strictOut[k];
            }
        }
        return out;
    }

    private Line.Parsed parsed(EventEnvelope envelope, long lineNumber) {
        if (envelope.eventId() == null) {
            envelope = envelope.withEventId(EventIds.derive(fileLabel, lineNumber));
        }
        return new Line.Parsed(lineNumber, envelope);
    }

    /**
     * Parses lines with the strict reader, with one JSON parser over all of them (creating a parser
     * per line costs more than parsing a short line), checking that every envelope starts and ends
     * on its own line with nothing else on it. Anything unusual (a bad line, a line that is not
     * well-formed UTF-8, two values on a line, a value over several lines) is handed to the
     * line-by-line {@link #parseLine}, which gives the exact verdict and reason; the run then
     * restarts after that line.
     */
    private Object[] parseStrictly(byte[][] batch, int size, long[] lineNumbers) {
        Object[] out = new Object[size];
        int[] starts = new int[size + 1];
        for (int i = 0; i < size; i++) {
            starts[i + 1] = starts[i] + batch[i].length + 1;
        }
        byte[] joined = new byte[starts[size]];
        for (int i = 0; i < size; i++) {
            System.arraycopy(batch[i], 0, joined, starts[i], batch[i].length);
            joined[starts[i + 1] - 1] = '\n';
        }
        int next = 0;
        while (next < size) {
            next = parseRun(batch, joined, starts, next, size, lineNumbers, out);
            if (next < size) {
                out[next] = parseLine(batch[next], lineNumbers[next]);
                next++;
            }
        }
        return out;
    }

    /**
     * Parses lines from {@code from} with one parser until the batch ends or a line needs the
     * line-by-line path; returns the index of that line ({@code size} when all were parsed).
     */
    private int parseRun(byte[][] batch, byte[] joined, int[] starts, int from, int size, long[] lineNumbers,
                         Object[] out) {
        int base = starts[from];
        int line = from;
        try (JsonParser p = Json.FACTORY.createParser(joined, base, starts[size] - base)) {
            while (line < size) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    while (line < size) {
                        out[line++] = BLANK; // only whitespace was left
                    }
                    return size;
                }
                long begin = base + p.currentTokenLocation().getByteOffset();
                while (line < size && begin >= starts[line + 1]) {
                    out[line++] = BLANK; // the parser skipped whole whitespace lines
                }
                if (t != JsonToken.START_OBJECT || !Utf8.isWellFormed(batch[line])) {
                    return line;   // the JSON reader would decode malformed UTF-8 leniently
                }
                EventEnvelope envelope = EnvelopeJson.read(p);
                long end = base + p.currentLocation().getByteOffset();
                if (end > starts[line + 1] - 1 || !onlyWhitespace(joined, (int) end, starts[line + 1] - 1)) {
                    return line; // over several lines, or more on the line: the line path decides
                }
                out[line] = parsed(envelope, lineNumbers[line]);
                line++;
            }
        } catch (IOException | RuntimeException e) {
            return line;
        }
        return line;
    }

    private static boolean onlyWhitespace(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private Object parseLine(byte[] line, long lineNumber) {
        if (RawLineReader.isBlank(line)) {
            return BLANK;
        }
        try {
            return parsed(EnvelopeJson.parse(line), lineNumber);
        } catch (InvalidEventException | UncheckedIOException e) {
            return new Line.Bad(lineNumber, e.getMessage());
        }
    }

    /** The next non-blank line, parsed, or null at the end of the file. */
    public Line next() throws IOException {
        while (true) {
            if (current != null && position < current.length) {
                Object item = current[position++];
                if (item == BLANK) {
                    blankLines++;
                    continue;
                }
                if (item instanceof Line.Parsed) {
                    envelopes++;
                } else {
                    badLines++;
                }
                return (Line) item;
            }
            if (ended) {
                return null;
            }
            current = takeChunk();
            position = 0;
            if (current == null) {
                ended = true;
                return null;
            }
        }
    }

    private Object[] takeChunk() throws IOException {
        try {
            return chunks.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /** The counts of the lines read so far. */
    public Counts counts() {
        return new Counts(envelopes, badLines, blankLines);
    }

    @Override
    public void close() throws IOException {
        lineReader.interrupt();
        parsers.shutdownNow();
        try {
            lineReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lines.close();
    }
}
