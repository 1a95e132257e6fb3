package io.noos.streams.decide;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit fingerprint of an event id (FNV-1a over its UTF-8 bytes, then a final mix), so the
 * state remembers recent ids in 8 bytes each. Two different ids of one user collide with
 * probability about n²/2⁶⁵ for n remembered ids: negligible.
 */
final class EventIdFingerprint {
    private EventIdFingerprint() {}

    static long of(String eventId) {
        long h = 0xcbf29ce484222325L;
        int n = eventId.length();
        int i = 0;
        for (; i < n; i++) {   // ASCII, the usual id: its chars are its UTF-8 bytes
            char c = eventId.charAt(i);
            if (c >= 0x80) {
                break;
            }
            h ^= c;
            h *= 0x100000001b3L;
        }
        if (i < n) {
            byte[] rest = eventId.substring(i).getBytes(StandardCharsets.UTF_8);
            for (byte b : rest) {
                h ^= b & 0xFF;
                h *= 0x100000001b3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
