package io.noos.streams.logfile;

import java.nio.file.Path;

/**
 * Event ids for envelopes read from a file without one: {@code <file name>#<line number>}, where
 * the file name has no directory and no {@code .gz} suffix. The id depends only on the file's
 * name and the line's position, so every replay of a file (offline, through Kafka, compressed or
 * not, from any directory) gives each event the same id, and decisions can be matched across runs.
 */
public final class EventIds {
    private EventIds() {}

    /** The label that derived ids of {@code file} start with: its name without {@code .gz}. */
    public static String fileLabel(Path file) {
        return LogFiles.nameWithoutGz(file);
    }

    /** The id of the event on line {@code lineNumber} (1-based) of the file labelled {@code fileLabel}. */
    public static String derive(String fileLabel, long lineNumber) {
        return fileLabel + "#" + lineNumber;
    }
}
