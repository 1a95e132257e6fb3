package io.noos.streams.otel.ingest;

import io.noos.streams.otel.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Maps one span to its {@link SpanFacts}: times, user candidates, conversation and agent ids, and
 * the events of its shape. The shape is decided per span: one with a message event of the old
 * conventions ({@code gen_ai.user.message}, ...) is mapped by the reference adapter, any other
 * GenAI span by the current conventions.
 */
final class SpanMapper {
    private final IngestOptions options;
    private final IngestReport.Builder report;

    SpanMapper(IngestOptions options, IngestReport.Builder report) {
        this.options = options;
        this.report = report;
    }

    SpanFacts map(OtelSpan span) {
        IssueSink issues = issue -> report.count(issue, span.line());
        report.spans++;
        boolean genAi = span.isGenAi();
        long[] times = times(span, genAi ? issues : issue -> { });
        long start = times[0];
        long end = times[1];
        long durationMs = (end - start) / 1_000_000L;
        SpanFacts.Mapping mapping = new SpanFacts.Mapping.None();
        List<SpanFacts.Evaluation> evaluations = List.of();
        if (!genAi) {
            issues.count(IngestIssue.NOT_GENAI_SPAN);
        } else if (ReferenceShape.applies(span)) {
            report.oldShapeSpans++;
            mapping = new SpanFacts.Mapping.Reference(ReferenceShape.map(span, issues));
            if (((SpanFacts.Mapping.Reference) mapping).events().isEmpty()) {
                issues.count(IngestIssue.NO_MAPPABLE_CONTENT);
            }
        } else {
            report.newShapeSpans++;
            mapping = CurrentShape.isToolSpan(span)
                    ? CurrentShape.toolExecution(span, durationMs, issues)
                    : CurrentShape.modelCall(span, durationMs, CurrentShape.isAgentSpan(span), issues);
            evaluations = CurrentShape.evaluations(span, end, issues);
            if (mapping instanceof SpanFacts.Mapping.None && evaluations.isEmpty()) {
                issues.count(IngestIssue.NO_MAPPABLE_CONTENT);
            }
        }
        Map<String, JsonValue> a = span.attributes();
        String agentId = OtlpValues.id(a, "gen_ai.agent.id");
        return new SpanFacts(span.line(), span.indexInLine(), span.traceId(), start, end,
                user(a), user(span.resource()), OtlpValues.id(a, "gen_ai.conversation.id"),
                agentId != null ? agentId : OtlpValues.id(a, "gen_ai.agent.name"), mapping, evaluations);
    }

    /** The first configured user attribute present in {@code attributes}, or null. */
    private String user(Map<String, JsonValue> attributes) {
        for (String key : options.userAttributes()) {
            String user = OtlpValues.id(attributes, key);
            if (user != null) {
                return user;
            }
        }
        return null;
    }

    /**
     * Start and end in nanoseconds. A missing or malformed one takes the other's value (0 when both
     * are), an end before the start is moved to the start; each of these is counted.
     */
    private static long[] times(OtelSpan span, IssueSink issues) {
        OptionalLong start = OtlpValues.nanos(span.startTime());
        OptionalLong end = OtlpValues.nanos(span.endTime());
        if (start.isEmpty() || end.isEmpty() || end.getAsLong() < start.getAsLong()) {
            issues.count(IngestIssue.INVALID_SPAN_TIMES);
        }
        long s = start.orElse(end.orElse(0));
        long e = end.orElse(s);
        return new long[] {s, Math.max(s, e)};
    }
}
