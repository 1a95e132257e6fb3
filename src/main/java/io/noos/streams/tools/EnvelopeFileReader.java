package io.noos.streams.tools;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
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

    private void readChunks() {
        try {
            while (true) {
                byte[][] batch = new byte[CHUNK_LINES][];
                int n = 0;
                long firstLine = lines.lineNumber() + 1;
                byte[] line;
                while (n < CHUNK_LINES && (line = lines.next()) != null) {
                    batch[n++] = line;
                }
                if (n > 0) {
                    int size = n;
                    chunks.put(parsers.submit(() -> parseChunk(batch, size, firstLine)));
                }
                if (n < CHUNK_LINES) {
                    chunks.put(END);
                    return;
                }
            }
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            chunks.offer(CompletableFuture.failedFuture(e));
        }
    }

    private Object[] parseChunk(byte[][] batch, int size, long firstLine) {
        Object[] out = new Object[size];
        for (int i = 0; i < size; i++) {
            out[i] = parseLine(batch[i], firstLine + i);
        }
        return out;
    }

    private Object parseLine(byte[] line, long lineNumber) {
        if (isBlank(line)) {
            return BLANK;
        }
        try {
            EventEnvelope envelope = EnvelopeJson.parse(line);
            if (envelope.eventId() == null) {
                envelope = envelope.withEventId(EventIds.derive(fileLabel, lineNumber));
            }
            return new Line.Parsed(lineNumber, envelope);
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

    /** True when the line holds only JSON whitespace (space, tab, CR). */
    static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
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
