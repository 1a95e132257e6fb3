package io.noos.streams.replay.report;

import com.fasterxml.jackson.core.JsonGenerator;
import io.noos.streams.json.Json;
import io.noos.streams.otel.ingest.IngestIssue;
import io.noos.streams.otel.ingest.IngestReport;
import io.noos.streams.otel.ingest.Location;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@link ReplayReport} as JSON (pretty-printed; numbers as doubles or integers; a statistic
 * without data is {@code null}):
 * <pre>{@code
 * {"format":"noos-replay-summary/1",
 *  "parameters":{"mode":"offline","input":"log.jsonl","cost_cap":10000,"scope_drift_threshold":0.5,
 *                "implicit_correction_window_ms":null,"reset_on_new_session":true,"input_format":"json",
 *                "decisions_format":"json","generated_at":"2025-01-01T00:00:00Z"},
 *  "run":{"events_read":6,"decisions":6,"decisions_missing":0,"bad_lines":0,"blank_lines":0,"elapsed_s":0.01},
 *  "users":1,"turns":3,
 *  "decisions_by_kind":{"continue":{"decisions":4,"turns":3},"scope_drift_warn":{"decisions":2,"turns":2},...},
 *  "circuit_breaks_by_reason":{"cost_cap_reached":{"decisions":0,"turns":0},...},
 *  "halts":{"users_halted":0,"halted_turns":0,"circuit_break_decisions":0,
 *           "users":[{"user_id":"bob","turns":2,"halted_turns":1,"circuit_breaks":3,
 *                     "halted_turns_by_reason":{"repeated_tool_call_loop":1}}]},
 *  "drift":{"turns_scored":3,"turns_unscored":0,
 *           "stats":{"count":3,"min":0.0,"mean":0.5185,"p50":0.5556,"p95":1.0,"max":1.0},
 *           "histogram":[{"from":0.0,"to":0.1,"turns":1},...],
 *           "threshold_sweep":[{"threshold":0.3,"turns":2,"share_of_scored_turns":0.6667},...],
 *           "configured_threshold":0.5,"turns_at_configured_threshold":2,"turns_with_scope_drift_warn":2},
 *  "ingest":{"inputs":[{"file":"spans.jsonl","lines":40,"blank_lines":0,"spans":30,"log_records":10}],
 *            "spans":{"total":30,"model_calls":9,"agent_spans":0,"tool_executions":7,"reference_shape":0,
 *                     "context_only":2,"unmapped":0,"other":12},
 *            "log_records":{"read":10,"attached":10,"not_genai":0},
 *            "messages_from":{"span_attributes":0,"details_event":9,...,"none":0},
 *            "tool_calls":{"joined":7,"span_only":0,"request_only":0},
 *            "conversations":1,"turns":2,"users":1,"envelopes":27,"events_by_type":{"cost":9,...},
 *            "issues":[{"issue":"span_without_user","count":1,"examples":["spans.jsonl:4"],"description":"..."}]}}
 * }</pre>
 * {@code halts.users} lists every halted user, most halted turns first. {@code ingest} is there only for a
 * replay of span logs ({@code --log-format spans}); its {@code turns} are counted as the replay's.
 */
public final class ReportJson {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "noos-replay-summary/1";

    private ReportJson() {}

