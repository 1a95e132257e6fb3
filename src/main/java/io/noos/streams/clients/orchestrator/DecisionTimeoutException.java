package io.noos.streams.clients.orchestrator;

import java.util.concurrent.TimeoutException;

/**
 * No decision arrived for an event within the client's decision timeout. The event was sent (or
 * could not be, when its decisions partition could not be read); the service may be down,
 * restarting or lagging. The message names the event, the user and the partition, and the last
 * error the client met reading decisions, if any.
 */
public final class DecisionTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;
    private final String userId;
    private final String eventId;

    DecisionTimeoutException(String message, String userId, String eventId) {
        super(message);
        this.userId = userId;
        this.eventId = eventId;
    }

    /** The user of the event without a decision. */
    public String userId() {
        return userId;
    }

    /** The id of the event without a decision. */
    public String eventId() {
        return eventId;
    }
}
