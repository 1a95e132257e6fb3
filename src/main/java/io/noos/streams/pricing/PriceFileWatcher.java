package io.noos.streams.pricing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code noos.prices.file} into a {@link PriceBook} and reloads it when it changes (its
 * modification time or size, checked every {@code checkEveryMs}). A file that cannot be read or
 * parsed at start is an error; later, a bad version is logged at WARN and the previous table stays.
 */
public final class PriceFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PriceFileWatcher.class);

    private final Path file;
    private final PriceBook book;
    private final ScheduledExecutorService timer;
    private FileTime loadedTime;
    private long loadedSize = -1;

    private PriceFileWatcher(Path file, PriceBook book, long checkEveryMs) {
        this.file = file;
        this.book = book;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "noos-prices-watcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, checkEveryMs, checkEveryMs, TimeUnit.MILLISECONDS);
    }

    /** Loads {@code file} into {@code book} now (IllegalArgumentException with a one-line reason if bad) and watches it. */
    public static PriceFileWatcher start(Path file, PriceBook book, long checkEveryMs) {
        book.setFromFile(load(file));
        PriceFileWatcher w = new PriceFileWatcher(file, book, checkEveryMs);
        w.remember();
        return w;
    }

    /** The table in {@code file}, or an IllegalArgumentException naming the file and the problem. */
    public static PriceTable load(Path file) {
        try {
            return PriceTableJson.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the price file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("price file " + file + ": " + e.getMessage());
        }
    }

    private synchronized void remember() {
        try {
            loadedTime = Files.getLastModifiedTime(file);
            loadedSize = Files.size(file);
        } catch (IOException e) {
            loadedTime = null;
        }
    }

    synchronized void check() {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (time.equals(loadedTime) && size == loadedSize) {
                return;
            }
            loadedTime = time;
            loadedSize = size;
            book.setFromFile(load(file));
            LOG.info("price file {} reloaded", file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("price file {} not reloaded, the previous prices stay: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
