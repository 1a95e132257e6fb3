package io.noos.streams.clients.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.DecisionVocabulary;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints the decisions the simulated agents get, one readable line each: every intervention (a
 * decision other than {@code continue}) once per user, turn and kind, with what the agent did about
 * it, not again on every later event of the turn; with {@code everyDecision}, every decision as it
 * comes. Lines name users, agents, tools and counts, never correction texts, messages, topic
 * keywords or tool arguments (user data); a break reason it does not know is printed by its kind
 * alone. Thread-safe.
 */
public final class DecisionPrinter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final boolean everyDecision;
    /** Per user: the newest turn that had an intervention, and the kinds printed in it. */
    private final Map<String, TurnKinds> shown = new HashMap<>();

    private record TurnKinds(long turn, Set<String> kinds) {}

    public DecisionPrinter(PrintStream out, boolean everyDecision) {
        this.out = out;
        this.everyDecision = everyDecision;
    }

    /**
     * Takes a decision an agent got and what it did about it ({@code action}, null for nothing).
     * Returns true when it is the first intervention of its kind in its user's turn (and so printed).
     */
    public boolean decision(DecisionRecord record, String action) {
        String kind = record.decision().kind();
        boolean first = !DecisionVocabulary.CONTINUE.equals(kind) && firstOfItsTurn(record.userId(), record.turn(), kind);
        if (first || everyDecision) {
            String line = describe(DecisionRecordJson.toBytes(record));
            synchronized (out) {
                out.println(action == null ? line : line + " -> " + action);
            }
        }
        return first;
    }

    private synchronized boolean firstOfItsTurn(String user, long turn, String kind) {
        TurnKinds seen = shown.get(user);
        if (seen == null || seen.turn() != turn) {
            seen = new TurnKinds(turn, new HashSet<>());
            shown.put(user, seen);
        }
        return seen.kinds().add(kind);
    }

    /** One line for a decision record. */
    static String describe(byte[] json) {
        JsonNode r;
        try {
            r = Json.mapper().readTree(json);
        } catch (Exception e) {
            return "(unreadable decision record)";
        }
        String head = String.format("%s %-9s %-8s turn %-3d after %-16s", TIME.format(Instant.ofEpochMilli(
                r.path("at_ms").asLong())), r.path("user_id").asText(), r.path("agent_id").asText("-"),
                r.path("turn").asLong(), r.path("event_type").asText());
        return head + " " + summary(r.path("decision"));
    }

    static String summary(JsonNode d) {
        return switch (d.path("kind").asText()) {
            case "circuit_break" -> {
                JsonNode reason = d.path("reason");
                String detail = switch (reason.path("kind").asText()) {
                    case "cost_cap_reached" -> "tokens " + reason.path("tokens_spent").asLong() + "/"
                            + reason.path("tokens_cap").asLong() + ", mean quality "
                            + String.format("%.2f", reason.path("mean_quality_last_n").asDouble());
                    case "quality_decline_no_recovery" -> "quality fell by "
                            + String.format("%.2f", reason.path("mean_delta").asDouble()) + " over 3 turns";
                    case "repeated_tool_call_loop" -> reason.path("tool_name").asText() + " called "
                            + reason.path("consecutive_count").asLong() + " times in a row";
                    case "repeated_failure_pattern" -> reason.path("failure_count").asLong()
                            + " tool failures in a row";
                    case "repeated_identical_tool_call" -> reason.path("tool_name").asText() + " called "
                            + reason.path("count").asLong() + " times with the same arguments";
                    case "tool_call_cycle" -> String.join(" -> ", texts(reason.path("cycle"))) + " repeated "
                            + reason.path("repetitions").asLong() + " times";
                    case "token_budget_exceeded" -> "tokens " + reason.path("tokens_in_window").asLong() + "/"
                            + reason.path("budget_tokens").asLong() + " in the last "
                            + reason.path("window_ms").asLong() / 1000 + " s";
                    case "operator_halt" -> "policy " + reason.path("policy_key").asText();
                    default -> null;
                };
                yield "CIRCUIT BREAK " + reason.path("kind").asText() + (detail == null ? "" : " (" + detail + ")");
            }
            case "scope_drift_warn" -> String.format("SCOPE DRIFT score %.2f (%d off-task keywords)",
                    d.path("drift_score").asDouble(), d.path("drift_tokens").size());
            case "procedural_warning" -> {
                JsonNode p = d.path("patterns").path(0);
                yield "PROCEDURAL WARNING user corrected this topic " + p.path("learned_from_turns").asLong()
                        + " times before";
            }
            case "spend_anomaly_warn" -> String.format(Locale.ROOT, "SPEND ANOMALY %d tokens out this minute, "
                    + "%.1fx the fleet median of %.0f (%d users)", d.path("user_tokens_out").asLong(),
                    d.path("ratio").asDouble(), d.path("fleet_median_tokens_out").asDouble(),
                    d.path("fleet_users").asLong());
            default -> d.path("kind").asText();
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
