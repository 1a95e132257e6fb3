package io.noos.streams.core;

/**
 * Steps 2 to 5 of the keyword extraction (spec §6.2 to §6.5) over already-lowercased text, without
 * allocating a string per word: words are ranges of {@link #chars}, counted in a small open-address
 * table by hash, and only the top {@code cap} become strings. This is the hot path of every
 * turn_start and turn_complete.
 */
final class WordCounter {
    private static final boolean[] ASCII_ALPHANUMERIC = new boolean[128];
    private static final boolean[] ASCII_SEPARATOR = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII_SEPARATOR[c] = KeywordExtractor.isSeparator(c);
        }
        for (char c = '0'; c <= '9'; c++) {
            ASCII_ALPHANUMERIC[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII_ALPHANUMERIC[c] = true;
            ASCII_ALPHANUMERIC[c - 32] = true;
        }
    }

    final char[] chars;

    private int size;
    private int[] starts = new int[16];
    private int[] lengths = new int[16];
    private int[] byteLengths = new int[16];
    private int[] hashes = new int[16];
    private int[] counts = new int[16];
    /** Open addressing: 1 + index of a distinct word, 0 for an empty slot. */
    private int[] table = new int[32];

    WordCounter(char[] lowercased) {
        this.chars = lowercased;
    }

    /** Counts every kept keyword: split on separators, trim, filter, count. */
    void countKeywords() {
        char[] c = chars;
        int n = c.length;
        int i = 0;
        while (i < n) {
            while (i < n && isSeparator(c[i])) {
                i++;
            }
            int runStart = i;
            while (i < n && !isSeparator(c[i])) {
                i++;
            }
            if (runStart < i) {
                countRun(runStart, i);
            }
        }
    }

    private static boolean isSeparator(char c) {
        return c < 0x80 ? ASCII_SEPARATOR[c] : KeywordExtractor.isSeparator(c);
    }

    /** Trims one run to its alphanumeric core and counts it if it is a keyword. */
    private void countRun(int start, int end) {
        char[] c = chars;
        while (start < end) {
            char ch = c[start];
            if (ch < 0x80) {
                if (ASCII_ALPHANUMERIC[ch]) {
                    break;
                }
                start++;
            } else {
                int cp = Character.codePointAt(c, start, end);
                if (KeywordExtractor.isAlphanumeric(cp)) {
                    break;
                }
                start += Character.charCount(cp);
            }
        }
        while (end > start) {
            char ch = c[end - 1];
            if (ch < 0x80) {
                if (ASCII_ALPHANUMERIC[ch]) {
                    break;
                }
                end--;
            } else {
                int cp = Character.codePointBefore(c, end, start);
                if (KeywordExtractor.isAlphanumeric(cp)) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        if (start == end) {
            return;
        }
        int hash = 0;
        int bytes = 0;
        boolean ascii = true;
        for (int k = start; k < end; k++) {
            char ch = c[k];
            hash = 31 * hash + ch; // String.hashCode of the range, so word sets can match by hash
            if (ch < 0x80) {
                bytes++;
            } else {
                ascii = false;
                if (ch < 0x800) {
                    bytes += 2;
                } else if (Character.isHighSurrogate(ch) && k + 1 < end && Character.isLowSurrogate(c[k + 1])) {
                    bytes += 4;
                    hash = 31 * hash + c[++k];
                } else {
                    bytes += 3;
                }
            }
        }
        int length = end - start;
        if (ascii) {
            // Stop words and tech terms are all ASCII, so only ASCII words can match them.
            if (KeywordExtractor.STOP_WORD_SET.contains(c, start, length, hash)) {
                return;
            }
            if (bytes < 3 && !KeywordExtractor.TECH_TERM_SET.contains(c, start, length, hash)) {
                return;
            }
        } else if (bytes < 3) {
            return;
        }
        add(start, length, bytes, hash);
    }

    private void add(int start, int length, int bytes, int hash) {
        int mask = table.length - 1;
        int slot = spread(hash) & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                break;
            }
            int w = entry - 1;
            if (hashes[w] == hash && lengths[w] == length && regionEquals(starts[w], start, length)) {
                counts[w]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (size == starts.length) {
            growWords();
        }
        starts[size] = start;
        lengths[size] = length;
        byteLengths[size] = bytes;
        hashes[size] = hash;
        counts[size] = 1;
        table[slot] = ++size;
        if (size * 2 > table.length) {
            rehash();
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private boolean regionEquals(int a, int b, int length) {
        char[] c = chars;
        for (int k = 0; k < length; k++) {
            if (c[a + k] != c[b + k]) {
                return false;
            }
        }
        return true;
    }

    private void growWords() {
        int n = starts.length * 2;
        starts = java.util.Arrays.copyOf(starts, n);
        lengths = java.util.Arrays.copyOf(lengths, n);
        byteLengths = java.util.Arrays.copyOf(byteLengths, n);
        hashes = java.util.Arrays.copyOf(hashes, n);
        counts = java.util.Arrays.copyOf(counts, n);
    }

    private void rehash() {
        int[] bigger = new int[table.length * 2];
        int mask = bigger.length - 1;
        for (int w = 0; w < size; w++) {
            int slot = spread(hashes[w]) & mask;
            while (bigger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = w + 1;
        }
        table = bigger;
    }

    /** The best {@code cap} distinct words, best first. */
    KeywordBag top(int cap) {
        int n = Math.min(cap, size);
        if (n <= 0) {
            return KeywordBag.EMPTY;
        }
        int[] best = new int[n];
        int held = 0;
        for (int w = 0; w < size; w++) {
            if (held == n && compare(w, best[n - 1]) >= 0) {
                continue;
            }
            int pos = held == n ? n - 1 : held++;
            while (pos > 0 && compare(w, best[pos - 1]) < 0) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = w;
        }
        int[] topStarts = new int[n];
        int[] topLengths = new int[n];
        int[] topBytes = new int[n];
        for (int i = 0; i < n; i++) {
            topStarts[i] = starts[best[i]];
            topLengths[i] = lengths[best[i]];
            topBytes[i] = byteLengths[best[i]];
        }
        return new KeywordBag(chars, topStarts, topLengths, topBytes);
    }

    /** Rank order: count descending, UTF-8 length descending, code-point order ascending. */
    private int compare(int a, int b) {
        if (counts[a] != counts[b]) {
            return Integer.compare(counts[b], counts[a]);
        }
        if (byteLengths[a] != byteLengths[b]) {
            return Integer.compare(byteLengths[b], byteLengths[a]);
        }
        return Utf8.compareCodePoints(chars, starts[a], lengths[a], starts[b], lengths[b]);
    }
}
