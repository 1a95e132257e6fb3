package io.noos.streams.replay.report;

import io.noos.streams.otel.ingest.IngestReport;
import io.noos.streams.otel.ingest.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@link ReplayReport} as one self-contained HTML page: inline CSS, charts as inline SVG drawn
 * here, no script and no reference to anything outside the file, so it opens the same offline, in a
 * mail attachment or in a CI artifact viewer.
 *
 * <p>Sections: the headline numbers, run parameters, for a span log the span ingest (what was read,
 * what it was used for, what could not be mapped and why), decisions by kind and circuit breaks by reason
 * (bar charts and tables), halts per user (top 20), the drift-score histogram and statistics, the
 * threshold sweep (line chart, configured threshold marked) and what is counted.
 */
public final class HtmlReport {
    private static final String CSS = """
            :root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#ffffff;--panel:#f6f8fa}
            *{box-sizing:border-box}
            body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg);max-width:1100px}
            h1{font-size:24px;margin:0 0 4px}
            h2{font-size:18px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
            .sub{color:var(--muted);margin:0 0 16px}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
            .card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:140px}
            .card .n{font-size:22px;font-weight:600}
            .card .t{color:var(--muted);font-size:12px}
            table{border-collapse:collapse;margin:8px 0 4px;font-variant-numeric:tabular-nums}
            th,td{border-bottom:1px solid var(--line);padding:4px 12px;text-align:left}
            td.num,th.num{text-align:right}
            th{background:var(--panel);font-weight:600}
            .note{color:var(--muted);font-size:13px;max-width:820px}
            .warn{color:#9a3412;font-weight:600}
            svg.chart{display:block;max-width:100%;height:auto;margin:8px 0;font-size:12px}
            svg .label{fill:var(--fg)}
            svg .value{fill:var(--fg);font-size:11px}
            svg .tick{fill:var(--muted);font-size:11px}
            svg .axis-title{fill:var(--muted);font-size:12px}
            svg .grid{stroke:#eaeef2;stroke-width:1}
            svg .axis{stroke:#8c959f;stroke-width:1}
            svg .k-continue{fill:#8c959f}
            svg .k-scope_drift_warn{fill:#d4a72c}
            svg .k-procedural_warning{fill:#4c8eda}
            svg .k-circuit_break{fill:#cf222e}
            svg .k-spend_anomaly_warn{fill:#5b6bd6}
            svg .k-other{fill:#8250df}
            svg .r-cost_cap_reached{fill:#cf222e}
            svg .r-quality_decline_no_recovery{fill:#e16f24}
            svg .r-repeated_tool_call_loop{fill:#a40e26}
            svg .r-repeated_failure_pattern{fill:#bc4c00}
            svg .r-repeated_identical_tool_call{fill:#82071e}
            svg .r-tool_call_cycle{fill:#d1242f}
            svg .r-token_budget_exceeded{fill:#953800}
            svg .r-operator_halt{fill:#24292f}
            svg .bar-drift{fill:#4c8eda}
            svg .sweep-line{fill:none;stroke:#4c8eda;stroke-width:2}
            svg .sweep-point{fill:#4c8eda}
            svg .mark{stroke:#cf222e;stroke-width:2;stroke-dasharray:6 4}
            svg .mark-label{fill:#cf222e;font-size:12px;font-weight:600}
            """;

    private HtmlReport() {}

    /** Writes the page to {@code file} (created or truncated, parent directories created). */
    public static void write(ReplayReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    /** The page. */
    public static String render(ReplayReport r) {
        RunParameters p = r.parameters();
        ReplayReport.Drift d = r.drift();
        ReplayReport.Halts h = r.halts();
        StringBuilder s = new StringBuilder(32_768);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>noos-streams replay report: ").append(escape(fileName(p.input()))).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        s.append("<h1>Replay report</h1>\n<p class=\"sub\">").append(escape(p.input())).append(" &middot; ")
                .append(escape(p.mode())).append(" &middot; generated ").append(escape(p.generatedAt())).append("</p>\n");

        s.append("<div class=\"cards\">\n");
        card(s, r.run().eventsRead(), "events");
        card(s, r.run().decisions(), "decisions");
        card(s, r.users(), "users");
        card(s, r.turns(), "turns");
        card(s, h.usersHalted(), "users halted at least once");
        card(s, h.haltedTurns(), "halted turns");
        card(s, d.turnsAtConfigured(), "turns warned at threshold " + ReportText.threshold(d.configuredThreshold()));
        s.append("</div>\n");

        parameters(s, r);
        if (r.ingest() != null) {
            ingest(s, r.ingest());
        }
        decisions(s, r);
        halts(s, r);
        drift(s, d);
        sweep(s, d);
        definitions(s);
        return s.append("</body>\n</html>\n").toString();
    }

