package io.noos.streams.kafka.app;

import static io.noos.streams.testkit.JsonTrees.tree;
import static io.noos.streams.testkit.RegulatorFlow.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.alerts.AlertSettings;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.pricing.PriceFileWatcher;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.Poll;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestEvent;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Prices, a budget in money and the alerts inside the service, together on the in-process broker:
 * the service runs with {@code noos.prices.file}, a {@code spend_budget} policy on {@code *} and
 * {@code noos.alerts.*} posting to a real HTTP receiver on loopback (a JSON and a Slack webhook).
 * <p>Expected amounts follow the rule of README "Spend in money": a cost event costs
 * {@code tokens_in × input_per_million + tokens_out × output_per_million} micro-units (millionths of
 * the currency) at its provider's price for its model; an unpriced model adds nothing and counts one
 * unpriced cost event. The budget (docs/detectors.md, {@code spend_budget}) warns from 80 % and 95 %
 * of {@code max_amount} and breaks from 100 %; the alerts (README "Alerts") come once per (user,
 * threshold, window) and once per (user, turn, reason).
 */
class PricesBudgetAlertsIT {
    private static final Duration STARTUP = Duration.ofSeconds(45);
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final long DAY = 86_400_000;
    /** Test prices (made up): gpt-4o at 2.50 / 10.00 USD per million input / output tokens. */
    private static final String PRICES = "{\"note\": \"test prices, made up\", \"providers\": {\"openai\": "
            + "{\"gpt-4o\": {\"input_per_million\": \"2.50\", \"output_per_million\": \"10.00\", \"currency\": \"USD\"}}}}";
    /** The file after the change: 5.00 / 20.00. */
    private static final String NEW_PRICES = "{\"note\": \"test prices, made up, raised\", \"providers\": {\"openai\": "
            + "{\"gpt-4o\": {\"input_per_million\": \"5.00\", \"output_per_million\": \"20.00\", \"currency\": \"USD\"}}}}";
    /** Set on the policies topic at last: 1.00 / 1.00 (wins over the file). */
    private static final String TOPIC_PRICES = "{\"providers\": {\"openai\": "
            + "{\"gpt-4o\": {\"input_per_million\": \"1.00\", \"output_per_million\": \"1.00\", \"currency\": \"USD\"}}}}";

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path dir;

    /** An envelope line for {@code user} of agent-7, session s1. */
    private static String event(String id, String user, long at, String event) {
        return TestEvent.user(user).id(id).agent("agent-7").session("s1").at(at).model("gpt-4o").json(event);
    }

    private static String cost(long in, long out, String provider) {
        return Logs.cost(in, out, provider);
    }

