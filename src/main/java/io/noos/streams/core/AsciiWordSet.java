package io.noos.streams.core;

/**
 * A fixed set of ASCII words that answers "is this range of a char array one of them?" without
 * making a string: candidates are found by {@link String#hashCode()}-compatible hash.
 */
final class AsciiWordSet {
    private final String[] slots;
    private final int[] slotHashes;
    private final int mask;

    AsciiWordSet(java.util.Collection<String> words) {
        int capacity = Integer.highestOneBit(Math.max(4, words.size() * 4) - 1) << 1;
        slots = new String[capacity];
        slotHashes = new int[capacity];
        mask = capacity - 1;
        for (String w : words) {
            int slot = (w.hashCode() ^ (w.hashCode() >>> 16)) & mask;
            while (slots[slot] != null) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = w;
            slotHashes[slot] = w.hashCode();
        }
    }

    boolean contains(char[] chars, int start, int length, int hash) {
        int slot = (hash ^ (hash >>> 16)) & mask;
        String w;
        while ((w = slots[slot]) != null) {
            if (slotHashes[slot] == hash && w.length() == length && matches(w, chars, start)) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    private static boolean matches(String w, char[] chars, int start) {
        for (int i = 0; i < w.length(); i++) {
            if (w.charAt(i) != chars[start + i]) {
                return false;
            }
        }
        return true;
    }
}
