package io.noos.streams.core;

/**
 * Thrown when an event, a snapshot or a setting cannot be accepted: a field out of its range, a
 * string that is not valid Unicode, an unknown event type. The message names the field and says
 * what was wrong, so it can go straight into a dead-letter reason or an error response.
 */
public class InvalidEventException extends IllegalArgumentException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
