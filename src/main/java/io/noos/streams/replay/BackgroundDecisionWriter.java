package io.noos.streams.replay;

import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.logfile.JsonLinesWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes decision records with a {@link JsonLinesWriter} on a thread of its own, in the order they
 * were given, so the replaying thread only decides: records are handed over in batches, and
 * {@link #close()} waits until every one is written (and reports a write failure, if any).
 */
final class BackgroundDecisionWriter implements Closeable {
    private static final int BATCH = 512;
    private static final DecisionRecord[] END = new DecisionRecord[0];

    private final JsonLinesWriter out;
    private final BlockingQueue<DecisionRecord[]> batches = new ArrayBlockingQueue<>(64);
    private final Thread thread;
    private DecisionRecord[] batch = new DecisionRecord[BATCH];
    private int filled;
    private volatile IOException failure;
    private boolean closed;

    BackgroundDecisionWriter(JsonLinesWriter out) {
        this.out = out;
        this.thread = new Thread(this::drain, "decision-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void write(DecisionRecord record) throws IOException {
        batch[filled++] = record;
        if (filled == BATCH) {
            handOver(batch, filled);
            batch = new DecisionRecord[BATCH];
            filled = 0;
        }
    }

    private void handOver(DecisionRecord[] records, int count) throws IOException {
        if (failure != null) {
            throw failure;
        }
        DecisionRecord[] exact = count == records.length ? records : java.util.Arrays.copyOf(records, count);
        try {
            batches.put(exact);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing decisions to the writer");
        }
    }

    private void drain() {
        try {
            for (DecisionRecord[] records; (records = batches.take()) != END; ) {
                if (failure == null) {
                    for (DecisionRecord r : records) {
                        out.write(r);
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
            batches.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is left, waits for the writer and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (filled > 0) {
                handOver(batch, filled);
                filled = 0;
            }
            batches.put(END);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing decisions");
        } finally {
            out.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
