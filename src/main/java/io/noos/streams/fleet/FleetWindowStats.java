package io.noos.streams.fleet;

import com.fasterxml.jackson.core.JsonGenerator;
import io.noos.streams.envelope.DecisionVocabulary;
import io.noos.streams.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of one 1-minute window in one scope (an agent, or {@code *} for the fleet): a task's
 * partial counts, or the sum of every task's. Mutable and not thread-safe; plain counters so that
 * counting an event costs a few increments. {@code top_users} and {@code latest_breaks} keep their
 * best 10 in a total order, so the best 10 of a sum is exactly the best 10 of the parts' lists
 * (each user's events are counted by one task only).
 *
 * <p>The window's <i>user spend</i>: per user who had {@code cost} events with output tokens in
 * the window and scope, the user's total {@code tokens_out} there, kept as a {@link SpendHistogram}
 * (how many such users, and their median within the histogram's stated error). A sum adds the
 * parts' histograms: a user's events are counted by one task, so no user is counted twice.
 */
public final class FleetWindowStats {
    public static final int TOP = 10;
    /**
     * The regulator's decision kinds: always present in the JSON, in this order, and counted by
     * position in {@link TaskPartial}'s binary form; other kinds are counted by name.
     */
    static final String[] DECISION_KINDS = DecisionVocabulary.REGULATOR_KINDS.toArray(String[]::new);

    /** One user's output tokens in the window and scope. */
    public record UserTokens(String userId, long tokensOut) {}

    /** One user's money (micro-units) in one currency in the window and scope. */
    public record UserAmount(String userId, long micros) {}

    /** One circuit break: who, which agent (null when the envelope named none), why, when (event time). */
    public record Break(String userId, String agentId, String reason, long atMs) {}

    static final Comparator<UserTokens> TOP_ORDER = Comparator.comparingLong(UserTokens::tokensOut).reversed()
            .thenComparing(UserTokens::userId);
    static final Comparator<UserAmount> TOP_SPENDERS_ORDER = Comparator.comparingLong(UserAmount::micros).reversed()
            .thenComparing(UserAmount::userId);
    static final Comparator<Break> NEWEST_FIRST = Comparator.comparingLong(Break::atMs).reversed()
            .thenComparing(Break::userId)
            .thenComparing(Break::agentId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Break::reason);

    private final String agentId;
    private final long windowStartMs;
    private String key;

    long events;
    long turns;
    long tokensIn;
    long tokensOut;
    long toolCalls;
    long toolFailures;
    long implicitCorrections;
    long deadLetters;
    long lateEvents;
    final long[] decisions = new long[DECISION_KINDS.length];
    /** Kinds outside {@link #DECISION_KINDS} (the opt-in detectors'); shown only when counted. */
    final TreeMap<String, Long> otherDecisions = new TreeMap<>();
    final TreeMap<String, Long> breaksByReason = new TreeMap<>();
    final ArrayList<UserTokens> topUsers = new ArrayList<>(TOP + 1);
    final ArrayList<Break> latestBreaks = new ArrayList<>(TOP + 1);
    SpendHistogram userSpend = new SpendHistogram();
    /** Money of the priced cost events per currency (micro-units; currencies are never added together). */
    final TreeMap<String, Long> spendMicros = new TreeMap<>();
    long unpricedCosts;
    /** Per currency, the 10 users who spent most in it. */
    final TreeMap<String, ArrayList<UserAmount>> topSpenders = new TreeMap<>();
    /** Per currency, the users' money in it (for the median per user). */
    final TreeMap<String, SpendHistogram> userMoney = new TreeMap<>();
    /**
     * The binary form of the collections above and the spend histogram as {@link TaskPartial} writes
     * it, kept until one of them changes (rarely: a cost, a break), so encoding after every event
     * costs only the counters.
     */
    byte[] encodedCollections;

    public FleetWindowStats(String agentId, long windowStartMs) {
        this.agentId = agentId;
        this.windowStartMs = windowStartMs;
    }

    public String agentId() {
        return agentId;
    }

    public long windowStartMs() {
        return windowStartMs;
    }

    public long windowEndMs() {
        return windowStartMs + FleetStatsWindows.WINDOW_MS;
    }

    public String key() {
        if (key == null) {
            key = FleetKey.of(agentId, windowStartMs);
        }
        return key;
    }

    // ------------------------------------------------------------------ counting

    public void countEvents(long n) {
        events += n;
    }

    public void countTurn() {
        turns++;
    }

    public void countCost(long in, long out) {
        tokensIn += in;
        tokensOut += out;
    }

    /** Counts one cost event's money, or one unpriced cost event when {@code currency} is null. */
    public void countMoney(String currency, long micros) {
        if (currency == null) {
            unpricedCosts++;
        } else {
            spendMicros.merge(currency, micros, Long::sum);
        }
        encodedCollections = null;
    }

    /**
     * Tells the window a user's money in {@code currency} grew from {@code before} to {@code after}
     * (micro-units): the user's place among the top spenders and in that currency's histogram.
     */
    public void offerUserMoney(String currency, String userId, long before, long after) {
        if (after <= 0 || after == before) {
            return;
        }
        ArrayList<UserAmount> top = topSpenders.computeIfAbsent(currency, c -> new ArrayList<>(TOP + 1));
        top.removeIf(u -> u.userId().equals(userId));
        insertBounded(top, new UserAmount(userId, after), TOP_SPENDERS_ORDER);
        userMoney.computeIfAbsent(currency, c -> new SpendHistogram()).move(before, after);
        encodedCollections = null;
    }

    public void countToolCall() {
        toolCalls++;
    }

    public void countToolFailure() {
        toolFailures++;
    }

    public void countImplicitCorrections(long n) {
        implicitCorrections += n;
    }

    public void countDeadLetter() {
        deadLetters++;
    }

    public void countLateEvent() {
        lateEvents++;
    }

    public void countDecision(String kind) {
        for (int i = 0; i < DECISION_KINDS.length; i++) {
            if (DECISION_KINDS[i].equals(kind)) {
                decisions[i]++;
                return;
            }
        }
        otherDecisions.merge(kind, 1L, Long::sum);
        encodedCollections = null;
    }

    /** Counts a circuit break by reason and keeps it when it is among the 10 newest. */
    public void countBreak(Break b) {
        breaksByReason.merge(b.reason(), 1L, Long::sum);
        insertBounded(latestBreaks, b, NEWEST_FIRST);
        encodedCollections = null;
    }

    /**
     * Tells the window a user's output tokens in it now total {@code tokensOut} (totals only grow);
     * the user is kept when among the 10 largest. Users with no output tokens are not listed.
     */
    public void offerTopUser(String userId, long tokensOut) {
        if (tokensOut <= 0) {
            return;
        }
        for (int i = 0; i < topUsers.size(); i++) {
            if (topUsers.get(i).userId().equals(userId)) {
                topUsers.remove(i);
                break;
            }
        }
        insertBounded(topUsers, new UserTokens(userId, tokensOut), TOP_ORDER);
        encodedCollections = null;
    }

    /**
     * Tells the window a user's output tokens in it grew from {@code before} (0: none until now) to
     * {@code after}, moving the user to the bucket of their new total in the spend histogram.
     */
    public void countUserSpend(long before, long after) {
        if (after <= 0 || after == before) {
            return;
        }
        userSpend.move(before, after);
        encodedCollections = null;
    }

    private static <T> void insertBounded(List<T> list, T item, Comparator<T> order) {
        int at = list.size();
        while (at > 0 && order.compare(item, list.get(at - 1)) < 0) {
            at--;
        }
        if (at >= TOP) {
            return;
        }
        list.add(at, item);
        if (list.size() > TOP) {
            list.remove(list.size() - 1);
        }
    }

    // ------------------------------------------------------------------ reading

    public long tokensOut() {
        return tokensOut;
    }

    public List<UserTokens> topUsers() {
        return List.copyOf(topUsers);
    }

    public List<Break> latestBreaks() {
        return List.copyOf(latestBreaks);
    }

    public Map<String, Long> breaksByReason() {
        return Map.copyOf(breaksByReason);
    }

    /** A copy of the window's user-spend histogram. */
    public SpendHistogram userSpend() {
        return userSpend.copy();
    }

    // ------------------------------------------------------------------ merging

    /**
     * The sum of several tasks' counts of one window and scope. A user listed by two parts (possible
     * only if the input topic's partitioning changed) has their tokens added in {@code top_users},
     * and is counted once per part in the spend histogram.
     */
    public static FleetWindowStats sum(String agentId, long windowStartMs, Collection<FleetWindowStats> parts) {
        FleetWindowStats total = new FleetWindowStats(agentId, windowStartMs);
        Map<String, Long> users = new HashMap<>();
        List<Break> breaks = new ArrayList<>();
        Map<String, Map<String, Long>> spenders = new TreeMap<>();
        for (FleetWindowStats p : parts) {
            total.events += p.events;
            total.turns += p.turns;
            total.tokensIn += p.tokensIn;
            total.tokensOut += p.tokensOut;
            total.toolCalls += p.toolCalls;
            total.toolFailures += p.toolFailures;
            total.implicitCorrections += p.implicitCorrections;
            total.deadLetters += p.deadLetters;
            total.lateEvents += p.lateEvents;
            for (int i = 0; i < DECISION_KINDS.length; i++) {
                total.decisions[i] += p.decisions[i];
            }
            p.otherDecisions.forEach((k, n) -> total.otherDecisions.merge(k, n, Long::sum));
            p.breaksByReason.forEach((k, n) -> total.breaksByReason.merge(k, n, Long::sum));
            p.topUsers.forEach(u -> users.merge(u.userId(), u.tokensOut(), Long::sum));
            breaks.addAll(p.latestBreaks);
            total.userSpend.merge(p.userSpend);
            p.spendMicros.forEach((c, m) -> total.spendMicros.merge(c, m, Long::sum));
            total.unpricedCosts += p.unpricedCosts;
            p.topSpenders.forEach((c, list) -> list.forEach(u -> spenders.computeIfAbsent(c, x -> new HashMap<>())
                    .merge(u.userId(), u.micros(), Long::sum)));
            p.userMoney.forEach((c, h) -> total.userMoney.computeIfAbsent(c, x -> new SpendHistogram()).merge(h));
        }
        spenders.forEach((c, byUser) -> {
            ArrayList<UserAmount> top = new ArrayList<>();
            byUser.forEach((u, m) -> top.add(new UserAmount(u, m)));
            top.sort(TOP_SPENDERS_ORDER);
            total.topSpenders.put(c, new ArrayList<>(top.subList(0, Math.min(TOP, top.size()))));
        });
        List<UserTokens> ranked = new ArrayList<>();
        users.forEach((u, n) -> ranked.add(new UserTokens(u, n)));
        ranked.sort(TOP_ORDER);
        total.topUsers.addAll(ranked.subList(0, Math.min(TOP, ranked.size())));
        breaks.sort(NEWEST_FIRST);
        total.latestBreaks.addAll(breaks.subList(0, Math.min(TOP, breaks.size())));
        return total;
    }

    // ------------------------------------------------------------------ JSON

    /**
     * Money, in integer micro-units (millionths of the currency's unit) so that parts add up exactly:
     * {@code "spend_micros":{"USD":n}}, {@code "unpriced_cost_events":n},
     * {@code "top_spenders":{"USD":[{"user_id","micros"}]}} and
     * {@code "user_money":{"USD":{"users":n,"median_micros":x}}} (x as {@code user_spend}'s median).
     */
    private void writeMoney(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("spend_micros");
        for (Map.Entry<String, Long> e : spendMicros.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("unpriced_cost_events", unpricedCosts);
        g.writeObjectFieldStart("top_spenders");
        for (Map.Entry<String, ArrayList<UserAmount>> e : topSpenders.entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (UserAmount u : e.getValue()) {
                g.writeStartObject();
                g.writeStringField("user_id", u.userId());
                g.writeNumberField("micros", u.micros());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("user_money");
        for (Map.Entry<String, SpendHistogram> e : userMoney.entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("users", e.getValue().users());
            if (e.getValue().users() == 0) {
                g.writeNullField("median_micros");
            } else {
                g.writeNumberField("median_micros", Math.round(e.getValue().median()));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * The JSON of the {@code regulator-fleet-stats} topic and store. {@code user_spend} is
     * {@code {"users":n,"median_tokens_out":x}}: {@code n} users had output tokens in the window and
     * scope, and {@code x} is the median of their totals (the lower middle one for an even {@code n};
     * a double within {@link SpendHistogram#MAX_RELATIVE_ERROR} ≈ 2.19 % of the exact median, exact
     * below 23), null when {@code n} is 0.
     */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("agent_id", agentId);
            g.writeNumberField("window_start_ms", windowStartMs);
            g.writeNumberField("window_end_ms", windowEndMs());
            g.writeNumberField("events", events);
            g.writeNumberField("turns", turns);
            g.writeNumberField("tokens_in", tokensIn);
            g.writeNumberField("tokens_out", tokensOut);
            g.writeObjectFieldStart("decisions");
            for (int i = 0; i < DECISION_KINDS.length; i++) {
                g.writeNumberField(DECISION_KINDS[i], decisions[i]);
            }
            for (Map.Entry<String, Long> e : otherDecisions.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("circuit_breaks");
            for (Map.Entry<String, Long> e : breaksByReason.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("tool_calls", toolCalls);
            g.writeNumberField("tool_failures", toolFailures);
            g.writeNumberField("implicit_corrections", implicitCorrections);
            g.writeNumberField("dead_letters", deadLetters);
            g.writeNumberField("late_events", lateEvents);
            g.writeArrayFieldStart("top_users");
            for (UserTokens u : topUsers) {
                g.writeStartObject();
                g.writeStringField("user_id", u.userId());
                g.writeNumberField("tokens_out", u.tokensOut());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("user_spend");
            userSpend.writeJson(g);
            writeMoney(g);
            g.writeArrayFieldStart("latest_breaks");
            for (Break b : latestBreaks) {
                g.writeStartObject();
                g.writeStringField("user_id", b.userId());
                g.writeStringField("agent_id", b.agentId());
                g.writeStringField("reason", b.reason());
                g.writeNumberField("at_ms", b.atMs());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
