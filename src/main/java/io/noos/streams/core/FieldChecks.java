package io.noos.streams.core;

/** Validation shared by the event records, the snapshot reader and the JSON codecs. */
public final class FieldChecks {
    /** Largest value of an unsigned 32-bit field (the reference's {@code u32}). */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    private FieldChecks() {}

    /** Rejects null and strings holding an unpaired UTF-16 surrogate (not valid Unicode). */
    public static String requireValidText(String value, String field) {
        if (value == null) {
            throw new InvalidEventException(field + " is required (a string)");
        }
        int bad = firstUnpairedSurrogate(value);
        if (bad >= 0) {
            throw new InvalidEventException(field + " holds an unpaired surrogate U+"
                    + Integer.toHexString(value.charAt(bad)).toUpperCase() + " at UTF-16 index " + bad
                    + "; strings must be valid Unicode");
        }
        return value;
    }

    /** Like {@link #requireValidText} but lets null (an absent optional field) through. */
    public static String optionalValidText(String value, String field) {
        return value == null ? null : requireValidText(value, field);
    }

    /** Index of the first unpaired surrogate in {@code s}, or -1 when the string is valid Unicode. */
    public static int firstUnpairedSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    public static long requireU32(long value, String field) {
        if (value < 0 || value > U32_MAX) {
            throw new InvalidEventException(field + " must be an integer in 0.." + U32_MAX + ", got " + value);
        }
        return value;
    }

    public static long requireNonNegative(long value, String field) {
        if (value < 0) {
            throw new InvalidEventException(field + " must be a non-negative integer, got " + value);
        }
        return value;
    }
}
