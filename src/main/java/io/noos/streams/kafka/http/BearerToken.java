package io.noos.streams.kafka.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured token without leaking,
 * through timing, how much of a guess was right or how long the token is: both sides are hashed to
 * 32 bytes and compared with {@link MessageDigest#isEqual}, which takes the same time for any two
 * arrays of one length.
 */
final class BearerToken {
    enum Verdict { VALID, MISSING, INVALID }

    private static final String SCHEME = "bearer ";

    private final byte[] expectedDigest;

    BearerToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("a bearer token must not be empty");
        }
        this.expectedDigest = sha256(token.getBytes(StandardCharsets.UTF_8));
    }

    Verdict check(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Verdict.MISSING;
        }
        byte[] presented = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expectedDigest, sha256(presented)) ? Verdict.VALID : Verdict.INVALID;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
