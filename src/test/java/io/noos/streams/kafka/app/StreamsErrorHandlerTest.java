package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.serde.RecordSizeLimit;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams' own error paths: every dead letter they make fits in a record, and a dead letter
 * that cannot be written is dropped and counted, never dead-lettered again (the recursion that
 * once filled the stack).
 */
class StreamsErrorHandlerTest {
    private static final String DLQ = "regulator-dlq";
    private static final int MAX_REQUEST_SIZE = 8192;

    private final RecordSizeLimit limit = new RecordSizeLimit(MAX_REQUEST_SIZE);
    private final StreamsErrorHandler handler = configured(limit);

    private static StreamsErrorHandler configured(RecordSizeLimit limit) {
        StreamsErrorHandler h = new StreamsErrorHandler();
        h.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ,
                StreamsErrorHandler.RECORD_SIZE_LIMIT_CONFIG, limit));
        return h;
    }

    /** The context of a failure on the record at agent-events-0@42. */
    private record Context(byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {
        @Override
        public String topic() {
            return "agent-events";
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 42;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String processorNodeId() {
            return "regulator";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 1_000;
        }
    }

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'v');
        return b;
    }

    private static String header(ProducerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void assertFits(ProducerRecord<byte[], byte[]> r) {
        long size = RecordSizeLimit.sizeOf(r.key(), r.value(), r.headers());
        assertTrue(size <= limit.usableBytes(), "fits: " + size);
    }

    @Test
    void aProcessorFailureIsDeadLetteredWholeWhenItFits() {
        byte[] key = "ana".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"small\":true}".getBytes(StandardCharsets.UTF_8);
        IllegalStateException boom = new IllegalStateException("boom");
        boom.setStackTrace(Arrays.copyOf(boom.getStackTrace(), 3));   // the test runner's frames would not fit 8 KiB
        ProcessingExceptionHandler.Response r = handler.handleError(new Context(key, value),
                new Record<>("ana", value, 1_000), boom);
        assertEquals(ProcessingExceptionHandler.Result.RESUME, r.result());
        ProducerRecord<byte[], byte[]> letter = r.deadLetterQueueRecords().get(0);
        assertEquals(DLQ, letter.topic());
        assertArrayEquals(key, letter.key());
        assertArrayEquals(value, letter.value());
        assertEquals("java.lang.IllegalStateException", header(letter, "__streams.errors.exception"));
        assertNotNull(header(letter, "__streams.errors.stacktrace"));
        assertEquals("42", header(letter, "__streams.errors.offset"));
        assertEquals("t-1", header(letter, "trace"), "the source record's headers");
        assertNull(header(letter, RecordSizeLimit.HEADER_TRUNCATED));
    }

    @Test
    void aProcessorFailureOnARecordTooLargeToDeadLetterWholeIsCutToFit() {
        byte[] value = bytes(MAX_REQUEST_SIZE);
        ProcessingExceptionHandler.Response r = handler.handleError(new Context(null, value),
                new Record<>(null, value, 1_000), new IllegalStateException("boom"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, r.result());
        ProducerRecord<byte[], byte[]> letter = r.deadLetterQueueRecords().get(0);
        assertFits(letter);
        assertEquals("true", header(letter, RecordSizeLimit.HEADER_TRUNCATED));
        assertEquals(Integer.toString(value.length), header(letter, RecordSizeLimit.HEADER_ORIGINAL_SIZE));
        assertNull(header(letter, "__streams.errors.stacktrace"), "the stack trace goes first");
        assertEquals("java.lang.IllegalStateException", header(letter, "__streams.errors.exception"));
        assertArrayEquals(Arrays.copyOf(value, letter.value().length), letter.value());
    }

    @Test
    void aRecordThatCannotBeDeserialisedIsDeadLetteredFitting() {
        byte[] value = bytes(3 * MAX_REQUEST_SIZE);
        DeserializationExceptionHandler.Response r = handler.handleError(new Context(null, value),
                new ConsumerRecord<>("agent-events", 0, 42, null, value), new IllegalArgumentException("corrupt"));
        assertEquals(DeserializationExceptionHandler.Result.RESUME, r.result());
        assertFits(r.deadLetterQueueRecords().get(0));
    }

    @Test
    void aDeadLetterWhoseKeyAloneIsTooLargeIsDroppedAndCounted() {
        byte[] key = bytes(MAX_REQUEST_SIZE);
        ProcessingExceptionHandler.Response r = handler.handleError(new Context(key, bytes(10)),
                new Record<>(key, bytes(10), 1_000), new IllegalStateException("boom"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, r.result(), "processing goes on");
        assertEquals(List.of(), r.deadLetterQueueRecords());
        assertEquals(1, limit.droppedCount());
    }

    @Test
    void aDeadLetterTheProducerRefusesIsDroppedAndCountedNeverDeadLetteredAgain() {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(DLQ, null, bytes(2 * MAX_REQUEST_SIZE));
        ProductionExceptionHandler.Response r = handler.handleError(new Context(null, bytes(2 * MAX_REQUEST_SIZE)),
                letter, new RecordTooLargeException("too large"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, r.result());
        assertEquals(List.of(), r.deadLetterQueueRecords(), "no dead letter of a dead letter");
        assertEquals(1, limit.droppedCount());
    }

    @Test
    void anyOtherRecordTheProducerRefusesFailsTheThreadAndATransientErrorIsRetried() {
        ProducerRecord<byte[], byte[]> decision = new ProducerRecord<>("regulator-decisions", null, bytes(10));
        ProductionExceptionHandler.Response failed = handler.handleError(new Context(null, bytes(10)), decision,
                new RecordTooLargeException("too large"));
        assertEquals(ProductionExceptionHandler.Result.FAIL, failed.result());
        assertEquals(List.of(), failed.deadLetterQueueRecords());
        ProductionExceptionHandler.Response retried = handler.handleError(new Context(null, bytes(10)), decision,
                new TimeoutException("slow"));
        assertEquals(ProductionExceptionHandler.Result.RETRY, retried.result());
        assertEquals(0, limit.droppedCount());
    }
}
