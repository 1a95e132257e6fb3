package io.noos.streams.replay.report;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A {@link ReplayReport} as text for the terminal, printed at the end of a replay. */
public final class ReportText {
    /** Users shown in the halts table. */
    public static final int TOP_USERS = 20;
    private static final int HISTOGRAM_WIDTH = 40;

    private ReportText() {}

    public static String format(ReplayReport r) {
        StringBuilder s = new StringBuilder();
        RunParameters p = r.parameters();
        s.append("replay summary (").append(p.mode()).append(", ").append(p.input()).append(")\n");
        s.append(String.format(Locale.ROOT, "  settings: cost cap %d, scope drift threshold %s, implicit window %s, "
                        + "reset on new session %s%n", p.costCap(), threshold(p.scopeDriftThreshold()),
                p.implicitWindowMs() == null ? "off" : p.implicitWindowMs() + " ms", p.resetOnNewSession()));
        s.append(String.format(Locale.ROOT, "  users: %d, turns: %d (a turn is a (user, turn index) pair of the "
                + "decision records), decisions: %d%n", r.users(), r.turns(), r.run().decisions()));

        s.append("decisions by kind                decisions      turns\n");
        for (ReplayReport.KindCount k : r.decisionsByKind()) {
            s.append(String.format(Locale.ROOT, "  %-28s %11d %10d%n", k.kind(), k.decisions(), k.turns()));
        }
        s.append("circuit breaks by reason         decisions      turns\n");
        for (ReplayReport.KindCount k : r.breaksByReason()) {
            s.append(String.format(Locale.ROOT, "  %-28s %11d %10d%n", k.kind(), k.decisions(), k.turns()));
        }

        s.append("spend: ").append(spendLine(r.spend())).append('\n');

        ReplayReport.Halts h = r.halts();
        s.append(String.format(Locale.ROOT, "halts: %d of %d users halted at least once; %d halted turns, "
                + "%d circuit_break decisions%n", h.usersHalted(), r.users(), h.haltedTurns(), h.circuitBreakDecisions()));
        if (!h.byUser().isEmpty()) {
            s.append(String.format(Locale.ROOT, "  %-24s %8s %13s %15s  %s%n", "user (top " + TOP_USERS + ")", "turns",
                    "halted turns", "circuit breaks", "halted turns by reason"));
            h.byUser().stream().limit(TOP_USERS).forEach(u -> s.append(String.format(Locale.ROOT,
                    "  %-24s %8d %13d %15d  %s%n", u.userId(), u.turns(), u.haltedTurns(), u.circuitBreaks(),
                    reasons(u.turnsByReason()))));
            if (h.byUser().size() > TOP_USERS) {
                s.append("  ... ").append(h.byUser().size() - TOP_USERS).append(" more halted users\n");
            }
        }

        ReplayReport.Drift d = r.drift();
        s.append(String.format(Locale.ROOT, "drift score per turn (the largest drift the regulator evaluated in the "
                + "turn, at any threshold): %d turns scored, %d without a score%n", d.turnsScored(), d.turnsUnscored()));
        ReplayReport.Stats st = d.stats();
        if (st.count() > 0) {
            s.append(String.format(Locale.ROOT, "  count %d  min %.3f  mean %.3f  p50 %.3f  p95 %.3f  max %.3f%n",
                    st.count(), st.min(), st.mean(), st.p50(), st.p95(), st.max()));
        }
        long most = d.histogram().stream().mapToLong(ReplayReport.Bin::turns).max().orElse(0);
        for (ReplayReport.Bin b : d.histogram()) {
            int bar = most == 0 ? 0 : (int) Math.round((double) b.turns() / most * HISTOGRAM_WIDTH);
            s.append(String.format(Locale.ROOT, "  [%.1f, %.1f%s %8d  %s%n", b.from(), b.to(),
                    b.to() >= 1.0 ? "]" : ")", b.turns(), "#".repeat(bar)));
        }
        s.append("threshold sweep (turns whose drift score >= threshold, i.e. turns that would warn)\n");
        for (ReplayReport.SweepPoint t : d.sweep()) {
            s.append(String.format(Locale.ROOT, "  %.2f %8d  %5.1f%% of scored turns%s%n", t.threshold(), t.turns(),
                    100 * t.shareOfScored(), t.threshold() == d.configuredThreshold()
                            ? "  <- configured" : ""));
        }
        s.append(String.format(Locale.ROOT, "  at the configured threshold %s: %d turns; turns with a scope_drift_warn "
                + "decision: %d%n", threshold(d.configuredThreshold()), d.turnsAtConfigured(), d.turnsWithWarnDecision()));
        if (d.turnsAtConfigured() != d.turnsWithWarnDecision()) {
            s.append("  NOTE: the two differ: the decision records and the drift scores did not come from the same "
                    + "regulator settings (per-user thresholds?) or decisions are missing\n");
        }
        return s.toString();
    }

    /** A threshold with two decimals, or all its digits when it has more. */
    static String threshold(double t) {
        String two = String.format(Locale.ROOT, "%.2f", t);
        return Double.parseDouble(two) == t ? two : Double.toString(t);
    }

    private static String reasons(Map<String, Long> byReason) {
        return new TreeMap<>(byReason).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** {@code 1.250000 USD, 0.300000 EUR; 2 unpriced cost events} (currencies never added together). */
    static String spendLine(io.noos.streams.pricing.Spend spend) {
        StringBuilder s = new StringBuilder();
        spend.micros().forEach((c, m) -> s.append(s.length() == 0 ? "" : ", ")
                .append(io.noos.streams.pricing.Money.decimal(m)).append(' ').append(c));
        if (s.length() == 0) {
            s.append("none priced");
        }
        return s.append("; ").append(spend.unpricedCostEvents()).append(" unpriced cost events").toString();
    }
}