    @Test
    @Timeout(240)
    void pricedCostsWarnAt80And95ThenBreakWithOneAlertEachAndARepricedTableApplies() throws Exception {
        Path prices = Files.writeString(dir.resolve("prices.json"), PRICES);
        try (WebhookReceiver receiver = WebhookReceiver.start("/hook", "/slack")) {
            Map<String, String> flags = RegulatorFlow.flags(kafka.bootstrapServers(), "noos-it-prices", dir.resolve("state"),
                    "prices");
            flags.put(ServiceConfig.PRICES_FILE, prices.toString());
            flags.put(ServiceConfig.PRICES_CHECK_INTERVAL_MS, "100");
            flags.put(AlertSettings.ENABLED, "true");
            flags.put(AlertSettings.WEBHOOK_PREFIX + "ops.url", receiver.url("/hook"));
            flags.put(AlertSettings.WEBHOOK_PREFIX + "chat.url", receiver.url("/slack"));
            flags.put(AlertSettings.WEBHOOK_PREFIX + "chat.format", "slack");
            flags.put(AlertSettings.START, "earliest");   // the decisions topic is new: every decision counts
            flags.put(AlertSettings.GROUP_ID, "noos-it-prices-alerts");
            ServiceConfig config = ServiceConfig.load(null, Map.of(), flags);
            String bootstrap = kafka.bootstrapServers();
            String input = config.get(ServiceConfig.INPUT_TOPIC);
            String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
            String policiesTopic = config.get(ServiceConfig.POLICIES_TOPIC);

            try (RegulatorService service = new RegulatorService(config).start()) {
                assertTrue(service.awaitRunning(STARTUP), "service RUNNING");
                ReadOnlyKeyValueStore<String, byte[]> policies = service.streams().store(StoreQueryParameters
                        .fromNameAndType(ServiceStore.POLICIES.storeName(), QueryableStoreTypes.keyValueStore()));
                CliRun budget = CliRun.of("policy", "set", "--bootstrap-servers", bootstrap, "--topic", policiesTopic, "*",
                        "{\"detectors\":{\"spend_budget\":{\"enabled\":true,\"max_amount\":0.01,\"currency\":\"USD\"}}}");
                assertEquals(0, budget.exitCode(), budget.stderr());
                Poll.until("the budget policy is in force", WAIT, () -> policies.get("*") != null);

                // u1's turn: spend 7500 (75 %), an unpriced model, 8000 (80 %), another event, 9500 (95 %),
                // 10000 (100 %: the break), another event of the same turn.
                List<String> turn = List.of(
                        event("e1", "u1", T0 + 1_000, Logs.turnStart("plan the trip")),
                        event("e2", "u1", T0 + 2_000, cost(1_000, 500, "openai")),      // 1000×2.50 + 500×10.00 = 7500
                        event("e3", "u1", T0 + 3_000, cost(1_000, 1_000, "acme")),      // acme is not priced
                        event("e4", "u1", T0 + 4_000, cost(200, 0, "openai")),          // + 200×2.50 = 500 → 8000
                        event("e5", "u1", T0 + 5_000, Logs.toolCall("search")),
                        event("e6", "u1", T0 + 6_000, cost(0, 150, "openai")),          // + 150×10.00 = 1500 → 9500
                        event("e7", "u1", T0 + 7_000, cost(0, 50, "openai")),           // + 50×10.00 = 500 → 10000
                        event("e8", "u1", T0 + 8_000, Logs.toolCall("search")));
                for (String line : turn) {
                    RegulatorFlow.produceRaw(bootstrap, input, "u1", line);
                }
                List<ConsumerRecord<String, String>> records = RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 8);
                assertEquals(8, records.size());
                List<JsonNode> decisions = decisionsOf("u1", records);
                assertDecision(decisions.get(0), "e1", "continue", null, 0);
                assertDecision(decisions.get(1), "e2", "continue", "0.007500", 0);
                assertDecision(decisions.get(2), "e3", "continue", "0.007500", 1);
                assertDecision(decisions.get(3), "e4", "spend_budget_warn", "0.008000", 1);
                assertDecision(decisions.get(4), "e5", "spend_budget_warn", "0.008000", 1);
                assertDecision(decisions.get(5), "e6", "spend_budget_warn", "0.009500", 1);
                assertDecision(decisions.get(6), "e7", "circuit_break", "0.010000", 1);
                assertDecision(decisions.get(7), "e8", "circuit_break", "0.010000", 1);
                assertEquals(80, decisions.get(3).at("/decision/threshold_percent").asLong());
                assertEquals(80, decisions.get(4).at("/decision/threshold_percent").asLong());
                assertEquals(95, decisions.get(5).at("/decision/threshold_percent").asLong());
                assertEquals("spend_budget_exceeded", decisions.get(6).at("/decision/reason/kind").asText());
                long turnNumber = decisions.get(0).get("turn").asLong();
                decisions.forEach(d -> assertEquals(turnNumber, d.get("turn").asLong(), "one turn: " + d));

                // One alert per (user, threshold, window) and per (user, turn, reason): three, on each webhook.
                Poll.until("three alerts on each webhook", WAIT,
                        () -> receiver.posts("/hook").size() >= 3 && receiver.posts("/slack").size() >= 3);
                Thread.sleep(1_500);   // a repeat would arrive by now
                List<WebhookReceiver.Post> hook = receiver.posts("/hook");
                assertEquals(3, hook.size(), "no repeats: " + hook);
                assertEquals(warning("e4", 4_000, turnNumber, "0.008000", 80), withoutKey(hook.get(0)));
                assertEquals(warning("e6", 6_000, turnNumber, "0.009500", 95), withoutKey(hook.get(1)));
                assertEquals(breakAlert(turnNumber), withoutKey(hook.get(2)));
                List<WebhookReceiver.Post> slack = receiver.posts("/slack");
                assertEquals(3, slack.size(), "no repeats: " + slack);
                assertEquals(List.of(
                        ":rotating_light: user u1 (agent agent-7) spent 0.008000 USD, 80% of the 0.010000 USD budget",
                        ":rotating_light: user u1 (agent agent-7) spent 0.009500 USD, 95% of the 0.010000 USD budget",
                        ":rotating_light: circuit break spend_budget_exceeded: user u1 (agent agent-7) spent 0.010000 USD "
                                + "of a 0.010000 USD budget"),
                        slack.stream().map(p -> p.json().get("text").asText().replaceAll(" \\(key [0-9a-f]{32}\\)$", ""))
                                .toList());
                for (int i = 0; i < 3; i++) {
                    String key = hook.get(i).idempotencyKey();
                    assertTrue(key.matches("[0-9a-f]{32}"), key);
                    assertEquals(key, hook.get(i).json().get("idempotency_key").asText(), "the header's key is the body's");
                    assertEquals(key, slack.get(i).idempotencyKey(), "the same alert on both webhooks");
                    assertEquals(key, slack.get(i).json().get("idempotency_key").asText());
                }
                assertEquals(3, hook.stream().map(WebhookReceiver.Post::idempotencyKey).distinct().count());

                // The price file changes: u2's cost is priced at the new price (100×5.00 + 100×20.00 = 2500;
                // the old price would give 1250).
                ListAppender<ILoggingEvent> reloads = watchPriceReloads();
                try {
                    Files.writeString(prices, NEW_PRICES);
                    Files.setLastModifiedTime(prices, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
                    Poll.until("the price file is reloaded", WAIT, () -> {
                        synchronized (reloads) {   // the appender adds under this lock
                            return reloads.list.stream()
                                    .anyMatch(e -> e.getFormattedMessage().equals("price file " + prices + " reloaded"));
                        }
                    });
                } finally {
                    ((Logger) LoggerFactory.getLogger(PriceFileWatcher.class)).detachAppender(reloads);
                }
                RegulatorFlow.produceRaw(bootstrap, input, "u2", event("f1", "u2", T0 + 10_000, cost(100, 100, "openai")));
                JsonNode repriced = decisionsOf("u2", RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 9)).get(0);
                assertDecision(repriced, "f1", "continue", "0.002500", 0);

                // A table on the policies topic wins over the file: 100×1.00 + 100×1.00 = 200 → 2700.
                CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", bootstrap, "--topic", policiesTopic,
                        "noos:prices", TOPIC_PRICES);
                assertEquals(0, set.exitCode(), set.stderr());
                Poll.until("the topic's price table is in force", WAIT, () -> policies.get("noos:prices") != null);
                RegulatorFlow.produceRaw(bootstrap, input, "u2", event("f2", "u2", T0 + 11_000, cost(100, 100, "openai")));
                JsonNode topicPriced = decisionsOf("u2", RegulatorFlow.readCommitted(bootstrap, decisionsTopic, 10)).get(1);
                assertDecision(topicPriced, "f2", "continue", "0.002700", 0);
                assertEquals(3, receiver.posts("/hook").size(), "u2 under 80 %: no alert");
            }
        }
    }

    /** {@code user}'s decisions, in order (one user's are on one partition). */
    private static List<JsonNode> decisionsOf(String user, List<ConsumerRecord<String, String>> records) {
        return records.stream().filter(r -> r.key().equals(user)).map(r -> tree(r.value())).toList();
    }

    private static void assertDecision(JsonNode d, String eventId, String kind, String usd, long unpriced) {
        assertEquals(eventId, d.get("event_id").asText(), d.toString());
        assertEquals(kind, d.at("/decision/kind").asText(), d.toString());
        if (usd == null) {
            assertTrue(d.path("spend").isMissingNode(), "no spend before the first cost: " + d);
        } else {
            assertEquals("{\"amounts\":{\"USD\":\"" + usd + "\"},\"unpriced_cost_events\":" + unpriced + "}",
                    d.get("spend").toString(), d.toString());
        }
        if (kind.equals("spend_budget_warn")) {
            assertEquals(usd, d.at("/decision/spent").asText(), "the warning's spent is the window's: " + d);
        }
        if (kind.equals("circuit_break")) {
            assertEquals(usd, d.at("/decision/reason/spent").asText(), d.toString());
        }
    }

    private static JsonNode withoutKey(WebhookReceiver.Post post) {
        ObjectNode body = (ObjectNode) post.json().deepCopy();
        body.remove("idempotency_key");
        return body;
    }

    private static JsonNode warning(String eventId, long after, long turn, String spent, long percent) {
        return tree("{\"alert\":\"budget_warning\",\"user_id\":\"u1\",\"agent_id\":\"agent-7\",\"session_id\":\"s1\","
                + "\"event_id\":\"" + eventId + "\",\"turn\":" + turn + ",\"at_ms\":" + (T0 + after) + ","
                + "\"kind\":\"spend_budget_warn\",\"reason\":null,"
                + "\"summary\":\"user u1 (agent agent-7) spent " + spent + " USD, " + percent + "% of the 0.010000 USD budget\","
                + "\"details\":{\"kind\":\"spend_budget_warn\",\"currency\":\"USD\",\"spent\":\"" + spent + "\","
                + "\"budget\":\"0.010000\",\"threshold_percent\":" + percent + ",\"window_ms\":" + DAY + ","
                + "\"window_start_ms\":" + Math.floorDiv(T0 + after, DAY) * DAY + "}}");
    }

    private static JsonNode breakAlert(long turn) {
        return tree("{\"alert\":\"circuit_break\",\"user_id\":\"u1\",\"agent_id\":\"agent-7\",\"session_id\":\"s1\","
                + "\"event_id\":\"e7\",\"turn\":" + turn + ",\"at_ms\":" + (T0 + 7_000) + ","
                + "\"kind\":\"circuit_break\",\"reason\":\"spend_budget_exceeded\","
                + "\"summary\":\"circuit break spend_budget_exceeded: user u1 (agent agent-7) spent 0.010000 USD of a "
                + "0.010000 USD budget\","
                + "\"details\":{\"kind\":\"spend_budget_exceeded\",\"currency\":\"USD\",\"spent\":\"0.010000\","
                + "\"budget\":\"0.010000\",\"window_ms\":" + DAY + "}}");
    }

    private static ListAppender<ILoggingEvent> watchPriceReloads() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(PriceFileWatcher.class)).addAppender(appender);
        return appender;
    }
}
