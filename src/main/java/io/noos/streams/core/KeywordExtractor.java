package io.noos.streams.core;

import java.util.List;
import java.util.Set;

/**
 * The reference's keyword tokeniser (spec §6): lowercase the whole text (Rust rules, not
 * {@link String#toLowerCase}), split on Unicode White_Space and 14 ASCII punctuation marks, trim
 * non-alphanumeric code points from both ends, drop stop words and words under 3 UTF-8 bytes
 * (unless a tech term), then rank by frequency, byte length and code-point order.
 */
public final class KeywordExtractor {

    /** How many keywords the regulator keeps for a task or a response. */
    public static final int RANKED_CAP = 20;

    static final Set<String> STOP_WORDS = Set.of(
            "the", "and", "for", "are", "but", "not", "you", "all", "can", "had", "her", "was", "one", "our",
            "out", "has", "his", "how", "its", "let", "may", "new", "now", "old", "see", "way", "who", "did",
            "got", "get", "him", "yet", "say", "she", "too", "use", "own", "why", "try", "ran", "run", "set",
            "put", "add", "big", "end", "far", "few", "saw", "men", "two", "ask", "ago", "per", "any",
            "this", "that", "with", "from", "have", "been", "will", "would", "could", "should", "about",
            "their", "there", "these", "those", "which", "where", "when", "what", "into", "also", "more",
            "most", "some", "such", "than", "then", "them", "they", "very", "just", "only", "does", "each",
            "other", "being", "were", "here", "both", "between", "through", "during", "before", "after",
            "above", "below", "under", "over", "again", "further", "once");

    static final Set<String> TECH_TERMS = Set.of(
            "ai", "ml", "go", "ci", "cd", "k8s", "s3", "ec2", "ui", "ux", "db", "os", "ip", "vm", "io", "rx",
            "dl", "lr", "qa");

    static final AsciiWordSet STOP_WORD_SET = new AsciiWordSet(STOP_WORDS);
    static final AsciiWordSet TECH_TERM_SET = new AsciiWordSet(TECH_TERMS);

    private static final char CAPITAL_SIGMA = '\u03A3';
    private static final char SMALL_SIGMA = '\u03C3';
    private static final char FINAL_SIGMA = '\u03C2';
    private static final char CAPITAL_DOTTED_I = '\u0130';

    private KeywordExtractor() {}

    /** The top {@value #RANKED_CAP} keywords of {@code text}, most frequent first (spec §6.5). */
    public static List<String> rank20(String text) {
        return rank(text, RANKED_CAP);
    }

    /** The top {@code cap} keywords of {@code text}: count desc, UTF-8 length desc, code-point order asc. */
    public static List<String> rank(String text, int cap) {
        return rankBag(text, cap).words();
    }

    static KeywordBag rankBag(String text, int cap) {
        WordCounter counter = new WordCounter(lowercaseChars(text));
        counter.countKeywords();
        return counter.top(cap);
    }

    // ---------------------------------------------------------------- step 1: lowercase

    /**
     * Lowercases {@code text} as Rust's {@code str::to_lowercase} does: the full mapping per code
     * point (U+0130 becomes "i" + U+0307) and capital sigma as final sigma only at the end of a
     * word, judged on the original text.
     */
    public static String lowercase(String text) {
        return new String(lowercaseChars(text));
    }

    /** {@link #lowercase} into a fresh char array (ASCII text takes a fast path). */
    static char[] lowercaseChars(String text) {
        char[] out = text.toCharArray();
        int n = out.length;
        int i = 0;
        while (i < n) {
            char c = out[i];
            if (c >= 0x80) {
                break;
            }
            if (c >= 'A' && c <= 'Z') {
                out[i] = (char) (c + 32);
            }
            i++;
        }
        if (i == n) {
            return out;
        }
        int asciiPrefix = i;
        StringBuilder rest = new StringBuilder(n - i + 4);
        while (i < n) {
            char c = text.charAt(i);
            if (c < 0x80) {
                rest.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                i++;
                continue;
            }
            int cp = text.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                rest.append(isWordFinalSigma(text, i) ? FINAL_SIGMA : SMALL_SIGMA);
            } else if (cp == CAPITAL_DOTTED_I) {
                rest.append('i').append('\u0307');
            } else {
                rest.appendCodePoint(Character.toLowerCase(cp));
            }
            i += Character.charCount(cp);
        }
        char[] merged = new char[asciiPrefix + rest.length()];
        System.arraycopy(out, 0, merged, 0, asciiPrefix);
        rest.getChars(0, rest.length(), merged, asciiPrefix);
        return merged;
    }

    /** Rust's final-sigma rule: a cased letter before (past case-ignorables), none after. */
    private static boolean isWordFinalSigma(String text, int sigmaIndex) {
        int j = sigmaIndex;
        boolean casedBefore = false;
        while (j > 0) {
            int cp = text.codePointBefore(j);
            j -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                casedBefore = isCased(cp);
                break;
            }
        }
        if (!casedBefore) {
            return false;
        }
        int k = sigmaIndex + 1;
        while (k < text.length()) {
            int cp = text.codePointAt(k);
            k += Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
        }
        return true;
    }

    static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.FORMAT:
            case Character.MODIFIER_LETTER:
            case Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        switch (cp) {
            case 0x0027: case 0x002E: case 0x003A: case 0x00B7: case 0x0387: case 0x055F: case 0x05F4:
            case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52: case 0xFE55:
            case 0xFF07: case 0xFF0E: case 0xFF1A:
                return true;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------- steps 2-4: split, trim, filter

    /**
     * A word separator: Unicode White_Space or one of {@code , ; : ! ? . ( ) [ ] { } / \}. Every
     * separator is in the BMP and no surrogate is one, so testing UTF-16 units is exact.
     */
    static boolean isSeparator(char c) {
        if (c < 0x80) {
            switch (c) {
                case ' ': case '\t': case '\n': case 0x0B: case '\f': case '\r':
                case ',': case ';': case ':': case '!': case '?': case '.':
                case '(': case ')': case '[': case ']': case '{': case '}': case '/': case '\\':
                    return true;
                default:
                    return false;
            }
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028
                || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    /** Rust's {@code char::is_alphanumeric}: Alphabetic, or general category Nd, Nl or No. */
    static boolean isAlphanumeric(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isAlphabetic(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    // ---------------------------------------------------------------- cluster key (spec §7)

    /**
     * The topic cluster of a keyword list: the keywords of at least 3 UTF-8 bytes, in code-point
     * order, first two joined with {@code +}; {@code ""} when none qualifies.
     */
    public static String clusterKey(List<String> keywords) {
        return KeywordBag.of(keywords).clusterKey();
    }

    /** Convenience for tests and tools: {@code clusterKey(rank20(text))}. */
    public static String clusterOf(String text) {
        return clusterKey(rank20(text));
    }

}
