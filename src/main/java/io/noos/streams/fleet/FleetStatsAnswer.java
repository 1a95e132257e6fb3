package io.noos.streams.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.envelope.DecisionVocabulary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges fleet-statistics windows gathered from every instance into the {@code /fleet/stats}
 * answer. The same window ({@code agent_id}, {@code window_start_ms}) can come in parts, one per
 * task or instance that counted it: counts add up, count maps add up per key, {@code top_users}
 * adds up per user and keeps the 10 biggest spenders, {@code latest_breaks} keeps the 10 newest.
 * {@code top_spenders} does the same per currency; {@code user_money} per currency and
 * {@code user_spend} (a count and a median, which cannot be added) are the part's with the most
 * users: the merge task writes whole windows, so parts of one window are copies or older versions
 * of it; the summary has none (the median of a window's users is no sum over windows).
 * Fields added to the window format later merge by the same rules (numbers and maps of numbers add):
 * that is why the parts are merged as JSON (as peers send them) rather than as {@link FleetWindowStats};
 * the rankings are {@link FleetWindowStats}'s.
 *
 * <p>The answer:
 * <pre>{@code
 * {"minutes":60, "from_ms":..., "to_ms":..., "instances":2, "partial":false,
 *  "decision_kinds":[ every kind a window's "decisions" may hold, in the order to show them ],
 *  "windows":[ the fleet-wide ("*") windows, by start ],
 *  "agents":{"agent-7":[ that agent's windows, by start ], ...},
 *  "summary":{ the fleet windows added up: "events", "decisions":{...}, ..., "top_users":[...],
 *              "latest_breaks":[...], "spend_micros":{"USD":n}, "top_spenders":{"USD":[...]}, and from the
 *              agents' windows "top_agents":[{"agent_id","tokens_out"}] and
 *              "top_agents_by_spend":{"USD":[{"agent_id","micros"}]} }}
 * }</pre>
 */
public final class FleetStatsAnswer {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String AGENT_ID = "agent_id";
    private static final String START = "window_start_ms";
    private static final String END = "window_end_ms";
    private static final String TOP_USERS = "top_users";
    private static final String LATEST_BREAKS = "latest_breaks";
    private static final String TOKENS_OUT = "tokens_out";
    private static final String USER_SPEND = "user_spend";
    private static final String SPEND = "spend_micros";
    private static final String TOP_SPENDERS = "top_spenders";
    private static final String USER_MONEY = "user_money";

    private FleetStatsAnswer() {}

    /**
     * The answer for the windows overlapping {@code [fromMs, toMs]} among {@code windows} (parts
     * from every instance; windows outside the range are dropped).
     */
    public static ObjectNode answer(List<JsonNode> windows, long fromMs, long toMs, int minutes, int instances,
                             boolean partial) {
        Map<String, Map<Long, ObjectNode>> byAgent = new TreeMap<>();
        for (JsonNode w : windows) {
            if (!w.isObject() || !w.path(AGENT_ID).isTextual() || !w.path(START).canConvertToLong()) {
                continue;
            }
            long start = w.path(START).asLong();
            long end = w.path(END).asLong(start);
            if (end <= fromMs || start > toMs) {
                continue;
            }
            Map<Long, ObjectNode> agentWindows = byAgent.computeIfAbsent(w.path(AGENT_ID).asText(), a -> new TreeMap<>());
            ObjectNode merged = agentWindows.get(start);
            if (merged == null) {
                agentWindows.put(start, add(NODES.objectNode(), w));
            } else {
                add(merged, w);
            }
        }
        ObjectNode out = NODES.objectNode();
        out.put("minutes", minutes);
        out.put("from_ms", fromMs);
        out.put("to_ms", toMs);
        out.put("instances", instances);
        out.put("partial", partial);
        ArrayNode kinds = out.putArray("decision_kinds");
        DecisionVocabulary.kinds().forEach(kinds::add);
        ArrayNode fleet = out.putArray("windows");
        byAgent.getOrDefault(FleetKey.FLEET, Map.of()).values().forEach(fleet::add);
        ObjectNode agents = out.putObject("agents");
        Map<String, Long> spendByAgent = new HashMap<>();
        Map<String, Map<String, Long>> moneyByAgent = new TreeMap<>();
        byAgent.forEach((agent, ws) -> {
            if (!FleetKey.FLEET.equals(agent)) {
                ArrayNode list = agents.putArray(agent);
                ws.values().forEach(list::add);
                spendByAgent.put(agent, ws.values().stream().mapToLong(w -> w.path(TOKENS_OUT).asLong()).sum());
                ws.values().forEach(w -> w.path(SPEND).fields().forEachRemaining(c -> moneyByAgent
                        .computeIfAbsent(c.getKey(), x -> new HashMap<>()).merge(agent, c.getValue().asLong(), Long::sum)));
            }
        });
        ObjectNode summary = NODES.objectNode();
        byAgent.getOrDefault(FleetKey.FLEET, Map.of()).values().forEach(w -> add(summary, w));
        summary.remove(List.of(AGENT_ID, START, END, USER_SPEND, USER_MONEY));
        summary.set("top_agents", topAgents(spendByAgent));
        ObjectNode agentsBySpend = summary.putObject("top_agents_by_spend");
        moneyByAgent.forEach((currency, amounts) -> {
            ArrayNode list = agentsBySpend.putArray(currency);
            amounts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(FleetWindowStats.TOP)
                    .forEach(e -> list.addObject().put(AGENT_ID, e.getKey()).put("micros", e.getValue()));
        });
        out.set("summary", summary);
        return out;
    }

    /** Adds window part {@code b} into {@code a} (which may be empty) and returns {@code a}. */
    static ObjectNode add(ObjectNode a, JsonNode b) {
        Iterator<Map.Entry<String, JsonNode>> fields = b.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            JsonNode mine = a.get(name);
            switch (name) {
                case AGENT_ID, START -> a.set(name, v);
                case END -> a.put(name, Math.max(mine == null ? Long.MIN_VALUE : mine.asLong(), v.asLong()));
                case TOP_USERS -> a.set(name, topUsers(mine, v));
                case TOP_SPENDERS -> {
                    ObjectNode merged = mine != null && mine.isObject() ? (ObjectNode) mine : NODES.objectNode();
                    v.fields().forEachRemaining(c -> merged.set(c.getKey(), topSpenders(merged.get(c.getKey()), c.getValue())));
                    a.set(name, merged);
                }
                case USER_MONEY -> {
                    ObjectNode merged = mine != null && mine.isObject() ? (ObjectNode) mine : NODES.objectNode();
                    v.fields().forEachRemaining(c -> {
                        JsonNode have = merged.get(c.getKey());
                        if (have == null || c.getValue().path("users").asLong() > have.path("users").asLong()) {
                            merged.set(c.getKey(), c.getValue().deepCopy());
                        }
                    });
                    a.set(name, merged);
                }
                case LATEST_BREAKS -> a.set(name, latestBreaks(mine, v));
                case USER_SPEND -> {
                    if (mine == null || v.path("users").asLong() > mine.path("users").asLong()) {
                        a.set(name, v.deepCopy());
                    }
                }
                default -> a.set(name, sum(mine, v));
            }
        }
        return a;
    }

    /** Numbers add; objects add field by field; anything else keeps the first value seen. */
    private static JsonNode sum(JsonNode mine, JsonNode theirs) {
        if (mine == null || mine.isNull()) {
            return theirs.deepCopy();
        }
        if (mine.isNumber() && theirs.isNumber()) {
            return mine.isIntegralNumber() && theirs.isIntegralNumber()
                    ? NODES.numberNode(mine.asLong() + theirs.asLong())
                    : NODES.numberNode(mine.asDouble() + theirs.asDouble());
        }
        if (mine.isObject() && theirs.isObject()) {
            ObjectNode out = ((ObjectNode) mine).deepCopy();
            theirs.fields().forEachRemaining(e -> out.set(e.getKey(), sum(out.get(e.getKey()), e.getValue())));
            return out;
        }
        return mine;
    }

    /** The users of both lists, each user's tokens added up, ranked as {@link FleetWindowStats} ranks them. */
    private static ArrayNode topUsers(JsonNode mine, JsonNode theirs) {
        Map<String, Long> spend = new HashMap<>();
        for (JsonNode list : new JsonNode[] {mine, theirs}) {
            if (list != null && list.isArray()) {
                list.forEach(u -> spend.merge(u.path("user_id").asText(), u.path(TOKENS_OUT).asLong(), Long::sum));
            }
        }
        ArrayNode out = NODES.arrayNode();
        spend.entrySet().stream()
                .map(e -> new FleetWindowStats.UserTokens(e.getKey(), e.getValue()))
                .sorted(FleetWindowStats.TOP_ORDER)
                .limit(FleetWindowStats.TOP)
                .forEach(u -> out.addObject().put("user_id", u.userId()).put(TOKENS_OUT, u.tokensOut()));
        return out;
    }

    /** The users of both lists of one currency, each user's money added up, the 10 biggest. */
    private static ArrayNode topSpenders(JsonNode mine, JsonNode theirs) {
        Map<String, Long> spend = new HashMap<>();
        for (JsonNode list : new JsonNode[] {mine, theirs}) {
            if (list != null && list.isArray()) {
                list.forEach(u -> spend.merge(u.path("user_id").asText(), u.path("micros").asLong(), Long::sum));
            }
        }
        ArrayNode out = NODES.arrayNode();
        spend.entrySet().stream()
                .map(e -> new FleetWindowStats.UserAmount(e.getKey(), e.getValue()))
                .sorted(FleetWindowStats.TOP_SPENDERS_ORDER)
                .limit(FleetWindowStats.TOP)
                .forEach(u -> out.addObject().put("user_id", u.userId()).put("micros", u.micros()));
        return out;
    }

    /** The breaks of both lists, newest first in {@link FleetWindowStats}'s order, as they were. */
    private static ArrayNode latestBreaks(JsonNode mine, JsonNode theirs) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode list : new JsonNode[] {mine, theirs}) {
            if (list != null && list.isArray()) {
                list.forEach(all::add);
            }
        }
        ArrayNode out = NODES.arrayNode();
        all.stream()
                .sorted(Comparator.comparing(FleetStatsAnswer::asBreak, FleetWindowStats.NEWEST_FIRST))
                .limit(FleetWindowStats.TOP)
                .forEach(b -> out.add(b.deepCopy()));
        return out;
    }

    private static FleetWindowStats.Break asBreak(JsonNode b) {
        JsonNode agent = b.path(AGENT_ID);
        return new FleetWindowStats.Break(b.path("user_id").asText(), agent.isTextual() ? agent.asText() : null,
                b.path("reason").asText(), b.path("at_ms").asLong());
    }

    private static ArrayNode topAgents(Map<String, Long> spendByAgent) {
        ArrayNode out = NODES.arrayNode();
        spendByAgent.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(FleetWindowStats.TOP)
                .forEach(e -> out.addObject().put(AGENT_ID, e.getKey()).put(TOKENS_OUT, e.getValue()));
        return out;
    }
}