    private static void card(StringBuilder s, long n, String title) {
        s.append("<div class=\"card\"><div class=\"n\">").append(n).append("</div><div class=\"t\">")
                .append(escape(title)).append("</div></div>\n");
    }

    private static void parameters(StringBuilder s, ReplayReport r) {
        RunParameters p = r.parameters();
        ReplayReport.RunCounts run = r.run();
        s.append("<h2>Run parameters</h2>\n<table>\n");
        row(s, "input", p.input());
        row(s, "mode", p.mode());
        row(s, "cost cap (output tokens)", Long.toString(p.costCap()));
        row(s, "scope drift threshold", ReportText.threshold(p.scopeDriftThreshold()));
        row(s, "implicit correction window", p.implicitWindowMs() == null ? "off" : p.implicitWindowMs() + " ms");
        row(s, "reset on new session", Boolean.toString(p.resetOnNewSession()));
        if ("via-kafka".equals(p.mode())) {
            row(s, "wire formats (events / decisions)", p.inputFormat() + " / " + p.decisionsFormat());
        }
        row(s, "events read", Long.toString(run.eventsRead()));
        row(s, "decision records", Long.toString(run.decisions()));
        if (run.decisionsMissing() > 0) {
            row(s, "decisions missing", Long.toString(run.decisionsMissing()));
        }
        row(s, "bad lines (skipped)", Long.toString(run.badLines()));
        row(s, "blank lines", Long.toString(run.blankLines()));
        row(s, "elapsed", String.format(Locale.ROOT, "%.3f s", run.elapsedSeconds()));
        row(s, "generated", p.generatedAt());
        s.append("</table>\n");
    }

