package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Maps one span to its {@link SpanFacts}: times, user and conversation candidates, agent id, and
 * what its shape gives. A span with a message event of the reference's shape
 * ({@code gen_ai.user.message} span events, ...) is mapped by the reference adapter; any other GenAI
 * span by the current conventions, as a tool execution, an agent invocation or a model call (whose
 * log records may add content later, see {@link LogJoin}).
 */
final class SpanMapper {
    private final IngestOptions options;
    private final IngestReport.Builder report;
    private long seq;
    private long lastTimeInFile;

    SpanMapper(IngestOptions options, IngestReport.Builder report) {
        this.options = options;
        this.report = report;
    }

    /** A new input file begins: times missing from its first spans are not taken from another file. */
    void newFile() {
        lastTimeInFile = 0;
    }

    SpanFacts map(OtelSpan span) {
        IssueSink issues = issue -> report.count(issue, span.location());
        boolean genAi = span.isGenAi() || CurrentShape.isTraceloopTool(span);
        long[] times = times(span, genAi ? issues : issue -> { });
        long start = times[0];
        long end = times[1];
        long durationMs = (end - start) / 1_000_000L;
        SpanFacts.Mapping mapping;
        List<SpanFacts.Evaluation> evaluations = List.of();
        if (!genAi) {
            mapping = new SpanFacts.Mapping.None(false);
        } else if (ReferenceShape.applies(span)) {
            mapping = new SpanFacts.Mapping.Reference(ReferenceShape.map(span, issues));
        } else {
            mapping = CurrentShape.isToolSpan(span)
                    ? CurrentShape.toolExecution(span, durationMs, issues)
                    : CurrentShape.modelCall(span, durationMs, CurrentShape.isAgentSpan(span), issues);
            evaluations = CurrentShape.evaluations(span, end, issues);
        }
        Map<String, JsonValue> a = span.attributes();
        String agentId = OtlpValues.id(a, "gen_ai.agent.id");
        return new SpanFacts(span.location(), span.indexInLine(), seq++, span.traceId(), span.spanId(), start, end,
                first(a, options.userAttributes()), first(span.resource(), options.userAttributes()),
                conversationId(span), first(span.resource(), options.conversationAttributes()),
                agentId != null ? agentId : OtlpValues.id(a, "gen_ai.agent.name"), OtlpValues.id(a, "gen_ai.response.id"),
                mapping, evaluations);
    }

    /** The span's conversation id: on its attributes, else on its operation-details events. */
    private String conversationId(OtelSpan span) {
        String id = first(span.attributes(), options.conversationAttributes());
        for (OtelSpan.Event e : span.events()) {
            if (id == null && CurrentShape.DETAILS_EVENT.equals(e.name())) {
                id = first(e.attributes(), options.conversationAttributes());
            }
        }
        return id;
    }

    /** The first of {@code keys} present in {@code attributes} as an id, or null. */
    static String first(Map<String, JsonValue> attributes, List<String> keys) {
        for (String key : keys) {
            String value = OtlpValues.id(attributes, key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * Start and end in nanoseconds. A missing or malformed one takes the other's value; without
     * either, the span takes the last time read before it in the same file (0 at its start), so it
     * keeps its place in the file's order; an end before the start is moved to the start. Each of
     * these is counted.
     */
    private long[] times(OtelSpan span, IssueSink issues) {
        OptionalLong start = OtlpValues.nanos(span.startTime());
        OptionalLong end = OtlpValues.nanos(span.endTime());
        if (start.isEmpty() || end.isEmpty() || end.getAsLong() < start.getAsLong()) {
            issues.count(IngestIssue.INVALID_SPAN_TIMES);
        }
        long s = start.orElse(end.orElse(lastTimeInFile));
        long e = Math.max(s, end.orElse(s));
        lastTimeInFile = e;
        return new long[] {s, e};
    }
}
