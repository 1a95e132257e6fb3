package io.noos.streams.replay.report;

import io.noos.streams.otel.ingest.IngestReport;
import java.util.List;
import java.util.Map;

/**
 * The summary of one replay, computed from its decision records plus each turn's drift score
 * ({@link ReplayStats} builds it; {@link ReportJson}, {@link ReportText} and {@link HtmlReport}
 * write it).
 *
 * <p>What is counted:
 * <ul>
 *   <li>A <b>turn</b> is a (user, turn index) pair of the decision records; the turn index is the
 *       number of {@code turn_start} events the user has sent, so turn 0 holds the decisions on
 *       events before a user's first {@code turn_start}. It is not reset by a new session.</li>
 *   <li><b>Decisions</b> count decision records (one per non-token event); <b>turns</b> next to them
 *       count each turn once, however many of its records have that kind or reason. A circuit
 *       break repeats on every later event of the turn (a tool loop until the next
 *       {@code turn_start}; a cost cap as long as quality stays poor), so the turn count is the
 *       number of halts.</li>
 *   <li>A turn's <b>drift score</b> is the largest scope drift the regulator evaluated in that turn,
 *       whatever the threshold: rule 4 of {@code decide()} (scope drift) is reached on every
 *       decision of the turn that is not a circuit break, after the response arrived, with both
 *       keyword bags non-empty. A turn has no score when it had no response, the task or the
 *       response has no keyword, or a circuit break pre-empted every decision after the
 *       response. Because {@code decide()} is pure and the threshold only enters rule 4, a turn
 *       raises {@code scope_drift_warn} at threshold t exactly when its score is &ge; t: the sweep
 *       is what a replay at each threshold would give, counting each turn once.</li>
 * </ul>
 *
 * @param parameters      the run's settings
 * @param run             event and decision counts of the replay itself
 * @param users           distinct users in the decision records
 * @param turns           distinct turns in the decision records
 * @param decisionsByKind records and turns per decision kind (the four the regulator emits
 *                        always, in the order continue, scope_drift_warn, procedural_warning,
 *                        circuit_break; then, when seen, those of the opt-in detectors in the order
 *                        of {@link io.noos.streams.envelope.DecisionVocabulary#OPT_IN_KINDS}, then any other kind)
 * @param breaksByReason  records and turns per circuit-break reason (the three the regulator emits
 *                        always; then, when seen, those of the opt-in detectors in the order of
 *                        {@link io.noos.streams.envelope.DecisionVocabulary#OPT_IN_BREAK_REASONS}, then any other)
 * @param halts           circuit breaks per user
 * @param drift           drift scores per turn: statistics, histogram, threshold sweep
 * @param ingest          for a span log, what the span ingest read, mapped and could not map (its turns are
 *                        counted as here); null for an envelope log
 */
public record ReplayReport(RunParameters parameters, RunCounts run, long users, long turns,
                           List<KindCount> decisionsByKind, List<KindCount> breaksByReason, Halts halts,
                           Drift drift, IngestReport ingest) {

    public ReplayReport {
        decisionsByKind = List.copyOf(decisionsByKind);
        breaksByReason = List.copyOf(breaksByReason);
    }

    /**
     * This report for a span log: {@code inputs} (the span files as given, instead of the envelope file
     * converted from them) and the ingest's own report.
     */
    public ReplayReport withSpanIngest(String inputs, IngestReport ingestReport) {
        return new ReplayReport(parameters.withInput(inputs), run, users, turns, decisionsByKind, breaksByReason, halts,
                drift, ingestReport);
    }

    /** The line of {@link #decisionsByKind} for {@code kind} (zeros when absent). */
    public KindCount kind(String kind) {
        return find(decisionsByKind, kind);
    }

    /** The line of {@link #breaksByReason} for {@code reason} (zeros when absent). */
    public KindCount reason(String reason) {
        return find(breaksByReason, reason);
    }

    private static KindCount find(List<KindCount> list, String kind) {
        return list.stream().filter(k -> k.kind().equals(kind)).findFirst().orElse(new KindCount(kind, 0, 0));
    }

    /**
     * Counts of the replay itself.
     *
     * @param eventsRead       envelopes read from the input
     * @param decisions        decision records summarised
     * @param decisionsMissing decisions expected but not received (via Kafka)
     * @param badLines         input lines that are not envelopes
     * @param blankLines       blank input lines
     * @param elapsedSeconds   wall time of the replay
     */
    public record RunCounts(long eventsRead, long decisions, long decisionsMissing, long badLines, long blankLines,
                            double elapsedSeconds) {}

    /** How many decision records had {@code kind} (or reason), and in how many turns. */
    public record KindCount(String kind, long decisions, long turns) {}

    /**
     * Circuit breaks ("halts").
     *
     * @param usersHalted           users with at least one circuit break
     * @param haltedTurns           turns with at least one circuit break
     * @param circuitBreakDecisions circuit_break decision records
     * @param byUser                every halted user, most halted turns first (then most circuit
     *                              breaks, then user id)
     */
    public record Halts(long usersHalted, long haltedTurns, long circuitBreakDecisions, List<UserHalts> byUser) {
        public Halts {
            byUser = List.copyOf(byUser);
        }
    }

    /**
     * One user's circuit breaks.
     *
     * @param turns         the user's turns
     * @param haltedTurns   of those, turns with at least one circuit break
     * @param circuitBreaks circuit_break decision records
     * @param turnsByReason halted turns per reason (a turn can count under two reasons)
     */
    public record UserHalts(String userId, long turns, long haltedTurns, long circuitBreaks,
                            Map<String, Long> turnsByReason) {
        public UserHalts {
            turnsByReason = Map.copyOf(turnsByReason);
        }
    }

    /**
     * Drift scores per turn (see the class description).
     *
     * @param turnsScored             turns with a drift score
     * @param turnsUnscored           turns of the decision records without one
     * @param stats                   statistics of the scores
     * @param histogram               10 bins of width 0.1 over [0, 1]; a score s is in the bin
     *                                [a, b) when s &ge; a and not s &ge; b (the last bin includes 1.0)
     * @param sweep                   turns with a score &ge; t, for t = 0.30, 0.35, ..., 0.90
     * @param configuredThreshold     the run's scope-drift threshold
     * @param turnsAtConfigured       turns with a score &ge; the configured threshold
     * @param turnsWithWarnDecision   turns with a scope_drift_warn decision record (equal to
     *                                {@code turnsAtConfigured} when the decisions and the scores come
     *                                from the same regulator settings)
     */
    public record Drift(long turnsScored, long turnsUnscored, Stats stats, List<Bin> histogram,
                        List<SweepPoint> sweep, double configuredThreshold, long turnsAtConfigured,
                        long turnsWithWarnDecision) {
        public Drift {
            histogram = List.copyOf(histogram);
            sweep = List.copyOf(sweep);
        }
    }

    /**
     * Statistics of the drift scores; every value but {@code count} is NaN when there is none.
     * Percentiles are nearest-rank: the value at position ceil(p &middot; count) of the sorted scores.
     */
    public record Stats(long count, double min, double mean, double p50, double p95, double max) {}

    /** One histogram bin: scores in [from, to) (the last bin: [0.9, 1.0]). */
    public record Bin(double from, double to, long turns) {}

    /** How many turns would warn at {@code threshold}, and their share of the scored turns. */
    public record SweepPoint(double threshold, long turns, double shareOfScored) {}
}
