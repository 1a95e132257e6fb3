package io.noos.streams.kafka.http;

/** A state store cannot be read now (rebalancing, restoring, shutting down); the caller may retry. */
final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
