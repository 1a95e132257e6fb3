package io.noos.streams.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonPeekTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsATopLevelStringFieldAndNothingElse() {
        assertEquals("alice", JsonPeek.topLevelString(utf8(
                "{\"event\":{\"user_id\":\"nested\"},\"user_id\":\"alice\",\"at_ms\":1}"), "user_id"));
        assertEquals("bob", JsonPeek.topLevelString(utf8("{\"user_id\":\"bob\", broken"), "user_id"),
                "only the fields before it need to be well-formed");
        assertNull(JsonPeek.topLevelString(utf8("{\"user_id\":42}"), "user_id"));
        assertNull(JsonPeek.topLevelString(utf8("{\"event\":{\"user_id\":\"nested\"}}"), "user_id"));
        assertNull(JsonPeek.topLevelString(utf8("[\"user_id\",\"alice\"]"), "user_id"));
        assertNull(JsonPeek.topLevelString(utf8("not json"), "user_id"));
        assertNull(JsonPeek.topLevelString(new byte[0], "user_id"));
    }

    @Test
    void recognisesExactlyOneJsonObjectInValidUtf8() {
        assertTrue(JsonPeek.isJsonObject(utf8(" {\"a\":[1,{\"b\":null}]}\n")));
        assertFalse(JsonPeek.isJsonObject(utf8("{\"a\":1}{\"b\":2}")));
        assertFalse(JsonPeek.isJsonObject(utf8("{\"a\":1")));
        assertFalse(JsonPeek.isJsonObject(utf8("[1]")));
        assertFalse(JsonPeek.isJsonObject(utf8("\"text\"")));
        assertFalse(JsonPeek.isJsonObject(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}));
        assertFalse(JsonPeek.isJsonObject(null));
    }

    @Test
    void utf8CheckRejectsMalformedAndEncodedSurrogates() {
        assertTrue(JsonPeek.isUtf8(utf8("caf\u00e9 \ud83d\ude00")));
        assertFalse(JsonPeek.isUtf8(new byte[] {(byte) 0xC0, (byte) 0x80}), "overlong");
        assertFalse(JsonPeek.isUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "encoded surrogate");
        assertFalse(JsonPeek.isUtf8(new byte[] {(byte) 0xE2, (byte) 0x82}), "truncated");
    }
}
