package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.noos.streams.envelope.DecisionRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code regulator-decisions} record as JSON: {@code user_id, agent_id, session_id, event_id,
 * event_type, at_ms, turn, decision, prelude, metrics}; {@code decision} is exactly the vectors'
 * decision JSON.
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
}
