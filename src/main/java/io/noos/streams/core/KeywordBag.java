package io.noos.streams.core;

import java.util.List;

/**
 * A ranked keyword list kept as ranges of one lowercased char array, with each word's UTF-8 length.
 * Words become strings only when something asks for them (a decision that shows them, a snapshot):
 * most turns never do, and making 20 strings per response would dominate the turn's cost.
 */
final class KeywordBag {
    static final KeywordBag EMPTY = new KeywordBag(new char[0], new int[0], new int[0], new int[0]);

    private final char[] chars;
    private final int[] starts;
    private final int[] lengths;
    private final int[] byteLengths;
    private List<String> words;

    KeywordBag(char[] chars, int[] starts, int[] lengths, int[] byteLengths) {
        this.chars = chars;
        this.starts = starts;
        this.lengths = lengths;
        this.byteLengths = byteLengths;
    }

    /** A bag holding exactly {@code words}, in that order. */
    static KeywordBag of(List<String> words) {
        int n = words.size();
        int[] starts = new int[n];
        int[] lengths = new int[n];
        int[] bytes = new int[n];
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String w = words.get(i);
            starts[i] = all.length();
            lengths[i] = w.length();
            bytes[i] = Utf8.byteLength(w);
            all.append(w);
        }
        char[] chars = new char[all.length()];
        all.getChars(0, chars.length, chars, 0);
        return new KeywordBag(chars, starts, lengths, bytes);
    }

    int size() {
        return starts.length;
    }

    boolean isEmpty() {
        return starts.length == 0;
    }

    int byteLength(int i) {
        return byteLengths[i];
    }

    char firstChar(int i) {
        return chars[starts[i]];
    }

    String word(int i) {
        return words != null ? words.get(i) : new String(chars, starts[i], lengths[i]);
    }

    /** All words as strings, in rank order (made once, then kept). */
    List<String> words() {
        if (words == null) {
            String[] out = new String[starts.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = new String(chars, starts[i], lengths[i]);
            }
            words = List.of(out);
        }
        return words;
    }

    /** Word {@code i} of this bag equals word {@code j} of {@code other}. */
    boolean sameWord(int i, KeywordBag other, int j) {
        return lengths[i] == other.lengths[j] && startsWith(i, other, j);
    }

    /** Word {@code i} of this bag starts with word {@code j} of {@code other}. */
    boolean startsWith(int i, KeywordBag other, int j) {
        int n = other.lengths[j];
        if (n > lengths[i]) {
            return false;
        }
        int a = starts[i];
        int b = other.starts[j];
        for (int k = 0; k < n; k++) {
            if (chars[a + k] != other.chars[b + k]) {
                return false;
            }
        }
        return true;
    }

    /** Code-point order of words {@code i} and {@code j}. */
    int compare(int i, int j) {
        return Utf8.compareCodePoints(chars, starts[i], lengths[i], starts[j], lengths[j]);
    }

    /**
     * The cluster key (spec §7): words of at least 3 UTF-8 bytes, the first two in code-point
     * order, joined with {@code +}; {@code ""} when none qualifies.
     */
    String clusterKey() {
        int first = -1;
        int second = -1;
        for (int i = 0; i < size(); i++) {
            if (byteLengths[i] < 3) {
                continue;
            }
            if (first < 0 || compare(i, first) < 0) {
                second = first;
                first = i;
            } else if (second < 0 || compare(i, second) < 0) {
                second = i;
            }
        }
        if (first < 0) {
            return "";
        }
        return second < 0 ? word(first) : word(first) + "+" + word(second);
    }
}
