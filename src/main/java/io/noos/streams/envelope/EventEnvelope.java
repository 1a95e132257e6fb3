package io.noos.streams.envelope;

import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.pricing.Money;
import io.noos.streams.core.Utf8;

/**
 * One record of the {@code agent-events} topic: who, when, and what happened. Each id is at most
 * {@value #MAX_ID_BYTES} bytes of UTF-8: ids become record keys, parts of keys and fields of the
 * service's state, decisions and fleet windows (which list up to ten users), and every one of those
 * records must stay far below Kafka's record size limit.
 *
 * @param eventId   unique per event; null when the producer sent none
 * @param userId    the regulator's key; never empty
 * @param agentId   optional
 * @param sessionId optional; a new value for a user resets the per-task state
 * @param atMs      event time, milliseconds since the epoch; never negative
 * @param event     the event or token batch
 * @param model     optional: the model that served a {@code cost} event (priced by the price table)
 * @param reportedCost optional: what the source itself reported a {@code cost} event cost (used
 *                  instead of the price table)
 */
public record EventEnvelope(String eventId, String userId, String agentId, String sessionId, long atMs,
                            EnvelopeEvent event, String model, Money reportedCost) {
    public EventEnvelope(String eventId, String userId, String agentId, String sessionId, long atMs,
                         EnvelopeEvent event) {
        this(eventId, userId, agentId, sessionId, atMs, event, null, null);
    }

    /** The most bytes of UTF-8 an id may have. */
    public static final int MAX_ID_BYTES = 1024;

    public EventEnvelope {
        requireShort(FieldChecks.optionalValidText(eventId, "event_id"), "event_id");
        requireShort(FieldChecks.requireValidText(userId, "user_id"), "user_id");
        if (userId.isEmpty()) {
            throw new InvalidEventException("user_id must not be empty");
        }
        requireShort(FieldChecks.optionalValidText(agentId, "agent_id"), "agent_id");
        requireShort(FieldChecks.optionalValidText(sessionId, "session_id"), "session_id");
        if (atMs < 0) {
            throw new InvalidEventException("at_ms must not be negative (milliseconds since the epoch), got " + atMs);
        }
        if (event == null) {
            throw new InvalidEventException("event is required");
        }
        requireShort(FieldChecks.optionalValidText(model, "model"), "model");
    }

    private static void requireShort(String id, String field) {
        // a UTF-16 unit is at most 3 bytes of UTF-8, so short strings need no counting
        if (id != null && id.length() > MAX_ID_BYTES / 3 && Utf8.byteLength(id) > MAX_ID_BYTES) {
            throw new InvalidEventException(field + " is " + Utf8.byteLength(id)
                    + " bytes of UTF-8; ids may have at most "
                    + MAX_ID_BYTES);
        }
    }

    /** The same envelope with {@code eventId} set (tools that read files derive one when absent). */
    public EventEnvelope withEventId(String id) {
        return new EventEnvelope(id, userId, agentId, sessionId, atMs, event, model, reportedCost);
    }

    /** The same envelope with {@code model} and {@code reportedCost} set. */
    public EventEnvelope withCost(String model, Money reportedCost) {
        return new EventEnvelope(eventId, userId, agentId, sessionId, atMs, event, model, reportedCost);
    }
}
