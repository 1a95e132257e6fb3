package io.noos.streams.clients;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ConsumedRecordJsonTest {
    private static final byte[] DECISION = utf8("{\"user_id\":\"alice\",\"decision\":{\"kind\":\"continue\"}}");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("regulator-dlq", 3, 17L, 0L, TimestampType.LOG_APPEND_TIME, -1, -1, key, value,
                headers, Optional.empty());
    }

    @Test
    void writesAJsonObjectValueAsItIs() {
        ConsumedRecordJson.Line line = ConsumedRecordJson.toLine(record(utf8("alice"), DECISION, new RecordHeaders()), false);

        assertFalse(line.wrapped());
        assertArrayEquals(DECISION, line.json());
    }

    @Test
    void wrapsAValueThatIsNotAJsonObjectWithKeyHeadersAndPosition() throws IOException {
        RecordHeaders headers = new RecordHeaders();
        headers.add("noos.dlq.reason", utf8("not valid JSON: unexpected character"));
        headers.add("noos.dlq.offset", utf8("42"));

        ConsumedRecordJson.Line line = ConsumedRecordJson.toLine(record(utf8("alice"), utf8("not json"), headers), false);

        assertTrue(line.wrapped());
        JsonNode w = tree(line.json());
        assertEquals("alice", w.get("key").asText());
        assertEquals("not json", w.get("value").asText());
        assertEquals("not valid JSON: unexpected character", w.get("headers").get("noos.dlq.reason").asText());
        assertEquals("42", w.get("headers").get("noos.dlq.offset").asText());
        assertEquals("regulator-dlq", w.get("topic").asText());
        assertEquals(3, w.get("partition").asInt());
        assertEquals(17, w.get("offset").asLong());
        assertFalse(w.has("value_base64"));
        assertFalse(w.has("headers_base64"));
    }

    @Test
    void bytesThatAreNotUtf8AreBase64Encoded() throws IOException {
        byte[] binary = {(byte) 0xC3, 0x01, (byte) 0xFF, 0x00, 0x10};
        RecordHeaders headers = new RecordHeaders();
        headers.add("blob", new byte[] {(byte) 0xFE});

        JsonNode w = tree(ConsumedRecordJson.toLine(record(null, binary, headers), false).json());

        assertTrue(w.get("key").isNull());
        assertFalse(w.has("value"));
        assertArrayEquals(binary, Base64.getDecoder().decode(w.get("value_base64").asText()));
        assertFalse(w.get("headers").has("blob"));
        assertEquals(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xFE}),
                w.get("headers_base64").get("blob").asText());
    }

    @Test
    void aMissingValueIsNullAndWrappingCanBeForced() throws IOException {
        JsonNode tombstone = tree(ConsumedRecordJson.toLine(record(utf8("alice"), null, new RecordHeaders()), false).json());
        assertTrue(tombstone.get("value").isNull());

        ConsumedRecordJson.Line forced = ConsumedRecordJson.toLine(record(utf8("alice"), DECISION, new RecordHeaders()), true);
        assertTrue(forced.wrapped());
        assertEquals(new String(DECISION, StandardCharsets.UTF_8), tree(forced.json()).get("value").asText());
    }

    @Test
    void aPrettyPrintedJsonObjectIsWrittenOnOneLine() throws IOException {
        byte[] pretty = utf8("{\n  \"user_id\" : \"alice\",\n  \"n\" : 1.50\n}");

        ConsumedRecordJson.Line line = ConsumedRecordJson.toLine(record(null, pretty, new RecordHeaders()), false);

        assertFalse(line.wrapped());
        assertEquals("{\"user_id\":\"alice\",\"n\":1.50}", new String(line.json(), StandardCharsets.UTF_8));
    }
}