    /** Writes the report to {@code file} (created or truncated, parent directories created). */
    public static void write(ReplayReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(report, out);
        }
    }

    /** The report as a JSON string. */
    public static String toJson(ReplayReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(report, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void write(ReplayReport r, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", FORMAT);

            RunParameters p = r.parameters();
            g.writeObjectFieldStart("parameters");
            g.writeStringField("mode", p.mode());
            g.writeStringField("input", p.input());
            g.writeNumberField("cost_cap", p.costCap());
            g.writeNumberField("scope_drift_threshold", p.scopeDriftThreshold());
            if (p.implicitWindowMs() == null) {
                g.writeNullField("implicit_correction_window_ms");
            } else {
                g.writeNumberField("implicit_correction_window_ms", p.implicitWindowMs());
            }
            g.writeBooleanField("reset_on_new_session", p.resetOnNewSession());
            g.writeStringField("input_format", p.inputFormat());
            g.writeStringField("decisions_format", p.decisionsFormat());
            g.writeStringField("generated_at", p.generatedAt());
            g.writeEndObject();

            ReplayReport.RunCounts run = r.run();
            g.writeObjectFieldStart("run");
            g.writeNumberField("events_read", run.eventsRead());
            g.writeNumberField("decisions", run.decisions());
            g.writeNumberField("decisions_missing", run.decisionsMissing());
            g.writeNumberField("bad_lines", run.badLines());
            g.writeNumberField("blank_lines", run.blankLines());
            g.writeNumberField("elapsed_s", run.elapsedSeconds());
            g.writeEndObject();

            g.writeNumberField("users", r.users());
            g.writeNumberField("turns", r.turns());
            kinds(g, "decisions_by_kind", r.decisionsByKind());
            kinds(g, "circuit_breaks_by_reason", r.breaksByReason());

            ReplayReport.Halts h = r.halts();
            g.writeObjectFieldStart("halts");
            g.writeNumberField("users_halted", h.usersHalted());
            g.writeNumberField("halted_turns", h.haltedTurns());
            g.writeNumberField("circuit_break_decisions", h.circuitBreakDecisions());
            g.writeArrayFieldStart("users");
            for (ReplayReport.UserHalts u : h.byUser()) {
                g.writeStartObject();
                g.writeStringField("user_id", u.userId());
                g.writeNumberField("turns", u.turns());
                g.writeNumberField("halted_turns", u.haltedTurns());
                g.writeNumberField("circuit_breaks", u.circuitBreaks());
                g.writeObjectFieldStart("halted_turns_by_reason");
                for (Map.Entry<String, Long> e : new java.util.TreeMap<>(u.turnsByReason()).entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();

            ReplayReport.Drift d = r.drift();
            g.writeObjectFieldStart("drift");
            g.writeNumberField("turns_scored", d.turnsScored());
            g.writeNumberField("turns_unscored", d.turnsUnscored());
            ReplayReport.Stats s = d.stats();
            g.writeObjectFieldStart("stats");
            g.writeNumberField("count", s.count());
            number(g, "min", s.min());
            number(g, "mean", s.mean());
            number(g, "p50", s.p50());
            number(g, "p95", s.p95());
            number(g, "max", s.max());
            g.writeEndObject();
            g.writeArrayFieldStart("histogram");
            for (ReplayReport.Bin b : d.histogram()) {
                g.writeStartObject();
                g.writeNumberField("from", b.from());
                g.writeNumberField("to", b.to());
                g.writeNumberField("turns", b.turns());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("threshold_sweep");
            for (ReplayReport.SweepPoint t : d.sweep()) {
                g.writeStartObject();
                g.writeNumberField("threshold", t.threshold());
                g.writeNumberField("turns", t.turns());
                g.writeNumberField("share_of_scored_turns", t.shareOfScored());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("configured_threshold", d.configuredThreshold());
            g.writeNumberField("turns_at_configured_threshold", d.turnsAtConfigured());
            g.writeNumberField("turns_with_scope_drift_warn", d.turnsWithWarnDecision());
            g.writeEndObject();

            if (r.ingest() != null) {
                ingest(g, r.ingest());
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** The span ingest's report: what was read, what it was used for, and every issue with its places. */
    private static void ingest(JsonGenerator g, IngestReport i) throws IOException {
        g.writeObjectFieldStart("ingest");
        g.writeArrayFieldStart("inputs");
        for (IngestReport.Input in : i.inputs()) {
            g.writeStartObject();
            g.writeStringField("file", in.file());
            g.writeNumberField("lines", in.lines());
            g.writeNumberField("blank_lines", in.blankLines());
            g.writeNumberField("spans", in.spans());
            g.writeNumberField("log_records", in.logRecords());
            g.writeEndObject();
        }
        g.writeEndArray();
        IngestReport.SpanUse s = i.spans();
        g.writeObjectFieldStart("spans");
        g.writeNumberField("total", s.total());
        g.writeNumberField("model_calls", s.modelCalls());
        g.writeNumberField("agent_spans", s.agentSpans());
        g.writeNumberField("tool_executions", s.toolExecutions());
        g.writeNumberField("reference_shape", s.referenceShape());
        g.writeNumberField("context_only", s.contextOnly());
        g.writeNumberField("unmapped", s.unmapped());
        g.writeNumberField("other", s.other());
        g.writeEndObject();
        g.writeObjectFieldStart("log_records");
        g.writeNumberField("read", i.logs().read());
        g.writeNumberField("attached", i.logs().attached());
        g.writeNumberField("not_genai", i.logs().notGenAi());
        g.writeEndObject();
        counts(g, "messages_from", i.contentSources());
        g.writeObjectFieldStart("tool_calls");
        g.writeNumberField("joined", i.tools().joined());
        g.writeNumberField("span_only", i.tools().spanOnly());
        g.writeNumberField("request_only", i.tools().requestOnly());
        g.writeEndObject();
        g.writeNumberField("conversations", i.conversations());
        g.writeNumberField("turns", i.turns());
        g.writeNumberField("users", i.users());
        g.writeNumberField("envelopes", i.envelopes());
        counts(g, "events_by_type", i.eventsByType());
        g.writeArrayFieldStart("issues");
        for (Map.Entry<IngestIssue, Long> e : i.issues().entrySet()) {
            g.writeStartObject();
            g.writeStringField("issue", e.getKey().label());
            g.writeNumberField("count", e.getValue());
            g.writeArrayFieldStart("examples");
            for (Location at : i.examples().getOrDefault(e.getKey(), List.of())) {
                g.writeString(at.toString());
            }
            g.writeEndArray();
            g.writeStringField("description", e.getKey().description());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, String name, Map<String, Long> counts) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void kinds(JsonGenerator g, String name, List<ReplayReport.KindCount> kinds) throws IOException {
        g.writeObjectFieldStart(name);
        for (ReplayReport.KindCount k : kinds) {
            g.writeObjectFieldStart(k.kind());
            g.writeNumberField("decisions", k.decisions());
            g.writeNumberField("turns", k.turns());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isNaN(value)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }
}
