package io.noos.streams.kafka.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How large a record the service may write. The producer refuses a record larger than its
 * {@code max.request.size}, a broker one larger than the topic's {@code max.message.bytes}; under
 * exactly-once either refusal aborts the transaction, so the record would be processed again, and
 * refused again, until the instance stops. So the service never hands its producer a record that
 * does not fit: the limit is the least of the producer's {@code max.request.size} (from the
 * configuration) and the dead-letter and decisions topics' {@code max.message.bytes} (read at
 * start), and a record fits when its size, counted as Kafka counts a record alone in a batch (key,
 * value, headers and framing), stays {@value #MARGIN} bytes below it.
 *
 * <p>What does not fit: a dead letter's value is cut ({@link #cut}); an event whose
 * decision record or whose user's new state would not fit is dead-lettered instead of applied (the
 * regulator processor, {@link UserStateSerde}); a dead letter that does not fit even cut is not written,
 * but logged and counted ({@link #dropped()}).
 */
public final class RecordSizeLimit {
    /** The producer's {@code max.request.size} when none is configured (Kafka's default). */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** Room kept below the limit. */
    public static final int MARGIN = 1024;
    /** On a dead letter whose value was cut to fit: {@code true}. */
    public static final String HEADER_TRUNCATED = "noos.dlq.truncated";
    /** On a dead letter whose value was cut to fit: the value's size before, in bytes. */
    public static final String HEADER_ORIGINAL_SIZE = "noos.dlq.original.size";
    /** A record batch's header, which a record sent alone carries too. */
    private static final int BATCH_OVERHEAD = 61;
    /**
     * A record's largest framing: length, attributes, timestamp and offset deltas (21 bytes), and the
     * key length, value length and header count varints (5 bytes each).
     */
    private static final int RECORD_OVERHEAD = 36;
    /** A header's two length varints, at most. */
    private static final int HEADER_OVERHEAD = 10;

    private final LongAdder dropped = new LongAdder();
    private volatile int maxBytes;
    private volatile String boundBy;

    /** The limit the producer alone sets: its {@code max.request.size}. */
    public RecordSizeLimit(int maxRequestSize) {
        if (maxRequestSize <= MARGIN + BATCH_OVERHEAD + RECORD_OVERHEAD) {
            throw new IllegalArgumentException("must be larger than "
                    + (MARGIN + BATCH_OVERHEAD + RECORD_OVERHEAD) + " bytes, got " + maxRequestSize);
        }
        this.maxBytes = maxRequestSize;
        this.boundBy = "max.request.size=" + maxRequestSize;
    }

    /** The producer's default limit (tests and tools that configure none). */
    public static RecordSizeLimit defaults() {
        return new RecordSizeLimit(DEFAULT_MAX_REQUEST_SIZE);
    }

    /** Lowers the limit to {@code topic}'s {@code max.message.bytes} when that is smaller. */
    public synchronized void lowerTo(String topic, int maxMessageBytes) {
        if (maxMessageBytes < maxBytes) {
            maxBytes = Math.max(maxMessageBytes, MARGIN + BATCH_OVERHEAD + RECORD_OVERHEAD + 1);
            boundBy = "max.message.bytes=" + maxMessageBytes + " of " + topic;
        }
    }

    /** The most bytes a record may count ({@link #sizeOf}), the margin already taken off. */
    public int usableBytes() {
        return maxBytes - MARGIN;
    }

    /** What sets the limit, e.g. {@code max.request.size=1048576}. */
    public String boundBy() {
        return boundBy;
    }

    /** A record's size as Kafka counts a record alone in a batch, at most (null key or value: none). */
    public static long sizeOf(byte[] key, byte[] value, Headers headers) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + length(key) + length(value);
        if (headers != null) {
            for (Header h : headers) {
                size += HEADER_OVERHEAD + h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value());
            }
        }
        return size;
    }

    /** True when the record fits. */
    public boolean fits(byte[] key, byte[] value, Headers headers) {
        return sizeOf(key, value, headers) <= usableBytes();
    }

    /** Null when the record fits; otherwise why not, naming {@code what} (e.g. "its decision record"). */
    public String refusal(String what, byte[] key, byte[] value, Headers headers) {
        long size = sizeOf(key, value, headers);
        int usable = usableBytes();
        return size <= usable ? null : what + " would be " + size + " bytes, more than the " + usable
                + " bytes a record may have (" + boundBy() + ", less a margin of " + MARGIN + ")";
    }

    /**
     * The first bytes of a dead letter's {@code value} that fit, for a dead letter that does not
     * ({@link #fits} is false), with {@link #HEADER_TRUNCATED} and {@link #HEADER_ORIGINAL_SIZE} added
     * to {@code headers}; null when not even an empty value fits (the key and headers alone are too
     * large; {@code headers} are then left as they were).
     */
    public byte[] cut(byte[] key, byte[] value, Headers headers) {
        if (value == null) {
            return null;
        }
        headers.add(HEADER_TRUNCATED, "true".getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_ORIGINAL_SIZE, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        long room = usableBytes() - sizeOf(key, null, headers);
        if (room < 0) {
            headers.remove(HEADER_ORIGINAL_SIZE);
            headers.remove(HEADER_TRUNCATED);
            return null;
        }
        return Arrays.copyOf(value, (int) Math.min(room, value.length));
    }

    /** Counts a record that was not written because it did not fit even cut. */
    public void dropped() {
        dropped.increment();
    }

    /** Records not written because they did not fit even cut, since start. */
    public long droppedCount() {
        return dropped.sum();
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** A record that would not fit, thrown where it would be made; the message says why ({@link #refusal}). */
    public static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Exceeded(String refusal) {
            super(refusal, null, false, false);
        }
    }
}
