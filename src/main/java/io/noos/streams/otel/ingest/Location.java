package io.noos.streams.otel.ingest;

/**
 * Where a record of the input was read.
 *
 * @param file the input's label: its file name without directory and without {@code .gz}
 * @param line the line its JSON value starts on (from 1)
 */
public record Location(String file, long line) {
    /** {@code file:line}, as reports show it. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
