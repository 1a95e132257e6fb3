package io.noos.streams.alerts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.DecisionJson;
import io.noos.streams.json.Json;
import io.noos.streams.pricing.Money;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of an alert: generic JSON or a Slack-compatible {@code {"text": ...}} message. Both carry
 * the idempotency key. User text (messages, corrections, drift keywords, topic clusters, the
 * corrections prelude) is left out unless {@code includeUserText}: without it a reason keeps only
 * its numbers and the fields no user wrote (currency, amounts, policy key, the operator's halt text).
 */
public final class AlertBody {
    /** The reason fields kept without user text (besides numbers). */
    private static final Set<String> SAFE_TEXT = Set.of("kind", "currency", "spent", "budget", "policy_key", "halt_reason");

    private AlertBody() {}

    /** The body in {@code format}. */
    public static byte[] of(Alert alert, AlertSettings.Format format, boolean includeUserText) {
        return format == AlertSettings.Format.SLACK ? slack(alert, includeUserText) : json(alert, includeUserText);
    }

    /**
     * {@code {"idempotency_key","alert","user_id","agent_id","session_id","event_id","turn","at_ms",
     * "kind","reason","summary","details":{...}}}, plus {@code "decision"} and {@code "prelude"} when
     * user text is included.
     */
    static byte[] json(Alert alert, boolean includeUserText) {
        DecisionRecord r = alert.record();
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("idempotency_key", alert.idempotencyKey());
            g.writeStringField("alert", alert.type().name().toLowerCase(Locale.ROOT));
            g.writeStringField("user_id", r.userId());
            g.writeStringField("agent_id", r.agentId());
            g.writeStringField("session_id", r.sessionId());
            g.writeStringField("event_id", r.eventId());
            g.writeNumberField("turn", r.turn());
            g.writeNumberField("at_ms", r.atMs());
            g.writeStringField("kind", r.decision().kind());
            g.writeStringField("reason", reason(r.decision()));
            g.writeStringField("summary", summary(alert));
            g.writeFieldName("details");
            g.writeTree(details(r.decision()));
            if (includeUserText) {
                g.writeFieldName("decision");
                DecisionJson.write(r.decision(), g);
                g.writeStringField("prelude", r.prelude());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"text": "<summary> (key <idempotency key>)", "idempotency_key": ...}}. */
    static byte[] slack(Alert alert, boolean includeUserText) {
        ObjectNode body = Json.mapper().createObjectNode();
        String text = ":rotating_light: " + summary(alert);
        if (includeUserText && alert.record().decision() instanceof Decision.CircuitBreak cb) {
            text += "\n" + cb.suggestion();
        }
        body.put("text", text + " (key " + alert.idempotencyKey() + ")");
        body.put("idempotency_key", alert.idempotencyKey());
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String reason(Decision d) {
        return d instanceof Decision.CircuitBreak cb && cb.reason() != null ? cb.reason().kind() : null;
    }

    /** One line, no user text. */
    static String summary(Alert alert) {
        DecisionRecord r = alert.record();
        String who = "user " + r.userId() + (r.agentId() == null ? "" : " (agent " + r.agentId() + ")");
        Decision d = r.decision();
        if (d instanceof Decision.SpendBudgetWarn w) {
            return String.format(Locale.ROOT, "%s spent %s %s, %d%% of the %s %s budget", spender(w.agentId(), who),
                    Money.decimal(w.spentMicros()), w.currency(), w.thresholdPercent(), Money.decimal(w.budgetMicros()),
                    w.currency()) + onBehalf(w.agentId(), r);
        }
        if (d instanceof Decision.CircuitBreak cb && cb.reason() instanceof BreakReason.OperatorHalt h) {
            return "operator halt " + h.policyKey() + (h.haltReason() == null ? "" : " (" + h.haltReason() + ")")
                    + ": " + who + " stopped";
        }
        if (d instanceof Decision.CircuitBreak cb && cb.reason() instanceof BreakReason.SpendBudgetExceeded b) {
            return String.format(Locale.ROOT, "circuit break spend_budget_exceeded: %s spent %s %s of a %s %s budget",
                    spender(b.agentId(), who), Money.decimal(b.spentMicros()), b.currency(),
                    Money.decimal(b.budgetMicros()), b.currency()) + onBehalf(b.agentId(), r);
        }
        return "circuit break " + reason(d) + ": " + who + ", turn " + r.turn();
    }

    /** Whose spend a budget counts: the user's own, or (an agent's budget) all of the agent's users'. */
    private static String spender(String budgetAgentId, String user) {
        return budgetAgentId == null ? user : "agent " + budgetAgentId + "'s users together";
    }

    /** For an agent's budget, the user whose event reached the threshold. */
    private static String onBehalf(String budgetAgentId, DecisionRecord r) {
        return budgetAgentId == null ? "" : " (reached on an event of user " + r.userId() + ")";
    }

    /** The reason's (or warning's) numbers and safe fields. */
    static JsonNode details(Decision d) {
        JsonNode full;
        try {
            full = Json.mapper().readTree(DecisionJson.toJson(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode source = full.has("reason") ? full.get("reason") : full;
        ObjectNode out = Json.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNumber() || SAFE_TEXT.contains(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        }
        return out;
    }
}
