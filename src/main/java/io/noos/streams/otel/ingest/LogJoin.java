package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.otel.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attaches GenAI log records to the spans they were emitted in, by trace and span id (a
 * {@code gen_ai.evaluation.result} record without them, by {@code gen_ai.response.id}), whatever
 * file or line each came on, and merges what they say into the span's mapping:
 *
 * <ul>
 *   <li>the older conventions' per-message events: the {@code gen_ai.*.message} records, in time
 *       order (the file's order on ties), are the call's input history; the {@code gen_ai.choice}
 *       record with the lowest index is its output;
 *   <li>{@code gen_ai.client.inference.operation.details}: input and output messages, usage, finish
 *       reasons, conversation id, as on a span;
 *   <li>{@code gen_ai.evaluation.result}: a quality score for the span.
 * </ul>
 *
 * Content on the span itself wins over content from its records, operation details over message
 * events; usage on the span wins over usage on its records. Records of a span that is not a model
 * call or agent span (a tool span, a reference-shape span) are counted as unread, except
 * evaluations. Records that match no span are counted ({@link IngestIssue#LOG_WITHOUT_SPAN}).
 */
final class LogJoin {
    private static final Comparator<OtelLog> BY_TIME = Comparator.comparingLong(l -> OtlpValues.nanos(l.time()).orElse(0));

    private final IngestOptions options;
    private final IngestReport.Builder report;
    private final Map<String, List<OtelLog>> bySpan = new HashMap<>();
    private final List<OtelLog> withoutSpanId = new ArrayList<>();

    LogJoin(IngestOptions options, IngestReport.Builder report) {
        this.options = options;
        this.report = report;
    }

    /** Takes one record: GenAI events are kept for their span, the rest only counted. */
    void add(OtelLog log) {
        report.logRecords++;
        if (!log.isGenAi()) {
            report.otherLogRecords++;
            return;
        }
        String name = log.eventName();
        if (!EventMessages.isMessage(name) && !EventMessages.CHOICE.equals(name)
                && !CurrentShape.DETAILS_EVENT.equals(name) && !CurrentShape.EVALUATION_EVENT.equals(name)) {
            report.count(IngestIssue.UNREAD_EVENT, log.location());
            return;
        }
        if (log.traceId() == null || log.spanId() == null) {
            withoutSpanId.add(log);
        } else {
            bySpan.computeIfAbsent(key(log.traceId(), log.spanId()), k -> new ArrayList<>()).add(log);
        }
    }

    /** The spans with their records merged in; counts the records left over. */
    List<SpanFacts> apply(List<SpanFacts> spans) {
        Map<String, Integer> byResponseId = new HashMap<>();
        Map<Integer, List<OtelLog>> logsOf = new TreeMap<>();
        for (int i = 0; i < spans.size(); i++) {
            SpanFacts s = spans.get(i);
            if (s.responseId() != null) {
                byResponseId.putIfAbsent(s.responseId(), i);
            }
            List<OtelLog> logs = s.traceId() == null || s.spanId() == null ? null
                    : bySpan.remove(key(s.traceId(), s.spanId()));
            if (logs != null) {
                logsOf.put(i, logs);
            }
        }
        List<OtelLog> unmatched = new ArrayList<>(withoutSpanId);
        bySpan.values().forEach(unmatched::addAll);
        for (OtelLog log : unmatched) {
            String responseId = OtlpValues.id(log.attributes(), "gen_ai.response.id");
            Integer span = responseId == null || !CurrentShape.EVALUATION_EVENT.equals(log.eventName())
                    ? null : byResponseId.get(responseId);
            if (span == null) {
                report.count(IngestIssue.LOG_WITHOUT_SPAN, log.location());
            } else {
                logsOf.computeIfAbsent(span, i -> new ArrayList<>()).add(log);
            }
        }
        List<SpanFacts> out = new ArrayList<>(spans);
        logsOf.forEach((i, logs) -> out.set(i, merge(spans.get(i), logs)));
        report.logRecordsAttached = logsOf.values().stream().mapToLong(List::size).sum();
        return out;
    }

    private SpanFacts merge(SpanFacts span, List<OtelLog> logs) {
        List<OtelLog> ordered = new ArrayList<>(logs);
        ordered.sort(BY_TIME);   // stable: the order read on equal times
        List<ChatMessage> history = new ArrayList<>();
        TreeMap<Long, ChatMessage> choices = new TreeMap<>();
        List<String> finishReasons = new ArrayList<>();
        CallContent details = CallContent.EMPTY;
        AgentEvent.Cost detailsCost = null;
        String conversationId = span.conversationId();
        List<SpanFacts.Evaluation> evaluations = new ArrayList<>();
        boolean modelSpan = span.mapping() instanceof SpanFacts.Mapping.ModelCall
                || span.mapping() instanceof SpanFacts.Mapping.None none && !none.genAi();
        for (OtelLog log : ordered) {
            IssueSink issues = issue -> report.count(issue, log.location());
            String name = log.eventName();
            if (CurrentShape.EVALUATION_EVENT.equals(name)) {
                SpanFacts.Evaluation e = CurrentShape.evaluation(log.attributes(), log.time(), span.endNanos(), issues);
                if (e != null) {
                    evaluations.add(e);
                }
            } else if (!modelSpan) {
                issues.count(IngestIssue.UNREAD_EVENT);
            } else if (EventMessages.isMessage(name)) {
                history.add(EventMessages.message(log, issues));
            } else if (EventMessages.CHOICE.equals(name)) {
                choices.putIfAbsent(EventMessages.choiceIndex(log), EventMessages.choice(log, issues));
                String reason = EventMessages.finishReason(log);
                if (reason != null) {
                    finishReasons.add(reason);
                }
            } else {   // operation details
                Map<String, JsonValue> a = log.attributes();
                details = details.orElse(CurrentShape.messages(a, CallContent.Source.DETAILS_EVENT, issues));
                if (detailsCost == null) {
                    detailsCost = CurrentShape.cost(a, span.durationMs(), issues);
                }
                finishReasons.addAll(CurrentShape.finishReasons(a));
                if (conversationId == null) {
                    conversationId = SpanMapper.first(a, options.conversationAttributes());
                }
            }
        }
        SpanFacts.Mapping mapping = span.mapping();
        if (modelSpan) {
            CallContent events = new CallContent(history.isEmpty() ? null : history,
                    history.isEmpty() ? CallContent.Source.NONE : CallContent.Source.MESSAGE_EVENTS,
                    choices.isEmpty() ? null : choices.firstEntry().getValue(),
                    choices.isEmpty() ? CallContent.Source.NONE : CallContent.Source.MESSAGE_EVENTS);
            CallContent fromLogs = details.orElse(events).compact();
            if (mapping instanceof SpanFacts.Mapping.ModelCall call) {
                mapping = new SpanFacts.Mapping.ModelCall(call.agent(), call.content().orElse(fromLogs),
                        call.cost() != null ? call.cost() : detailsCost,
                        call.finishReasons().isEmpty() ? finishReasons : call.finishReasons());
            } else if (!fromLogs.isEmpty() || detailsCost != null) {
                mapping = new SpanFacts.Mapping.ModelCall(false, fromLogs, detailsCost, finishReasons);
            }
        }
        return span.with(mapping, evaluations, conversationId);
    }

    private static String key(String traceId, String spanId) {
        return traceId + "/" + spanId;
    }
}
