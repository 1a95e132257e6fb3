package io.noos.streams.logfile;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Opens and creates log files: gzip-compressed when the name ends in {@code .gz}, plain otherwise.
 * The one place that decides, for every reader and writer of logs (envelopes, spans, decisions,
 * benchmark workloads).
 */
public final class LogFiles {
    private static final int BUFFER_SIZE = 1 << 16;
    private static final String GZIP_SUFFIX = ".gz";

    private LogFiles() {}

    /** Whether {@code file} is read or written gzip-compressed: its name ends in {@code .gz}. */
    public static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(GZIP_SUFFIX);
    }

    /** The file's name, without its directory and without a {@code .gz} suffix. */
    public static String nameWithoutGz(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(GZIP_SUFFIX) ? name.substring(0, name.length() - GZIP_SUFFIX.length()) : name;
    }

    /**
     * The file's bytes, gunzipped when it is compressed; not buffered further (read it in large blocks).
     *
     * @throws UnreadableInputException when a {@code .gz} file does not start with gzip data
     */
    public static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return isGzip(file) ? new GZIPInputStream(raw, BUFFER_SIZE) : raw;
        } catch (EOFException | ZipException e) {
            raw.close();
            throw UnreadableInputException.notGzip(file, e);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Creates (or truncates) {@code file}, creating its parent directories; buffered, and gzipped
     * when its name ends in {@code .gz}.
     */
    public static OutputStream create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream raw = Files.newOutputStream(file);
        return isGzip(file) ? new GZIPOutputStream(raw, BUFFER_SIZE) : new BufferedOutputStream(raw, BUFFER_SIZE);
    }
}
