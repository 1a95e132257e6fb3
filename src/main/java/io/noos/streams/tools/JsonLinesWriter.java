package io.noos.streams.tools;

import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a JSON Lines file: one JSON value per line, each followed by {@code \n}; gzip-compressed
 * when the file name ends in {@code .gz}. The file is created or truncated.
 */
public final class JsonLinesWriter implements Closeable {
    private static final int BUFFER_SIZE = 1 << 16;

    private final OutputStream out;
    private long lines;

    private JsonLinesWriter(OutputStream out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file}, creating its parent directories. */
    public static JsonLinesWriter create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = Files.newOutputStream(file);
        OutputStream buffered = RawLineReader.isGzip(file)
                ? new GZIPOutputStream(raw, BUFFER_SIZE) : new BufferedOutputStream(raw, BUFFER_SIZE);
        return new JsonLinesWriter(buffered);
    }

    /** Writes one line; {@code json} must be one JSON value with no line break in it. */
    public void write(byte[] json) throws IOException {
        out.write(json);
        out.write('\n');
        lines++;
    }

    /** Writes a decision record as {@link DecisionRecordJson} gives it. */
    public void write(DecisionRecord decision) throws IOException {
        write(DecisionRecordJson.toBytes(decision));
    }

    /** Lines written so far. */
    public long lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
