package io.noos.streams.core;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 the way the reference (Rust, UTF-8 strings) sees it: the one check of well-formed UTF-8
 * every reader applies where bytes become text, and string measures and ordering.
 *
 * <p>Well-formed is RFC 3629 (the Unicode standard's table 3-7): a byte below 0x80 alone; C2..DF
 * then one continuation byte (80..BF); E0 then A0..BF, ED then 80..9F, other E1..EF then 80..BF,
 * each then one more continuation byte; F0 then 90..BF, F4 then 80..8F, F1..F3 then 80..BF, each
 * then two more. Anything else is refused: overlong forms (C0, C1, E0 80..9F, F0 80..8F), encoded
 * surrogates (ED A0..BF), code points above U+10FFFF (F4 90..BF, F5..F7), bytes that never occur
 * (F8..FF), a continuation byte without a lead byte, and a sequence cut short.
 */
public final class Utf8 {
    private Utf8() {}

    /** Why bytes are not well-formed UTF-8; each names the problem, never the bytes' text. */
    public enum Problem {
        OVERLONG("overlong encoding"),
        SURROGATE("encoded surrogate (U+D800..U+DFFF)"),
        ABOVE_MAX("code point above U+10FFFF"),
        INVALID_BYTE("byte that never occurs in UTF-8"),
        LONE_CONTINUATION("continuation byte without a lead byte"),
        INCOMPLETE("incomplete multi-byte sequence");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** The first malformed sequence in some bytes: what is wrong, and its offset from the first byte checked. */
    public record Malformation(Problem problem, int offset) {
        /** For example {@code overlong encoding at byte 14}. */
        public String describe() {
            return problem.description() + " at byte " + offset;
        }
    }

    private static final Problem[] PROBLEMS = Problem.values();

    /**
     * The length (1 to 4) of the well-formed sequence starting at {@code b[pos]} and ending before
     * {@code end}, or {@code -1 - problem.ordinal()} when there is none (see {@link #problemOf}).
     */
    public static int sequenceLength(byte[] b, int pos, int end) {
        int lead = b[pos] & 0xFF;
        int n;
        int min2 = 0x80;
        int max2 = 0xBF;
        Problem below = null;   // a second byte under min2 ...
        Problem above = null;   // ... or over max2 (both still continuation bytes)
        if (lead < 0x80) {
            return 1;
        } else if (lead < 0xC0) {
            return -1 - Problem.LONE_CONTINUATION.ordinal();
        } else if (lead < 0xC2) {
            return -1 - Problem.OVERLONG.ordinal();
        } else if (lead < 0xE0) {
            n = 2;
        } else if (lead < 0xF0) {
            n = 3;
            if (lead == 0xE0) {
                min2 = 0xA0;
                below = Problem.OVERLONG;
            } else if (lead == 0xED) {
                max2 = 0x9F;
                above = Problem.SURROGATE;
            }
        } else if (lead < 0xF5) {
            n = 4;
            if (lead == 0xF0) {
                min2 = 0x90;
                below = Problem.OVERLONG;
            } else if (lead == 0xF4) {
                max2 = 0x8F;
                above = Problem.ABOVE_MAX;
            }
        } else {
            return -1 - (lead < 0xF8 ? Problem.ABOVE_MAX : Problem.INVALID_BYTE).ordinal();
        }
        for (int i = 1; i < n; i++) {
            if (pos + i >= end || (b[pos + i] & 0xC0) != 0x80) {
                return -1 - Problem.INCOMPLETE.ordinal();
            }
        }
        int second = b[pos + 1] & 0xFF;
        if (second < min2) {
            return -1 - below.ordinal();
        }
        if (second > max2) {
            return -1 - above.ordinal();
        }
        return n;
    }

    /** The problem a negative {@link #sequenceLength} stands for. */
    public static Problem problemOf(int sequenceLength) {
        return PROBLEMS[-1 - sequenceLength];
    }

    /** The first malformed sequence in {@code b[from, to)}, or null when the bytes are well-formed UTF-8. */
    public static Malformation firstMalformation(byte[] b, int from, int to) {
        int pos = from;
        while (pos < to) {
            if (b[pos] >= 0) {
                pos++;
                continue;
            }
            int n = sequenceLength(b, pos, to);
            if (n < 0) {
                return new Malformation(problemOf(n), pos - from);
            }
            pos += n;
        }
        return null;
    }

    /** True when all of {@code b} is well-formed UTF-8. */
    public static boolean isWellFormed(byte[] b) {
        return firstMalformation(b, 0, b.length) == null;
    }

    /**
     * Refuses {@code b[from, to)} unless it is well-formed UTF-8, with the reason
     * {@code not valid UTF-8: <problem> at byte <offset from from>}.
     */
    public static void requireWellFormed(byte[] b, int from, int to) {
        Malformation bad = firstMalformation(b, from, to);
        if (bad != null) {
            throw new InvalidEventException("not valid UTF-8: " + bad.describe());
        }
    }

    /** The text of well-formed UTF-8 bytes, refused as {@link #requireWellFormed} says otherwise. */
    public static String decode(byte[] b, int from, int length) {
        requireWellFormed(b, from, from + length);
        return new String(b, from, length, StandardCharsets.UTF_8);
    }

    /** {@link #decode(byte[], int, int)} of all of {@code b}. */
    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    /** Length of {@code s} encoded as UTF-8. {@code s} must be valid Unicode. */
    public static int byteLength(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for a pair of two UTF-16 units
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * Compares two strings code point by code point (a proper prefix first). This equals the
     * byte-wise order of their UTF-8 encodings, which is how Rust orders strings; Java's
     * {@code compareTo} differs when supplementary characters meet U+E000..U+FFFF.
     */
    public static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                // Surrogates (D800-DFFF) encode code points above every BMP char, so lift them above.
                return fixUp(ca) - fixUp(cb);
            }
        }
        return a.length() - b.length();
    }

    /** {@link #compareCodePoints(String, String)} over two ranges of one char array. */
    static int compareCodePoints(char[] c, int aStart, int aLength, int bStart, int bLength) {
        int n = Math.min(aLength, bLength);
        for (int i = 0; i < n; i++) {
            char ca = c[aStart + i];
            char cb = c[bStart + i];
            if (ca != cb) {
                return fixUp(ca) - fixUp(cb);
            }
        }
        return aLength - bLength;
    }

    private static int fixUp(char c) {
        if (c >= 0xD800) {
            return c >= 0xE000 ? c - 0x800 : c + 0x2000;
        }
        return c;
    }
}
