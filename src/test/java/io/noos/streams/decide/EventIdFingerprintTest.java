package io.noos.streams.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fingerprint is FNV-1a over the id's UTF-8 bytes, then the final mix, whatever the id holds. */
class EventIdFingerprintTest {

    private static long fnvOverUtf8(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "e-1", "fleet-workload.jsonl#123456", "ascii then é", "日本語", "x🚀y",
            "\u007f\u0080", "lone \uD83D surrogate"})
    void fnv1aOverTheUtf8Bytes(String id) {
        assertEquals(fnvOverUtf8(id), EventIdFingerprint.of(id));
    }
}
