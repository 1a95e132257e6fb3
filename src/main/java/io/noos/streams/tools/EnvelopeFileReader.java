package io.noos.streams.tools;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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

    private final RawLineReader lines;
    private final String fileLabel;
    private long envelopes;
    private long badLines;
    private long blankLines;

    private EnvelopeFileReader(RawLineReader lines, String fileLabel) {
        this.lines = lines;
        this.fileLabel = fileLabel;
    }

    /** Opens {@code file}; derived event ids are labelled with its name (see {@link EventIds}). */
    public static EnvelopeFileReader open(Path file) throws IOException {
        return new EnvelopeFileReader(RawLineReader.open(file), EventIds.fileLabel(file));
    }

    /** The next non-blank line, parsed, or null at the end of the file. */
    public Line next() throws IOException {
        byte[] line;
        while ((line = lines.next()) != null) {
            if (isBlank(line)) {
                blankLines++;
                continue;
            }
            long lineNumber = lines.lineNumber();
            try {
                EventEnvelope envelope = EnvelopeJson.parse(line);
                if (envelope.eventId() == null) {
                    envelope = envelope.withEventId(EventIds.derive(fileLabel, lineNumber));
                }
                envelopes++;
                return new Line.Parsed(lineNumber, envelope);
            } catch (InvalidEventException | UncheckedIOException e) {
                badLines++;
                return new Line.Bad(lineNumber, e.getMessage());
            }
        }
        return null;
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
        lines.close();
    }
}
