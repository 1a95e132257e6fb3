package io.noos.streams.alerts;

import io.noos.streams.envelope.DecisionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One alert to send: the decision it is about, what kind of alert it is, and its deduplication key
 * ({@link AlertRules}). The idempotency key is a digest of the deduplication key, so the same alert
 * sent again (after a restart between the post and the commit) carries the same key and a receiver
 * can drop the copy.
 */
public record Alert(Type type, String dedupKey, DecisionRecord record) {
    /** What an alert is about. */
    public enum Type {
        /** A circuit break (not an operator's halt). */
        CIRCUIT_BREAK,
        /** An operator's halt. */
        OPERATOR_HALT,
        /** A spend budget's soft threshold. */
        BUDGET_WARNING
    }

    /** 32 hex digits of SHA-256 over the deduplication key. */
    public String idempotencyKey() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(dedupKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
