package io.noos.streams.core;

/** String measures and ordering the way the reference (Rust, UTF-8 strings) sees them. */
public final class Utf8 {
    private Utf8() {}

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
