package io.noos.streams.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class FleetWindowStatsTest {
    private static final long W = 1_767_225_600_000L; // a window start (a multiple of 60 000)

    @Test
    void keysAreAgentAtThirteenDigitWindowStart() {
        assertEquals("agent-7@1767225600000", FleetKey.of("agent-7", W));
        assertEquals("*@0000000060000", FleetKey.of("*", 60_000));
        assertEquals("a@b@0000000060000", FleetKey.of("a@b", 60_000));
        assertEquals("a@b", FleetKey.agent("a@b@0000000060000"));
        assertEquals(60_000, FleetKey.windowStart("a@b@0000000060000"));
    }

    @Test
    void keysAreReadExactlyOrWithAFallback() {
        assertTrue(FleetKey.isFleet("*@0000000060000"));
        assertFalse(FleetKey.isFleet("a@*@0000000060000"), "an agent whose id contains '@*'");
        assertFalse(FleetKey.hasScope("no-window"));
        assertEquals(60_000, FleetKey.exactWindowStart("*@0000000060000"));
        assertEquals(-1, FleetKey.exactWindowStart("*@60000"), "13 digits, as written");
        assertEquals(-1, FleetKey.exactWindowStart("*@00000000600x0"));
        assertEquals(60_000, FleetKey.windowStart("a@60000", Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, FleetKey.windowStart("a@x", Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, FleetKey.windowStart("no-window", Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, FleetKey.windowStart(null, Long.MAX_VALUE));
    }

    @Test
    void windowsAreOneMinuteAndLatenessCountsTheGraceFromTheWindowEnd() {
        assertEquals(W, FleetStatsWindows.startOf(W));
        assertEquals(W, FleetStatsWindows.startOf(W + 59_999));
        assertEquals(W + 60_000, FleetStatsWindows.startOf(W + 60_000));
        // Window [W, W+60s) with 10 s grace closes when the newest event time reaches W+70s.
        assertFalse(FleetStatsWindows.isLate(W + 1, W + 69_999, 10_000));
        assertTrue(FleetStatsWindows.isLate(W + 1, W + 70_000, 10_000));
        assertTrue(FleetStatsWindows.isLate(W + 59_999, W + 60_000, 0));
    }

    @Test
    void topUsersKeepTheTenLargestDescendingTiesByUserId() {
        FleetWindowStats s = new FleetWindowStats("*", W);
        for (int i = 1; i <= 12; i++) {
            s.offerTopUser("u" + (char) ('a' + i), i * 10L); // ub=10 ... um=120
        }
        s.offerTopUser("ub", 500);   // ub's total grows past everyone: enters at the top
        s.offerTopUser("zz", 120);   // ties with um at 120: um first (user id order)
        s.offerTopUser("nobody", 0); // no output tokens: not listed
        List<String> expected = List.of("ub:500", "um:120", "zz:120", "ul:110", "uk:100", "uj:90", "ui:80", "uh:70",
                "ug:60", "uf:50");
        assertEquals(expected, s.topUsers().stream().map(u -> u.userId() + ":" + u.tokensOut()).toList());
    }

    @Test
    void latestBreaksKeepTheTenNewestNewestFirst() {
        FleetWindowStats s = new FleetWindowStats("*", W);
        for (int i = 0; i < 12; i++) {
            s.countBreak(new FleetWindowStats.Break("u" + i, i % 2 == 0 ? "agent-1" : null, "repeated_tool_call_loop", W + i));
        }
        s.countBreak(new FleetWindowStats.Break("old", null, "cost_cap_reached", W - 1)); // older than all: dropped
        List<FleetWindowStats.Break> kept = s.latestBreaks();
        assertEquals(10, kept.size());
        assertEquals("u11", kept.get(0).userId());
        assertEquals("u2", kept.get(9).userId());
        assertEquals(Map.of("repeated_tool_call_loop", 12L, "cost_cap_reached", 1L), s.breaksByReason(),
                "every break is counted by reason, listed or not");
    }

    /**
     * Each user's costs are counted by exactly one task (their partition's), so the top 10 of the
     * merged window is the top 10 of the tasks' top-10 lists: checked against a brute-force ranking.
     */
    @RepeatedTest(20)
    void mergedTopUsersAndBreaksEqualABruteForceRankingOfAllEvents() {
        Random random = new Random();
        int tasks = 1 + random.nextInt(4);
        List<FleetWindowStats> parts = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            parts.add(new FleetWindowStats("*", W));
        }
        Map<String, Long> totals = new HashMap<>();
        List<FleetWindowStats.Break> allBreaks = new ArrayList<>();
        int users = 5 + random.nextInt(40);
        for (int e = 0; e < 400; e++) {
            String user = "user-" + random.nextInt(users);
            FleetWindowStats part = parts.get(Math.floorMod(user.hashCode(), tasks));
            long out = random.nextInt(4) == 0 ? 0 : random.nextInt(50);
            part.countCost(1, out);
            long total = totals.merge(user, out, Long::sum);
            part.offerTopUser(user, total);
            part.countUserSpend(total - out, total);
            if (random.nextInt(10) == 0) {
                FleetWindowStats.Break b = new FleetWindowStats.Break(user, random.nextBoolean() ? "a" : null,
                        random.nextBoolean() ? "repeated_tool_call_loop" : "cost_cap_reached", W + random.nextInt(30));
                part.countBreak(b);
                allBreaks.add(b);
            }
        }
        FleetWindowStats merged = FleetWindowStats.sum("*", W, parts);

        List<FleetWindowStats.UserTokens> ranking = new ArrayList<>();
        totals.forEach((u, n) -> {
            if (n > 0) {
                ranking.add(new FleetWindowStats.UserTokens(u, n));
            }
        });
        ranking.sort(Comparator.comparingLong(FleetWindowStats.UserTokens::tokensOut).reversed()
                .thenComparing(FleetWindowStats.UserTokens::userId));
        assertEquals(ranking.subList(0, Math.min(10, ranking.size())), merged.topUsers());

        allBreaks.sort(FleetWindowStats.NEWEST_FIRST);
        assertEquals(allBreaks.subList(0, Math.min(10, allBreaks.size())), merged.latestBreaks());
        assertEquals(totals.values().stream().mapToLong(Long::longValue).sum(), merged.tokensOut());

        List<Long> spent = new ArrayList<>(totals.values().stream().filter(n -> n > 0).sorted().toList());
        assertEquals(spent.size(), merged.userSpend().users(), "every user with output tokens, once");
        if (!spent.isEmpty()) {
            long lowerMiddle = spent.get((spent.size() + 1) / 2 - 1);
            assertEquals(SpendHistogram.valueOf(SpendHistogram.bucketOf(lowerMiddle)), merged.userSpend().median());
        }
    }

    @Test
    void theOptInDetectorsKindAndReasonsAreCountedAndSummedLikeAnyOther() throws Exception {
        FleetWindowStats a = new FleetWindowStats("*", W);
        a.countDecision("spend_anomaly_warn");
        a.countDecision("circuit_break");
        a.countBreak(new FleetWindowStats.Break("ann", null, "token_budget_exceeded", W + 10));
        FleetWindowStats b = new FleetWindowStats("*", W);
        b.countDecision("spend_anomaly_warn");
        b.countDecision("circuit_break");
        b.countBreak(new FleetWindowStats.Break("ben", "a-1", "tool_call_cycle", W + 20));
        FleetWindowStats back = TaskPartial.decode(new TaskPartial("1_0", b).encode()).stats();

        JsonNode json = Json.mapper().readTree(FleetWindowStats.sum("*", W, List.of(a, back)).toJson());
        assertEquals(Json.mapper().readTree("""
                {"continue":0,"scope_drift_warn":0,"procedural_warning":0,"circuit_break":2,"spend_anomaly_warn":2}
                """), json.get("decisions"));
        assertEquals(Json.mapper().readTree("{\"token_budget_exceeded\":1,\"tool_call_cycle\":1}"),
                json.get("circuit_breaks"));
        assertEquals("tool_call_cycle", json.at("/latest_breaks/0/reason").asText(), "the newest first");
    }

    @Test
    void aSumAddsEveryCounterAndTheJsonHasTheContractsShape() throws Exception {
        FleetWindowStats a = new FleetWindowStats("agent-7", W);
        a.countEvents(5);
        a.countTurn();
        a.countCost(10, 200);
        a.offerTopUser("alice", 200);
        a.countUserSpend(0, 200);
        a.countToolCall();
        a.countToolFailure();
        a.countImplicitCorrections(2);
        a.countDecision("continue");
        a.countDecision("circuit_break");
        a.countBreak(new FleetWindowStats.Break("alice", "agent-7", "repeated_tool_call_loop", W + 5));
        FleetWindowStats b = new FleetWindowStats("agent-7", W);
        b.countEvents(2);
        b.countCost(1, 30);
        b.offerTopUser("bob", 30);
        b.countUserSpend(0, 30);
        b.countDecision("scope_drift_warn");
        b.countDeadLetter();
        b.countLateEvent();

        JsonNode json = Json.mapper().readTree(FleetWindowStats.sum("agent-7", W, List.of(a, b)).toJson());
        JsonNode expected = Json.mapper().readTree("""
                {"agent_id":"agent-7","window_start_ms":1767225600000,"window_end_ms":1767225660000,
                 "events":7,"turns":1,"tokens_in":11,"tokens_out":230,
                 "decisions":{"continue":1,"scope_drift_warn":1,"procedural_warning":0,"circuit_break":1},
                 "circuit_breaks":{"repeated_tool_call_loop":1},
                 "tool_calls":1,"tool_failures":1,"implicit_corrections":2,"dead_letters":1,"late_events":1,
                 "top_users":[{"user_id":"alice","tokens_out":200},{"user_id":"bob","tokens_out":30}],
                 "user_spend":{"users":2,"median_tokens_out":30.0},
                 "spend_micros":{},"unpriced_cost_events":0,"top_spenders":{},"user_money":{},
                 "latest_breaks":[{"user_id":"alice","agent_id":"agent-7","reason":"repeated_tool_call_loop","at_ms":1767225600005}]}
                """);
        assertEquals(expected, json);
        List<String> order = new ArrayList<>();
        json.fieldNames().forEachRemaining(order::add);
        assertEquals(List.of("agent_id", "window_start_ms", "window_end_ms", "events", "turns", "tokens_in",
                "tokens_out", "decisions", "circuit_breaks", "tool_calls", "tool_failures", "implicit_corrections",
                "dead_letters", "late_events", "top_users", "user_spend", "spend_micros", "unpriced_cost_events", "top_spenders", "user_money",
                "latest_breaks"), order);
    }

    @Test
    void aPartialSurvivesTheBinaryCodecWithItsTaskId() {
        FleetWindowStats s = new FleetWindowStats("agent-\u00e9", W);
        s.countEvents(3);
        s.countCost(4, 5);
        s.offerTopUser("u\uD83D\uDE00", 5);
        s.countUserSpend(0, 5);
        s.countUserSpend(0, 700);
        s.countDecision("procedural_warning");
        s.countDecision("low_confidence_spans");
        s.countBreak(new FleetWindowStats.Break("u", null, "cost_cap_reached", W + 1));
        s.countLateEvent();
        TaskPartial back = TaskPartial.decode(new TaskPartial("0_3", s).encode());
        assertEquals("0_3", back.taskId());
        assertEquals(new String(s.toJson()), new String(back.stats().toJson()));
        assertEquals(s.userSpend(), back.stats().userSpend());
        assertEquals(2, back.stats().userSpend().users());
        assertTrue(new String(back.stats().toJson()).contains("\"low_confidence_spans\":1"),
                "a kind outside the four is shown only when counted");

        TaskPartial.decode(new TaskPartial("0_3", s).encode()); // lists encoded and kept
        s.offerTopUser("newcomer", 1_000);
        s.countUserSpend(0, 1_000);
        s.countBreak(new FleetWindowStats.Break("newcomer", "a", "cost_cap_reached", W + 2));
        FleetWindowStats changed = TaskPartial.decode(new TaskPartial("0_3", s).encode()).stats();
        assertEquals("newcomer", changed.topUsers().get(0).userId(), "a change to the lists is encoded");
        assertEquals("newcomer", changed.latestBreaks().get(0).userId());
        assertEquals(2L, changed.breaksByReason().get("cost_cap_reached"));
        assertEquals(3, changed.userSpend().users(), "a change to the histogram is encoded");

        List<TaskPartial> two = TaskPartial.decodeAll(TaskPartial.encodeAll(List.of(new TaskPartial("0_1", s),
                new TaskPartial("0_2", new FleetWindowStats("*", W)))));
        assertEquals(List.of("0_1", "0_2"), two.stream().map(TaskPartial::taskId).toList());
    }

    /** Version 1 (before the histogram): the same bytes with version 1 and without the histogram's. */
    @Test
    void aVersionOnePartialIsStillReadWithNoSpendingUsers() {
        FleetWindowStats s = new FleetWindowStats("*", W);
        s.countEvents(2);
        s.countCost(3, 40);
        s.offerTopUser("u1", 40);
        byte[] current = new TaskPartial("0_1", s).encode();
        assertEquals(3, current[0], "the version byte");
        assertEquals(0, current[current.length - 5], "an empty histogram: no occupied bucket");
        assertArrayEquals(new byte[4], java.util.Arrays.copyOfRange(current, current.length - 4, current.length),
                "no money: no currency, no unpriced cost, no spenders, no histogram");
        byte[] v2 = java.util.Arrays.copyOf(current, current.length - 4);
        v2[0] = 2;
        assertEquals(0, TaskPartial.decode(v2).stats().userSpend().users(), "version 2: no money section");
        byte[] v1 = java.util.Arrays.copyOf(current, current.length - 5);
        v1[0] = 1;
        FleetWindowStats back = TaskPartial.decode(v1).stats();
        assertEquals(40, back.tokensOut());
        assertEquals("u1", back.topUsers().get(0).userId());
        assertEquals(0, back.userSpend().users());
        v1[0] = 4;
        assertThrows(IllegalStateException.class, () -> TaskPartial.decode(v1), "an unknown version");
    }
}
