package io.noos.streams.testkit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.pricing.Money;

/**
 * The envelope of a test event, field by field: a user's event with only the fields a test sets
 * (no event id, agent or session, {@code at_ms} 0 unless set), then the event, either as the model
 * ({@link #of}, {@link #tokens}) or as a JSON line for the readers' tests ({@link #json}; the
 * event's JSON as written by the test, e.g. {@link Logs#turnStart}).
 *
 * <pre>{@code
 * EventEnvelope e = TestEvent.user("alice").session("s1").at(10).of(new AgentEvent.TurnStart("hi"));
 * String line = TestEvent.user("alice").id("e1").at(10).json(Logs.turnStart("hi"));
 * }</pre>
 */
public record TestEvent(String eventId, String userId, String agentId, String sessionId, long atMs, String model,
                        Money reportedCost) {

    /** An event of {@code userId}, nothing else set. */
    public static TestEvent user(String userId) {
        return new TestEvent(null, userId, null, null, 0, null, null);
    }

    public TestEvent id(String eventId) {
        return new TestEvent(eventId, userId, agentId, sessionId, atMs, model, reportedCost);
    }

    public TestEvent agent(String agentId) {
        return new TestEvent(eventId, userId, agentId, sessionId, atMs, model, reportedCost);
    }

    public TestEvent session(String sessionId) {
        return new TestEvent(eventId, userId, agentId, sessionId, atMs, model, reportedCost);
    }

    public TestEvent at(long atMs) {
        return new TestEvent(eventId, userId, agentId, sessionId, atMs, model, reportedCost);
    }

    /** The model that answered (what a cost is priced by). */
    public TestEvent model(String model) {
        return new TestEvent(eventId, userId, agentId, sessionId, atMs, model, reportedCost);
    }

    /** The cost its source reported, e.g. {@code reportedCost("0.01", "USD")}. */
    public TestEvent reportedCost(String amount, String currency) {
        return new TestEvent(eventId, userId, agentId, sessionId, atMs, model, Money.parse(amount, currency));
    }

    /** The envelope of one event. */
    public EventEnvelope of(AgentEvent event) {
        return of(new EnvelopeEvent.Single(event));
    }

    /** The envelope of a batch of tokens with these log-probabilities. */
    public EventEnvelope tokens(double... logprobs) {
        return of(new EnvelopeEvent.TokenBatch(logprobs));
    }

    /** The envelope of {@code event}. */
    public EventEnvelope of(EnvelopeEvent event) {
        return new EventEnvelope(eventId, userId, agentId, sessionId, atMs, event, model, reportedCost);
    }

    /** The envelope as one JSON line, fields in the format's order, those not set left out. */
    public String json(String eventJson) {
        StringBuilder line = new StringBuilder("{");
        field(line, "event_id", eventId);
        field(line, "user_id", userId);
        field(line, "agent_id", agentId);
        field(line, "session_id", sessionId);
        line.append("\"at_ms\":").append(atMs).append(',');
        field(line, "model", model);
        if (reportedCost != null) {
            line.append("\"reported_cost\":{\"amount\":\"").append(Money.decimal(reportedCost.micros()))
                    .append("\",\"currency\":\"").append(reportedCost.currency()).append("\"},");
        }
        return line.append("\"event\":").append(eventJson).append('}').toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        if (value != null) {
            line.append('"').append(name).append("\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(value)).append("\",");
        }
    }
}
