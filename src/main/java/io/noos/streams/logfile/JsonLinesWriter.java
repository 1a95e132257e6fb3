package io.noos.streams.logfile;

import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionRecordJson;
import com.fasterxml.jackson.core.JsonGenerator;
import io.noos.streams.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Writes a JSON Lines file: one JSON value per line, each followed by {@code \n}; gzip-compressed
 * when the file name ends in {@code .gz}. The file is created or truncated.
 */
public final class JsonLinesWriter implements Closeable {
    private final OutputStream out;
    /** One generator for every record, writing into a buffer that is copied out after each one. */
    private final ByteArrayOutputStream record = new ByteArrayOutputStream(1024);
    private final JsonGenerator generator;
    private long lines;

    private JsonLinesWriter(OutputStream out) throws IOException {
        this.out = out;
        this.generator = Json.FACTORY.createGenerator(record);
        generator.setRootValueSeparator(null);   // records are separated by the line breaks written here
    }

    /** Creates (or truncates) {@code file}, creating its parent directories. */
    public static JsonLinesWriter create(Path file) throws IOException {
        return new JsonLinesWriter(LogFiles.create(file));
    }

    /** Writes one line; {@code json} must be one JSON value with no line break in it. */
    public void write(byte[] json) throws IOException {
        out.write(json);
        out.write('\n');
        lines++;
    }

    /** Writes a decision record as {@link DecisionRecordJson} gives it. */
    public void write(DecisionRecord decision) throws IOException {
        record.reset();
        DecisionRecordJson.write(decision, generator);
        generator.flush();
        record.writeTo(out);
        out.write('\n');
        lines++;
    }

    /** Lines written so far. */
    public long lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        generator.close();
        out.close();
    }
}
