package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.pricing.Money;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The {@code agent-events} envelope as JSON:
 * {@code {"event_id","user_id","agent_id","session_id","at_ms","event":{"type":...}}}. The event is
 * one of the eight vector events or {@code {"type":"token_batch","logprobs":[...]}}. Strict like
 * {@link EventJson}; unknown envelope fields are ignored.
 */
public final class EnvelopeJson {
    private EnvelopeJson() {}

    public static EventEnvelope parse(byte[] json) {
        EventEnvelope fast = EnvelopeFastPath.tryParse(json, 0, json.length, null);
        return fast != null ? fast : parseStrictly(json);
    }

    /**
     * {@link #parse(byte[])} without the fast path: the general JSON reader on every record, after
     * the record is checked to be well-formed UTF-8 (the JSON reader decodes overlong forms and
     * encoded surrogates without complaint).
     */
    static EventEnvelope parseStrictly(byte[] json) {
        Utf8.requireWellFormed(json, 0, json.length);
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            return parse(p);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The envelope in {@code json} when it has the plain shape producers usually write, read
     * without a general JSON parser, with the event id {@code defaultEventId} when it has none;
     * null when only {@link #parse(byte[])} can give the verdict. Whenever it returns an envelope,
     * {@code parse} returns an equal one (but for the default event id); whenever it throws,
     * {@code parse} throws with the same reason.
     *
     * @throws InvalidEventException when a string in it is not well-formed UTF-8
     */
    public static EventEnvelope parsePlain(byte[] json, String defaultEventId) {
        return EnvelopeFastPath.tryParse(json, 0, json.length, defaultEventId);
    }

    public static EventEnvelope parse(String json) {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            return parse(p);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EventEnvelope parse(JsonParser p) throws IOException {
        p.nextToken();
        EventEnvelope envelope = read(p);
        if (p.nextToken() != null) {
            throw new InvalidEventException("unexpected content after the envelope object");
        }
        return envelope;
    }

    /**
     * Reads the envelope object whose {@code START_OBJECT} is the parser's current token, leaving the
     * parser on its {@code END_OBJECT} (for readers that parse many envelopes with one parser).
     */
    public static EventEnvelope read(JsonParser p) throws IOException {
        JsonToken first = p.currentToken();
        if (first != JsonToken.START_OBJECT) {
            throw new InvalidEventException("envelope must be a JSON object, got " + EventJson.describe(first));
        }
        String eventId = null;
        String userId = null;
        String agentId = null;
        String sessionId = null;
        Long atMs = null;
        EnvelopeEvent event = null;
        String model = null;
        Money reportedCost = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int bit = fieldBit(name);
            if ((seen & bit) != 0) {
                throw new InvalidEventException("duplicate field '" + name + "' in envelope");
            }
            seen |= bit;
            p.nextToken();
            switch (name) {
                case "event_id" -> eventId = EventJson.nullableString(p, name);
                case "user_id" -> userId = EventJson.nullableString(p, name);
                case "agent_id" -> agentId = EventJson.nullableString(p, name);
                case "session_id" -> sessionId = EventJson.nullableString(p, name);
                case "at_ms" -> atMs = signed64(p, name);
                case "event" -> event = readEvent(p);
                case "model" -> model = EventJson.nullableString(p, name);
                case "reported_cost" -> reportedCost = reportedCost(p);
                default -> p.skipChildren();
            }
        }
        if (userId == null || userId.isEmpty()) {
            throw new InvalidEventException("user_id is missing or empty");
        }
        if (atMs == null) {
            throw new InvalidEventException("at_ms is required (event time in ms)");
        }
        if (event == null) {
            throw new InvalidEventException("event is required");
        }
        return new EventEnvelope(eventId, userId, agentId, sessionId, atMs, event, model, reportedCost);
    }

    /** {@code {"amount": "0.0123", "currency": "USD"}} (the amount a decimal string or number), or null. */
    private static Money reportedCost(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        String shape = "'reported_cost' must be {\"amount\": \"0.0123\", \"currency\": \"USD\"}";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException(shape + ", got " + EventJson.describe(p.currentToken()));
        }
        String amount = null;
        String currency = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("amount") && (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT
                    || v == JsonToken.VALUE_NUMBER_FLOAT) && amount == null) {
                amount = p.getText();
            } else if (name.equals("currency") && v == JsonToken.VALUE_STRING && currency == null) {
                currency = p.getText();
            } else {
                throw new InvalidEventException(shape);
            }
        }
        try {
            return Money.parse(amount, currency);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("'reported_cost': " + e.getMessage());
        }
    }

    /** One bit per known envelope field (0 for unknown ones, which may repeat and are ignored). */
    private static int fieldBit(String name) {
        return switch (name) {
            case "event_id" -> 1;
            case "user_id" -> 2;
            case "agent_id" -> 4;
            case "session_id" -> 8;
            case "at_ms" -> 16;
            case "event" -> 32;
            case "model" -> 64;
            case "reported_cost" -> 128;
            default -> 0;
        };
    }

    private static long signed64(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidEventException("'" + field + "' must be an integer, got " + EventJson.describe(p.currentToken()));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidEventException("'" + field + "' is out of range: " + p.getText());
        }
        return p.getLongValue();
    }

    /** The event object: a token batch, or any of the eight events. */
    private static EnvelopeEvent readEvent(JsonParser p) throws IOException {
        return EventJson.readEnvelopeEvent(p);
    }

    // ---------------------------------------------------------------- writing

    public static byte[] toBytes(EventEnvelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            write(envelope, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toJson(EventEnvelope envelope) {
        return new String(toBytes(envelope), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static void write(EventEnvelope e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (e.eventId() != null) {
            g.writeStringField("event_id", e.eventId());
        }
        g.writeStringField("user_id", e.userId());
        if (e.agentId() != null) {
            g.writeStringField("agent_id", e.agentId());
        }
        if (e.sessionId() != null) {
            g.writeStringField("session_id", e.sessionId());
        }
        g.writeNumberField("at_ms", e.atMs());
        if (e.model() != null) {
            g.writeStringField("model", e.model());
        }
        if (e.reportedCost() != null) {
            g.writeObjectFieldStart("reported_cost");
            g.writeStringField("amount", e.reportedCost().amount());
            g.writeStringField("currency", e.reportedCost().currency());
            g.writeEndObject();
        }
        g.writeFieldName("event");
        if (e.event() instanceof EnvelopeEvent.Single s) {
            EventJson.write(s.event(), g);
        } else if (e.event() instanceof EnvelopeEvent.TokenBatch b) {
            g.writeStartObject();
            g.writeStringField("type", EnvelopeEvent.TokenBatch.TYPE);
            g.writeArrayFieldStart("logprobs");
            for (double lp : b.logprobs()) {
                EventJson.writeDouble(g, lp);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
