package io.noos.streams.replay.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.DecisionVocabulary;
import io.noos.streams.json.Json;
import io.noos.streams.replay.ReplaySummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a replay's decision records and per-turn drift scores and makes its
 * {@link ReplayReport}. Decision records come as objects (offline) or as JSON (read back from
 * Kafka); drift scores come from a {@link DriftProbe}. Not thread-safe.
 */
public final class ReplayStats {
    /** The sweep's thresholds: 0.30, 0.35, ..., 0.90 (each the double nearest the decimal). */
    public static final List<Double> SWEEP_THRESHOLDS;
    static {
        List<Double> t = new ArrayList<>();
        for (int k = 6; k <= 18; k++) {
            t.add(k / 20.0);
        }
        SWEEP_THRESHOLDS = List.copyOf(t);
    }

    static final int BINS = 10;

    /** The regulator's kinds and reasons are always in the report; the others (detectors', operator's) when counted. */
    private final Tags kinds = new Tags(DecisionVocabulary.REGULATOR_KINDS, DecisionVocabulary.OPT_IN_KINDS);
    private final Tags reasons = new Tags(DecisionVocabulary.REGULATOR_BREAK_REASONS,
            DecisionVocabulary.breakReasons());
    private final Map<TurnKey, Turn> turns = new HashMap<>();
    private final Map<String, long[]> breaksByUser = new HashMap<>();
    private long decisions;

    private record TurnKey(String user, long turn) {}

    /** What one turn had: bit sets of kinds and reasons, its largest drift (NaN: none). */
    private static final class Turn {
        int kinds;
        int reasons;
        boolean decided;
        double drift = Double.NaN;
    }

    /** Counts one decision record. */
    public void decision(DecisionRecord record) {
        Decision d = record.decision();
        decision(record.userId(), record.turn(), d.kind(),
                d instanceof Decision.CircuitBreak cb ? cb.reason().kind() : null);
    }

