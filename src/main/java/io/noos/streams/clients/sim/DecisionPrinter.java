package io.noos.streams.clients.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.envelope.DecisionVocabulary;
import io.noos.streams.json.Json;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the decisions topic (read_committed) and prints one readable line per decision. Lines
 * name users, agents, tools and counts, never correction texts, messages, topic keywords or tool
 * arguments (user data); a break reason it does not know is printed by its kind alone.
 */
public final class DecisionPrinter implements Runnable, AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final KafkaConsumer<String, String> consumer;
    private final PrintStream out;
    private final boolean onlyNonContinue;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public DecisionPrinter(Properties kafka, String topic, PrintStream out, boolean onlyNonContinue) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "noos-decision-printer-" + System.nanoTime());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        this.consumer.subscribe(List.of(topic));
        this.out = out;
        this.onlyNonContinue = onlyNonContinue;
    }

    @Override
    public void run() {
        try {
            while (!stopped.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    String line = describe(r.value());
                    if (line != null) {
                        out.println(line);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // closed
        } finally {
            consumer.close();
        }
    }

    /** One line for a decision record, or null when it is filtered out. */
    String describe(String json) {
        JsonNode r;
        try {
            r = Json.mapper().readTree(json);
        } catch (Exception e) {
            return "(unreadable decision record)";
        }
        JsonNode d = r.path("decision");
        String kind = d.path("kind").asText();
        if (onlyNonContinue && DecisionVocabulary.CONTINUE.equals(kind)) {
            return null;
        }
        String head = String.format("%s %-9s %-8s turn %-3d after %-16s", TIME.format(Instant.ofEpochMilli(
                r.path("at_ms").asLong())), r.path("user_id").asText(), r.path("agent_id").asText("-"),
                r.path("turn").asLong(), r.path("event_type").asText());
        return head + " " + summary(d);
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
                        + " times before (prelude injected)";
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

    @Override
    public void close() {
        stopped.set(true);
        consumer.wakeup();
    }
}
