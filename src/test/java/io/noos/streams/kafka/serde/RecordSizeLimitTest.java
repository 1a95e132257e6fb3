package io.noos.streams.kafka.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class RecordSizeLimitTest {

    @Test
    void aRecordCountsAtLeastWhatTheProducerCountsForIt() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] key = random.nextInt(5) == 0 ? null : new byte[random.nextInt(300)];
            byte[] value = random.nextInt(5) == 0 ? null : new byte[random.nextInt(3_000_000)];
            Headers headers = new RecordHeaders();
            for (int h = random.nextInt(4); h > 0; h--) {
                headers.add("header-" + h, new byte[random.nextInt(200_000)]);
            }
            int producer = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                    CompressionType.NONE, key, value, headers.toArray());
            long ours = RecordSizeLimit.sizeOf(key, value, headers);
            assertTrue(ours >= producer && ours <= producer + 64, "ours " + ours + ", the producer's " + producer);
        }
    }

    @Test
    void theLimitIsTheLeastOfTheProducersAndTheTopicsLessTheMargin() {
        RecordSizeLimit limit = new RecordSizeLimit(1_048_576);
        assertEquals(1_048_576 - RecordSizeLimit.MARGIN, limit.usableBytes());
        assertEquals("max.request.size=1048576", limit.boundBy());
        limit.lowerTo("regulator-decisions", 2_000_000);
        assertEquals(1_048_576 - RecordSizeLimit.MARGIN, limit.usableBytes(), "a topic accepting more changes nothing");
        limit.lowerTo("regulator-dlq", 500_000);
        assertEquals(500_000 - RecordSizeLimit.MARGIN, limit.usableBytes());
        assertEquals("max.message.bytes=500000 of regulator-dlq", limit.boundBy());
        assertThrows(IllegalArgumentException.class, () -> new RecordSizeLimit(1_000));
    }

    @Test
    void aDeadLetterIsCutToExactlyWhatFitsAndSaysSo() {
        RecordSizeLimit limit = new RecordSizeLimit(8_192);
        byte[] key = "ana".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[20_000];
        new Random(1).nextBytes(value);
        Headers headers = new RecordHeaders().add("noos.dlq.reason", "not valid JSON".getBytes(StandardCharsets.UTF_8));
        assertTrue(!limit.fits(key, value, headers));

        byte[] cut = limit.cut(key, value, headers);
        assertEquals(limit.usableBytes(), RecordSizeLimit.sizeOf(key, cut, headers), "as much as fits");
        assertArrayEquals(Arrays.copyOf(value, cut.length), cut);
        assertEquals("true", new String(headers.lastHeader(RecordSizeLimit.HEADER_TRUNCATED).value(), StandardCharsets.UTF_8));
        assertEquals("20000", new String(headers.lastHeader(RecordSizeLimit.HEADER_ORIGINAL_SIZE).value(),
                StandardCharsets.UTF_8));
    }

    @Test
    void aDeadLetterWhoseKeyAndHeadersAloneDoNotFitCannotBeCut() {
        RecordSizeLimit limit = new RecordSizeLimit(8_192);
        Headers headers = new RecordHeaders().add("big", new byte[9_000]);
        assertNull(limit.cut(new byte[1], new byte[10], headers));
        assertNull(headers.lastHeader(RecordSizeLimit.HEADER_TRUNCATED), "headers left as they were");
        assertEquals(1, headers.toArray().length);
    }

    @Test
    void aRefusalNamesWhatTheSizesAndWhatSetsTheLimit() {
        RecordSizeLimit limit = new RecordSizeLimit(8_192);
        String refusal = limit.refusal("its decision record", new byte[3], new byte[9_000], null);
        assertEquals("its decision record would be 9100 bytes, more than the 7168 bytes a record may have "
                + "(max.request.size=8192, less a margin of 1024)", refusal);
        assertNull(limit.refusal("its decision record", new byte[3], new byte[7_000], null));
    }
}
