package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token check: the scheme is case-insensitive (RFC 7235), the token must match exactly, and
 * near misses (a prefix, one more or one different character at either end) fail like any guess.
 * That a comparison's time does not depend on where a guess goes wrong is the JDK's guarantee for
 * {@code MessageDigest.isEqual} on the two fixed-length digests; it is not measured here.
 */
class BearerTokenTest {
    private static final String TOKEN = "k9-Tq7zP0vLm3xR8";
    private final BearerToken check = new BearerToken(TOKEN);

    @ParameterizedTest
    @ValueSource(strings = {"Bearer " + TOKEN, "bearer " + TOKEN, "BEARER " + TOKEN, "Bearer   " + TOKEN + "  "})
    void theTokenUnderABearerSchemeIsValid(String header) {
        assertEquals(BearerToken.Verdict.VALID, check.check(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Basic " + TOKEN, TOKEN, "Token " + TOKEN, "Bearer" + TOKEN})
    void noBearerCredentialIsMissing(String header) {
        assertEquals(BearerToken.Verdict.MISSING, check.check(header));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "Bearer x", "Bearer k9-Tq7zP0vLm3xR", "Bearer k9-Tq7zP0vLm3xR8x",
            "Bearer X9-Tq7zP0vLm3xR8", "Bearer k9-Tq7zP0vLm3xR9", "Bearer K9-TQ7ZP0VLM3XR8", "Bearer 9-Tq7zP0vLm3xR8"})
    void anythingElseIsInvalid(String header) {
        assertEquals(BearerToken.Verdict.INVALID, check.check(header));
    }

    @Test
    void anEmptyTokenCannotBeConfigured() {
        assertThrows(IllegalArgumentException.class, () -> new BearerToken(""));
    }

    @Test
    void nonAsciiTokensCompareByTheirUtf8Bytes() {
        BearerToken unicode = new BearerToken("clé-ünïcode");
        assertEquals(BearerToken.Verdict.VALID, unicode.check("Bearer clé-ünïcode"));
        assertEquals(BearerToken.Verdict.INVALID, unicode.check("Bearer cle-unicode"));
    }
}
