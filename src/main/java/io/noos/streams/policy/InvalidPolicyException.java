package io.noos.streams.policy;

/** A policy record that cannot be used; the message says why, in terms of the record's JSON and key. */
public final class InvalidPolicyException extends RuntimeException {
    public InvalidPolicyException(String message) {
        super(message);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
