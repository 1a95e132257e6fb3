package io.noos.streams.otel.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Groups spans into turns: one per (user, trace).
 *
 * <p>A span's user is the first configured user attribute found on the span itself, else on its
 * resource, else on another span of the same trace (span attributes first, then resources, each in
 * file order), else the default user; a span without one is skipped. A turn's session is the
 * trace's {@code gen_ai.conversation.id} (of its earliest span that has one), else the trace id;
 * its agent the trace's {@code gen_ai.agent.id} or {@code gen_ai.agent.name}, likewise. Every span
 * takes part in these trace lookups, GenAI or not, mappable or not; only spans that map to
 * something are grouped. A span without a trace id is a trace of its own.
 */
final class TurnGrouper {

    /**
     * The spans of one user's trace.
     *
     * @param user      the user
     * @param sessionId the conversation id, else the trace id, else null
     * @param agentId   the agent id or name, or null
     * @param spans     the spans, in file order
     */
    record Group(String user, String sessionId, String agentId, List<SpanFacts> spans) {}

    private record Key(String user, String traceKey) {}

    /** What the spans of one trace say about all of it. */
    private record TraceInfo(String spanUser, String resourceUser, String conversationId, String agentId) {
        static TraceInfo of(List<SpanFacts> spans) {
            List<SpanFacts> byStart = new ArrayList<>(spans);
            byStart.sort(Comparator.comparingLong(SpanFacts::startNanos));   // stable: file order on ties
            return new TraceInfo(first(spans, SpanFacts::spanUser), first(spans, SpanFacts::resourceUser),
                    first(byStart, SpanFacts::conversationId), first(byStart, SpanFacts::agentId));
        }
    }

    private TurnGrouper() {}

    /** The groups in order of their first span in the file. */
    static List<Group> group(List<SpanFacts> spans, IngestOptions options, IngestReport.Builder report) {
        Map<String, List<SpanFacts>> byTrace = new HashMap<>();
        for (SpanFacts s : spans) {
            if (s.traceId() != null) {
                byTrace.computeIfAbsent(s.traceId(), t -> new ArrayList<>()).add(s);
            }
        }
        Map<String, TraceInfo> traces = new HashMap<>();
        Map<Key, Group> groups = new LinkedHashMap<>();
        for (SpanFacts s : spans) {
            if (!contributes(s)) {
                continue;
            }
            TraceInfo trace = s.traceId() == null ? TraceInfo.of(List.of(s))
                    : traces.computeIfAbsent(s.traceId(), t -> TraceInfo.of(byTrace.get(t)));
            String user = firstNonNull(s.spanUser(), s.resourceUser(), trace.spanUser(), trace.resourceUser());
            if (user == null) {
                report.count(IngestIssue.SPAN_WITHOUT_USER, s.line());
                user = options.defaultUser();
                if (user == null) {
                    continue;
                }
            }
            String traceKey = s.traceId();
            if (traceKey == null) {
                report.count(IngestIssue.SPAN_WITHOUT_TRACE_ID, s.line());
                traceKey = "\u0000" + s.line() + ":" + s.indexInLine();
            }
            String groupUser = user;
            groups.computeIfAbsent(new Key(user, traceKey), k -> new Group(groupUser,
                    firstNonNull(trace.conversationId(), s.traceId()), trace.agentId(), new ArrayList<>()))
                    .spans().add(s);
        }
        return List.copyOf(groups.values());
    }

    /** Whether the span maps to anything at all. */
    static boolean contributes(SpanFacts s) {
        return !(s.mapping() instanceof SpanFacts.Mapping.None) || !s.evaluations().isEmpty();
    }

    /** The first non-null value over the spans, in their order. */
    private static String first(List<SpanFacts> spans, Function<SpanFacts, String> value) {
        for (SpanFacts s : spans) {
            String v = value.apply(s);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String firstNonNull(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
