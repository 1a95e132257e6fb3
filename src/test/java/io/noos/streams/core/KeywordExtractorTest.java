package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are the spec's own worked examples (§6.1 to §6.8, §7). */
class KeywordExtractorTest {

    private static void assertRank(String text, List<String> keywords, String cluster) {
        List<String> ranked = KeywordExtractor.rank20(text);
        assertEquals(keywords, ranked, text);
        assertEquals(cluster, KeywordExtractor.clusterKey(ranked), text);
    }

    @Test
    void workedExamplesOfSection68() {
        assertRank("refactor this function to be async", List.of("function", "refactor", "async"), "async+function");
        assertRank("Refactor fetch_user to be async", List.of("fetch_user", "refactor", "async"), "async+fetch_user");
        assertRank("Fix the fetch_user async refactoring", List.of("refactoring", "fetch_user", "async", "fix"),
                "async+fetch_user");
        assertRank("explain tokio runtime rust async", List.of("explain", "runtime", "async", "tokio", "rust"),
                "async+explain");
        assertRank("is it ok?", List.of(), "");
        assertRank("ok hi", List.of(), "");
        assertRank("do a search", List.of("search"), "search");
        assertRank("Step 1: First\nStep 2: Second\nStep 3: Third", List.of("step", "second", "first", "third"),
                "first+second");
        assertRank("don't add \"quoted\" words --flag c++ c# .net node.js e.g. s3://bucket k8s ec2",
                List.of("bucket", "quoted", "don't", "words", "flag", "node", "ec2", "k8s", "net", "s3"), "bucket+don't");
        assertRank("ai ml ci cd db io os ui ux vm zebra yak",
                List.of("zebra", "yak", "ai", "cd", "ci", "db", "io", "ml", "os", "ui", "ux", "vm"), "yak+zebra");
        assertRank("café cafés naïve résumé ré", List.of("résumé", "cafés", "naïve", "café", "ré"), "café+cafés");
    }

    @Test
    void finalSigmaFollowsTheReferenceNotStringToLowerCase() {
        assertEquals("σας-timeout", KeywordExtractor.lowercase("ΣΑΣ-timeout"));
        assertEquals("i\u0307stanbul", KeywordExtractor.lowercase("İSTANBUL"));
        assertEquals("already lower", KeywordExtractor.lowercase("already lower"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"quoted\"|quoted", "__init__|init", "--flag|flag", "¿qué|qué", "a😀b|a😀b"})
    void trimsNonAlphanumericEdges(String run, String trimmed) {
        assertEquals(List.of(trimmed), KeywordExtractor.rank20(run));
    }

    @Test
    void trimmingToNothingOrBelowThreeBytesDropsTheWord() {
        assertEquals(List.of(), KeywordExtractor.rank20("😀😀"));
        assertEquals(List.of(), KeywordExtractor.rank20("c++"), "c is one byte");
        assertEquals(List.of(), KeywordExtractor.rank20("a\u0301"), "a plus a combining mark trims to a");
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        assertEquals(List.of("999", "né", "ré", "中"), KeywordExtractor.rank20("ré né 中 999 0 12 js"));
        assertEquals(List.of("go"), KeywordExtractor.rank20("go"), "go is a tech term");
    }

    @Test
    void separatorsAreWhiteSpaceAndFourteenAsciiMarksOnly() {
        assertEquals(List.of("event-driven"), KeywordExtractor.rank20("event-driven"));
        assertEquals(List.of("foo=bar"), KeywordExtractor.rank20("foo=bar"));
        assertEquals(List.of("alpha", "beta"), KeywordExtractor.rank20("alpha\u3000beta"));
        assertEquals(List.of("alpha\u200bbeta"), KeywordExtractor.rank20("alpha\u200bbeta"), "ZWSP separates nothing");
        assertTrue(KeywordExtractor.isSeparator('\u0085'));
        assertFalse(KeywordExtractor.isSeparator('\u001c'), "Character.isWhitespace says yes, White_Space says no");
    }

    @Test
    void alphanumericIncludesOtherNumbersAndLetterNumbers() {
        assertTrue(KeywordExtractor.isAlphanumeric('²'));
        assertTrue(KeywordExtractor.isAlphanumeric('½'));
        assertTrue(KeywordExtractor.isAlphanumeric('Ⅻ'));
        assertTrue(KeywordExtractor.isAlphanumeric('Ⓐ'));
        assertFalse(KeywordExtractor.isAlphanumeric('😀'));
    }

    @Test
    void rankingIsCountThenBytesThenCodePointOrder() {
        assertEquals(List.of("authentication", "refactor", "user"), KeywordExtractor.rank20("user refactor authentication"));
        assertEquals(List.of("apple", "zebra"), KeywordExtractor.rank20("zebra apple"));
        assertEquals(List.of("async", "code"), KeywordExtractor.rank20("code async code async async"));
    }

    @Test
    void codePointOrderPutsSupplementaryCharactersAfterThePrivateUseArea() {
        String bmpHigh = "\uE000";
        String supplementary = new String(Character.toChars(0x1F600));
        assertTrue(Utf8.compareCodePoints(bmpHigh, supplementary) < 0);
        assertTrue(bmpHigh.compareTo(supplementary) > 0, "Java's own order is the other way round");
        assertEquals(4, Utf8.byteLength(supplementary));
        assertEquals(3, Utf8.byteLength("中"));
    }

    @Test
    void rankKeepsTwentyAndClusterComesFromTheRankedBag() {
        String task = "auth authentication authorization service gateway token refresh rotation session cookie "
                + "header bearer scope claims issuer tenant expiry signature verify middleware deploy eks env";
        List<String> ranked = KeywordExtractor.rank20(task);
        assertEquals(20, ranked.size());
        assertFalse(ranked.contains("auth"));
        assertFalse(ranked.contains("eks"));
        assertFalse(ranked.contains("env"));
        assertEquals("authentication+authorization", KeywordExtractor.clusterKey(ranked));
    }
}