    private static void ingest(StringBuilder s, IngestReport i) {
        s.append("<h2>Span ingest</h2>\n<table>\n<tr><th>input</th><th class=\"num\">lines</th>")
                .append("<th class=\"num\">spans</th><th class=\"num\">log records</th></tr>\n");
        for (IngestReport.Input in : i.inputs()) {
            s.append("<tr><td>").append(escape(in.file())).append("</td><td class=\"num\">").append(in.lines())
                    .append("</td><td class=\"num\">").append(in.spans()).append("</td><td class=\"num\">")
                    .append(in.logRecords()).append("</td></tr>\n");
        }
        s.append("</table>\n<table>\n");
        IngestReport.SpanUse use = i.spans();
        row(s, "model call spans", Long.toString(use.modelCalls()));
        row(s, "agent spans", Long.toString(use.agentSpans()));
        row(s, "tool execution spans", Long.toString(use.toolExecutions()));
        row(s, "reference-shape spans", Long.toString(use.referenceShape()));
        row(s, "spans used only for their user, conversation or agent", Long.toString(use.contextOnly()));
        row(s, "GenAI spans with nothing to map", Long.toString(use.unmapped()));
        row(s, "other spans (not used)", Long.toString(use.other()));
        row(s, "log records: GenAI events attached to their spans / not GenAI / read", i.logs().attached() + " / "
                + i.logs().notGenAi() + " / " + i.logs().read());
        row(s, "model calls by source of their messages", i.contentSources().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        row(s, "tool calls: joined with the model's request / tool span alone / request alone", i.tools().joined()
                + " / " + i.tools().spanOnly() + " / " + i.tools().requestOnly());
        row(s, "conversations / turns / users", i.conversations() + " / " + i.turns() + " / " + i.users());
        row(s, "envelopes", i.envelopes() + " " + i.eventsByType());
        s.append("</table>\n");
        if (i.issues().isEmpty()) {
            s.append("<p>Nothing was left unmapped.</p>\n");
            return;
        }
        s.append("<table>\n<tr><th>issue</th><th class=\"num\">count</th><th>where (first ")
                .append(IngestReport.EXAMPLES_PER_ISSUE).append(")</th><th>what it means</th></tr>\n");
        i.issues().forEach((issue, count) -> s.append("<tr><td>").append(escape(issue.label()))
                .append("</td><td class=\"num\">").append(count).append("</td><td>")
                .append(escape(i.examples().getOrDefault(issue, List.of()).stream().map(Location::toString)
                        .collect(Collectors.joining(", "))))
                .append("</td><td>").append(escape(issue.description())).append("</td></tr>\n"));
        s.append("</table>\n");
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static void decisions(StringBuilder s, ReplayReport r) {
        s.append("<h2>Decisions by kind</h2>\n");
        List<SvgCharts.Bar> bars = new ArrayList<>();
        for (ReplayReport.KindCount k : r.decisionsByKind()) {
            bars.add(new SvgCharts.Bar(k.kind(), k.decisions(), k.decisions() + " decisions · " + k.turns() + " turns",
                    fillClass("k-", k.kind())));
        }
        s.append(SvgCharts.horizontalBars("Decision records by kind", bars)).append('\n');
        kindTable(s, "kind", r.decisionsByKind());

        s.append("<h2>Circuit breaks by reason</h2>\n");
        bars = new ArrayList<>();
        for (ReplayReport.KindCount k : r.breaksByReason()) {
            bars.add(new SvgCharts.Bar(k.kind(), k.decisions(), k.decisions() + " decisions · " + k.turns() + " turns",
                    fillClass("r-", k.kind())));
        }
        s.append(SvgCharts.horizontalBars("Circuit-break decision records by reason", bars)).append('\n');
        kindTable(s, "reason", r.breaksByReason());
    }

    /** The CSS class {@code prefix + tag} when the page gives the tag its own colour, else the one for others. */
    private static String fillClass(String prefix, String tag) {
        return CSS.contains("svg ." + prefix + tag + "{") ? prefix + tag : "k-other";
    }

    private static void kindTable(StringBuilder s, String what, List<ReplayReport.KindCount> kinds) {
        s.append("<table>\n<tr><th>").append(what).append("</th><th class=\"num\">decisions</th>")
                .append("<th class=\"num\">turns</th></tr>\n");
        for (ReplayReport.KindCount k : kinds) {
            s.append("<tr><td>").append(escape(k.kind())).append("</td><td class=\"num\">").append(k.decisions())
                    .append("</td><td class=\"num\">").append(k.turns()).append("</td></tr>\n");
        }
        s.append("</table>\n");
    }

    private static void halts(StringBuilder s, ReplayReport r) {
        ReplayReport.Halts h = r.halts();
        s.append("<h2>Halts per user</h2>\n<p>").append(h.usersHalted()).append(" of ").append(r.users())
                .append(" users halted at least once; ").append(h.haltedTurns()).append(" halted turns; ")
                .append(h.circuitBreakDecisions()).append(" circuit_break decisions.</p>\n");
        if (h.byUser().isEmpty()) {
            return;
        }
        s.append("<table>\n<tr><th>user (top ").append(ReportText.TOP_USERS).append(")</th>")
                .append("<th class=\"num\">turns</th><th class=\"num\">halted turns</th>")
                .append("<th class=\"num\">circuit breaks</th><th>halted turns by reason</th></tr>\n");
        h.byUser().stream().limit(ReportText.TOP_USERS).forEach(u -> s.append("<tr><td>").append(escape(u.userId()))
                .append("</td><td class=\"num\">").append(u.turns())
                .append("</td><td class=\"num\">").append(u.haltedTurns())
                .append("</td><td class=\"num\">").append(u.circuitBreaks())
                .append("</td><td>").append(escape(reasons(u.turnsByReason()))).append("</td></tr>\n"));
        s.append("</table>\n");
        if (h.byUser().size() > ReportText.TOP_USERS) {
            s.append("<p class=\"note\">").append(h.byUser().size() - ReportText.TOP_USERS)
                    .append(" more halted users (all of them are in the JSON summary).</p>\n");
        }
    }

    private static void drift(StringBuilder s, ReplayReport.Drift d) {
        s.append("<h2>Drift score per turn</h2>\n<p>").append(d.turnsScored()).append(" turns scored, ")
                .append(d.turnsUnscored()).append(" turns without a score.</p>\n");
        ReplayReport.Stats st = d.stats();
        s.append("<table>\n<tr><th class=\"num\">count</th><th class=\"num\">min</th><th class=\"num\">mean</th>")
                .append("<th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">max</th></tr>\n<tr>")
                .append("<td class=\"num\">").append(st.count()).append("</td>");
        for (double v : new double[] {st.min(), st.mean(), st.p50(), st.p95(), st.max()}) {
            s.append("<td class=\"num\">").append(Double.isNaN(v) ? "&ndash;" : String.format(Locale.ROOT, "%.3f", v))
                    .append("</td>");
        }
        s.append("</tr>\n</table>\n");
        long[] values = d.histogram().stream().mapToLong(ReplayReport.Bin::turns).toArray();
        String[] edges = new String[values.length + 1];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = String.format(Locale.ROOT, "%.1f", i / 10.0);
        }
        s.append(SvgCharts.histogram("Histogram of the drift score per turn", values, edges, "drift score",
                "turns")).append('\n');
        s.append("<table>\n<tr><th>drift score</th>");
        for (ReplayReport.Bin b : d.histogram()) {
            s.append("<th class=\"num\">").append(String.format(Locale.ROOT, "%.1f&ndash;%.1f", b.from(), b.to()))
                    .append("</th>");
        }
        s.append("</tr>\n<tr><td>turns</td>");
        for (ReplayReport.Bin b : d.histogram()) {
            s.append("<td class=\"num\">").append(b.turns()).append("</td>");
        }
        s.append("</tr>\n</table>\n<p class=\"note\">A bin [a, b) holds the scores s with s &ge; a and s &lt; b "
                + "(the last bin includes 1.0).</p>\n");
    }

    private static void sweep(StringBuilder s, ReplayReport.Drift d) {
        s.append("<h2>Threshold sweep</h2>\n<p>Turns that would raise <code>scope_drift_warn</code> at each "
                + "threshold (drift score &ge; threshold), each turn counted once. At the configured threshold ")
                .append(ReportText.threshold(d.configuredThreshold())).append(": ").append(d.turnsAtConfigured())
                .append(" turns; turns with a <code>scope_drift_warn</code> decision in this run: ")
                .append(d.turnsWithWarnDecision()).append(".</p>\n");
        if (d.turnsAtConfigured() != d.turnsWithWarnDecision()) {
            s.append("<p class=\"warn\">The two differ: the decisions and the drift scores did not come from the "
                    + "same regulator settings, or decisions are missing.</p>\n");
        }
        List<SvgCharts.Point> points = d.sweep().stream()
                .map(p -> new SvgCharts.Point(p.threshold(), p.turns())).collect(Collectors.toList());
        s.append(SvgCharts.line("Turns that would warn per threshold", points, d.configuredThreshold(),
                "configured " + ReportText.threshold(d.configuredThreshold()) + ": " + d.turnsAtConfigured() + " turns",
                "scope drift threshold", "turns")).append('\n');
        s.append("<table>\n<tr><th class=\"num\">threshold</th><th class=\"num\">turns</th>")
                .append("<th class=\"num\">share of scored turns</th></tr>\n");
        for (ReplayReport.SweepPoint p : d.sweep()) {
            boolean configured = p.threshold() == d.configuredThreshold();
            s.append(configured ? "<tr class=\"configured\">" : "<tr>")
                    .append("<td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", p.threshold()))
                    .append(configured ? " (configured)" : "")
                    .append("</td><td class=\"num\">").append(p.turns()).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * p.shareOfScored())).append("</td></tr>\n");
        }
        s.append("</table>\n");
    }

    private static void definitions(StringBuilder s) {
        s.append("""
                <h2>What is counted</h2>
                <ul class="note">
                <li>A <b>turn</b> is a (user, turn index) pair of the decision records. The turn index counts the
                user's <code>turn_start</code> events (turn 0: events before the first one); a new session does not
                reset it.</li>
                <li><b>Decisions</b> are decision records, one per non-token event. <b>Turns</b> next to them count
                each turn once. A circuit break repeats on every later event of its turn, so halted turns are the
                number of halts and circuit-break decisions the number of records.</li>
                <li>A turn's <b>drift score</b> is the largest scope drift the regulator evaluated in the turn, at any
                threshold (learned by asking each user's regulator what it decides at threshold 0.0, as the
                reference's calibration replays with <code>--scope-threshold=0.0</code>). A turn has no score when it
                had no response, the task or the response had no keyword, or a circuit break pre-empted every
                decision after the response.</li>
                <li>A turn warns at threshold t exactly when its score is &ge; t, so the sweep is what replays at
                each threshold would report, each turn once. Percentiles are nearest-rank.</li>
                </ul>
                """);
    }

    private static String reasons(Map<String, Long> byReason) {
        return new TreeMap<>(byReason).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** {@code text} with {@code & < > " '} escaped for HTML text and attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
