package io.noos.streams.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One shared instance per distinct short ASCII value that recurs from record to record (user,
 * agent and session ids, event types, token texts), so reading a record makes no new string for
 * them, and the per-user map lookups that follow find their key by identity with its hash already
 * computed.
 *
 * <p>A direct-mapped table: a value whose slot holds another one replaces it. Entries are
 * immutable and published through a plain array (final fields make that safe), so the parsing
 * threads share it without locks; at worst two threads make the same string twice.
 */
final class RepeatedStrings {
    /** Longer values are rarely repeated; they are made as usual. */
    static final int MAX_LENGTH = 64;
    private static final int SLOTS = 1 << 16;

    private record Entry(byte[] bytes, String value) {}

    private static final Entry[] TABLE = new Entry[SLOTS];

    private RepeatedStrings() {}

    /**
     * The string of the ASCII bytes {@code b[from, to)} ({@code to - from <= MAX_LENGTH}), whose
     * hash over the bytes is {@code hash} ({@code 31 * h + byte}, as String's).
     */
    static String ascii(byte[] b, int from, int to, int hash) {
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        Entry e = TABLE[slot];
        if (e != null && Arrays.equals(e.bytes, 0, e.bytes.length, b, from, to)) {
            return e.value;
        }
        String value = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        TABLE[slot] = new Entry(Arrays.copyOfRange(b, from, to), value);
        return value;
    }
}
