package io.noos.streams.envelope;

import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.pricing.Money;

/**
 * One record of the {@code agent-events} topic: who, when, and what happened.
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

    public EventEnvelope {
        FieldChecks.optionalValidText(eventId, "event_id");
        FieldChecks.requireValidText(userId, "user_id");
        if (userId.isEmpty()) {
            throw new InvalidEventException("user_id must not be empty");
        }
        FieldChecks.optionalValidText(agentId, "agent_id");
        FieldChecks.optionalValidText(sessionId, "session_id");
        if (atMs < 0) {
            throw new InvalidEventException("at_ms must not be negative (milliseconds since the epoch), got " + atMs);
        }
        if (event == null) {
            throw new InvalidEventException("event is required");
        }
        FieldChecks.optionalValidText(model, "model");
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