    /**
     * Counts one decision record in its JSON form ({@code user_id}, {@code turn},
     * {@code decision.kind}, {@code decision.reason.kind}).
     *
     * @throws IllegalArgumentException if it is not a decision record
     */
    public void decisionJson(byte[] json) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a decision record: " + e.getMessage(), e);
        }
        JsonNode kind = node.path("decision").path("kind");
        if (!kind.isTextual() || !node.path("turn").canConvertToLong()) {
            throw new IllegalArgumentException("not a decision record: " + new String(json, StandardCharsets.UTF_8));
        }
        JsonNode reason = node.path("decision").path("reason").path("kind");
        decision(node.path("user_id").asText(""), node.get("turn").asLong(), kind.asText(),
                reason.isTextual() ? reason.asText() : null);
    }

    /** Counts one decision of {@code kind} (with {@code reason} for a circuit break, else null). */
    public void decision(String user, long turn, String kind, String reason) {
        decisions++;
        Turn t = turn(user, turn);
        t.decided = true;
        t.kinds |= 1 << kinds.count(kind);
        if (reason != null) {
            t.reasons |= 1 << reasons.count(reason);
        }
        if (DecisionVocabulary.CIRCUIT_BREAK.equals(kind)) {
            breaksByUser.computeIfAbsent(user, u -> new long[1])[0]++;
        }
    }

    /** Records that the regulator evaluated drift {@code score} in the user's turn; the turn keeps the largest. */
    public void drift(String user, long turn, double score) {
        if (Double.isNaN(score)) {
            return;
        }
        Turn t = turn(user, turn);
        if (Double.isNaN(t.drift) || score > t.drift) {
            t.drift = score;
        }
    }

    private Turn turn(String user, long turn) {
        return turns.computeIfAbsent(new TurnKey(user, turn), k -> new Turn());
    }

    /** Decision records counted so far. */
    public long decisions() {
        return decisions;
    }

    /** The report, with {@code run} giving the replay's own counts. */
    public ReplayReport report(RunParameters parameters, ReplaySummary run) {
        long[] kindTurns = new long[Tags.MAX];
        long[] reasonTurns = new long[Tags.MAX];
        Map<String, long[]> userTurns = new HashMap<>();           // user -> {turns, halted turns}
        Map<String, Map<String, Long>> userReasons = new HashMap<>();
        List<Double> scores = new ArrayList<>();
        long decidedTurns = 0;
        long unscored = 0;
        long haltedTurns = 0;
        int breakBit = 1 << kinds.index(DecisionVocabulary.CIRCUIT_BREAK);
        int warnBit = 1 << kinds.index(DecisionVocabulary.SCOPE_DRIFT_WARN);
        long warnTurns = 0;
        for (Map.Entry<TurnKey, Turn> e : turns.entrySet()) {
            Turn t = e.getValue();
            if (!Double.isNaN(t.drift)) {
                scores.add(t.drift);
            }
            if (!t.decided) {
                continue;
            }
            decidedTurns++;
            if (Double.isNaN(t.drift)) {
                unscored++;
            }
            if ((t.kinds & warnBit) != 0) {
                warnTurns++;
            }
            for (int i = 0; i < Tags.MAX; i++) {
                if ((t.kinds & (1 << i)) != 0) {
                    kindTurns[i]++;
                }
                if ((t.reasons & (1 << i)) != 0) {
                    reasonTurns[i]++;
                }
            }
            String user = e.getKey().user();
            long[] ut = userTurns.computeIfAbsent(user, u -> new long[2]);
            ut[0]++;
            if ((t.kinds & breakBit) != 0) {
                ut[1]++;
                haltedTurns++;
                Map<String, Long> byReason = userReasons.computeIfAbsent(user, u -> new TreeMap<>());
                for (int i = 0; i < Tags.MAX; i++) {
                    if ((t.reasons & (1 << i)) != 0) {
                        byReason.merge(reasons.name(i), 1L, Long::sum);
                    }
                }
            }
        }

        List<ReplayReport.UserHalts> halted = new ArrayList<>();
        long breakDecisions = 0;
        for (Map.Entry<String, long[]> e : breaksByUser.entrySet()) {
            long[] ut = userTurns.getOrDefault(e.getKey(), new long[2]);
            breakDecisions += e.getValue()[0];
            halted.add(new ReplayReport.UserHalts(e.getKey(), ut[0], ut[1], e.getValue()[0],
                    userReasons.getOrDefault(e.getKey(), Map.of())));
        }
        halted.sort(Comparator.comparingLong(ReplayReport.UserHalts::haltedTurns).reversed()
                .thenComparing(Comparator.comparingLong(ReplayReport.UserHalts::circuitBreaks).reversed())
                .thenComparing(ReplayReport.UserHalts::userId));

        double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        ReplayReport.RunCounts counts = new ReplayReport.RunCounts(run.eventsRead(), decisions, run.decisionsMissing(),
                run.badLines(), run.blankLines(), run.elapsed().toNanos() / 1e9);
        return new ReplayReport(parameters, counts, userTurns.size(), decidedTurns,
                kinds.counts(kinds.decisions, kindTurns), reasons.counts(reasons.decisions, reasonTurns),
                new ReplayReport.Halts(halted.size(), haltedTurns, breakDecisions, halted),
                drift(sorted, unscored, parameters.scopeDriftThreshold(), warnTurns), null);
    }

    static ReplayReport.Drift drift(double[] sorted, long unscored, double configured, long warnTurns) {
        int n = sorted.length;
        ReplayReport.Stats stats = n == 0
                ? new ReplayReport.Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN)
                : new ReplayReport.Stats(n, sorted[0], Arrays.stream(sorted).sum() / n, nearestRank(sorted, 0.50),
                        nearestRank(sorted, 0.95), sorted[n - 1]);
        long[] bins = new long[BINS];
        for (double s : sorted) {
            bins[bin(s)]++;
        }
        List<ReplayReport.Bin> histogram = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            histogram.add(new ReplayReport.Bin(b / 10.0, (b + 1) / 10.0, bins[b]));
        }
        List<ReplayReport.SweepPoint> sweep = new ArrayList<>();
        for (double t : SWEEP_THRESHOLDS) {
            long c = atLeast(sorted, t);
            sweep.add(new ReplayReport.SweepPoint(t, c, n == 0 ? 0 : (double) c / n));
        }
        return new ReplayReport.Drift(n, unscored, stats, histogram, sweep, configured, atLeast(sorted, configured),
                warnTurns);
    }

    /** The bin of a score: the largest b with {@code s >= b / 10.0}, the comparison the regulator makes. */
    static int bin(double s) {
        int b = (int) Math.floor(s * 10);
        if (b < BINS && s >= (b + 1) / 10.0) {
            b++;
        }
        if (b > 0 && s < b / 10.0) {
            b--;
        }
        return Math.max(0, Math.min(BINS - 1, b));
    }

    /** Scores {@code >= t}, in a sorted array. */
    static long atLeast(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {   // first index with sorted[i] >= t
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] >= t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return sorted.length - lo;
    }

    /** The nearest-rank percentile: the value at position ceil(p * n) (1-based) of the sorted values. */
    static double nearestRank(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /**
     * Kind or reason tags: the always-shown ones first, then the opt-in ones, then others in
     * first-seen order (those two only when counted); decision counts per tag.
     */
    private static final class Tags {
        static final int MAX = 31;
        final Map<String, Integer> index = new LinkedHashMap<>();
        final List<String> names = new ArrayList<>();
        final long[] decisions = new long[MAX];
        final int known;

        Tags(List<String> known, List<String> optIn) {
            known.forEach(this::index);
            optIn.forEach(this::index);
            this.known = known.size();
        }

        /** The tag's index, adding it when new (tags beyond the 31st share the last slot). */
        int index(String name) {
            Integer i = index.get(name);
            if (i == null) {
                if (names.size() == MAX - 1) {
                    name = "other";
                    i = index.get(name);
                }
                if (i == null) {
                    i = names.size();
                    index.put(name, i);
                    names.add(name);
                }
            }
            return i;
        }

        int count(String name) {
            int i = index(name);
            decisions[i]++;
            return i;
        }

        String name(int i) {
            return names.get(i);
        }

        List<ReplayReport.KindCount> counts(long[] decisionCounts, long[] turnCounts) {
            List<ReplayReport.KindCount> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (i < known || decisionCounts[i] > 0) {
                    out.add(new ReplayReport.KindCount(names.get(i), decisionCounts[i], turnCounts[i]));
                }
            }
            return out;
        }
    }
}
