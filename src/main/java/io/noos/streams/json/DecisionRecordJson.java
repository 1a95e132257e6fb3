package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code regulator-decisions} record as JSON: {@code user_id, agent_id, session_id, event_id,
 * event_type, at_ms, turn, decision, prelude, metrics}; {@code decision} is exactly the vectors'
 * decision JSON. {@link #parse} reads one back.
 */
public final class DecisionRecordJson {
    private DecisionRecordJson() {}

    public static byte[] toBytes(DecisionRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            write(r, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toJson(DecisionRecord r) {
        return new String(toBytes(r), StandardCharsets.UTF_8);
    }

    public static void write(DecisionRecord r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("user_id", r.userId());
        g.writeStringField("agent_id", r.agentId());
        g.writeStringField("session_id", r.sessionId());
        g.writeStringField("event_id", r.eventId());
        g.writeStringField("event_type", r.eventType());
        g.writeNumberField("at_ms", r.atMs());
        g.writeNumberField("turn", r.turn());
        g.writeFieldName("decision");
        DecisionJson.write(r.decision(), g);
        g.writeStringField("prelude", r.prelude());
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
            g.writeNumberField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The decision record in {@code json} (as {@link #write} writes it; fields in any order).
     *
     * @throws InvalidEventException when it is not JSON or not a decision record, saying why
     */
    public static DecisionRecord parse(byte[] json) {
        JsonNode r;
        try {
            r = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException("a decision record is not valid JSON: " + e.getMessage(), e);
        }
        if (r == null || !r.isObject()) {
            throw new InvalidEventException("a decision record is a JSON object");
        }
        try {
            Map<String, Double> metrics = new LinkedHashMap<>();
            JsonNode m = r.get("metrics");
            if (m != null && !m.isNull()) {
                for (Iterator<String> names = m.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    metrics.put(name, DecisionJson.number(m, name));
                }
            }
            return new DecisionRecord(DecisionJson.text(r, "user_id"), DecisionJson.optionalText(r, "agent_id"),
                    DecisionJson.optionalText(r, "session_id"), DecisionJson.optionalText(r, "event_id"),
                    DecisionJson.text(r, "event_type"), DecisionJson.integer(r, "at_ms"), DecisionJson.integer(r, "turn"),
                    DecisionJson.read(DecisionJson.field(r, "decision")), DecisionJson.optionalText(r, "prelude"), metrics);
        } catch (InvalidEventException e) {
            throw new InvalidEventException("not a decision record: " + e.getMessage(), e);
        }
    }
}
