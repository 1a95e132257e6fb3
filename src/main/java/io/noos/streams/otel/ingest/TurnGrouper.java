package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Groups spans into conversations and cuts each conversation into turns.
 *
 * <p><b>Who and which conversation.</b> A span's user is the first configured user attribute found
 * on the span itself, else on its resource, else on another span of its trace (span attributes
 * first, then resources, each in file order); a tool span without one takes the user of the model
 * call that requested it (same {@code gen_ai.tool.call.id}); else the user of its conversation (the
 * first span naming both a user and that conversation id); else the default user; else it is skipped.
 * Its conversation is its own conversation id, else its trace's (the earliest span of the trace that
 * has one: baggage may reach only the spans started after it was set), else its resource's, else its
 * trace's resources'; a tool span without one takes its model call's. A span without a trace id is a
 * trace of its own. A conversation is (user, conversation id); spans without a conversation id
 * continue their user's one conversation, or, with {@link IngestOptions#sessionPerTrace()}, form one
 * per trace.
 *
 * <p><b>Turns.</b> A turn is a user's new question, wherever the spans put it. In a conversation's
 * spans, in start order:
 *
 * <ol>
 *   <li>a model call or agent span whose newest user message is not yet in the conversation's history
 *       (see {@link CallContent#userMessageIdentities()}) starts a turn; a message seen before (the
 *       history that every call of an agent loop repeats) does not. Every user message of a call's
 *       input joins the history. A reference-shape span with a user message starts a turn too (the
 *       reference maps one span to one turn);
 *   <li>without any user message in the whole conversation (content capture off), a model call
 *       starts a turn when it is the first, or when the model call before it finished without asking
 *       for tools, or (finish unknown) when it is in another trace;
 *   <li>every other span belongs to a turn: a tool span to the turn of the model call that requested
 *       it; else a span whose trace has turn starts to the last of them that started before it (the
 *       first one if none did); else the last turn started before it in the conversation; else to the
 *       turn before the first question (events without a {@code turn_start}).
 * </ol>
 */
final class TurnGrouper {

    /**
     * One turn of a conversation.
     *
     * @param user             the user
     * @param sessionId        the conversation id, else the trace id with {@link IngestOptions#sessionPerTrace()},
     *                         else null
     * @param agentId          the agent id or name of its first span that has one, or null
     * @param conversation     the conversation's key (user and conversation)
     * @param order            its position in the conversation (from 0)
     * @param starter          the span that starts it, or null before the first question
     * @param startText        the new user message's text ("" when not captured), or null for a turn without
     *                         one (before the first question, or content capture off)
     * @param withoutText      whether the new user message had no captured text
     * @param referenceStart   whether a reference-shape span starts it (its own turn_start is used)
     * @param spans            its spans, in start order
     */
    record Turn(String user, String sessionId, String agentId, String conversation, int order, SpanFacts starter,
                String startText, boolean withoutText, boolean referenceStart, List<SpanFacts> spans) {}

    /** Where a span belongs. */
    private record Placed(SpanFacts span, String user, String conversationId, String agentId, String traceKey) {}

    /** What the spans of one trace say about all of it. */
    private record TraceInfo(String spanUser, String resourceUser, String conversationId,
                             String resourceConversationId, String agentId) {
        static TraceInfo of(List<SpanFacts> spans) {
            List<SpanFacts> byStart = new ArrayList<>(spans);
            byStart.sort(Comparator.comparingLong(SpanFacts::startNanos));   // stable: file order on ties
            return new TraceInfo(first(spans, SpanFacts::spanUser), first(spans, SpanFacts::resourceUser),
                    first(byStart, SpanFacts::conversationId), first(spans, SpanFacts::resourceConversationId),
                    first(byStart, SpanFacts::agentId));
        }
    }

    static final Comparator<SpanFacts> BY_START =
            Comparator.comparingLong(SpanFacts::startNanos).thenComparingLong(SpanFacts::seq);

    private final IngestOptions options;
    private final IngestReport.Builder report;
    private final Map<String, String> userOfConversation = new HashMap<>();   // the first span's that names both

    private TurnGrouper(IngestOptions options, IngestReport.Builder report) {
        this.options = options;
        this.report = report;
    }

    /** The turns of every conversation, each conversation's in order. */
    static List<Turn> group(List<SpanFacts> spans, IngestOptions options, IngestReport.Builder report) {
        return new TurnGrouper(options, report).group(spans);
    }

    private List<Turn> group(List<SpanFacts> spans) {
        Map<String, List<SpanFacts>> byTrace = new HashMap<>();
        for (SpanFacts s : spans) {
            if (s.traceId() != null) {
                byTrace.computeIfAbsent(s.traceId(), t -> new ArrayList<>()).add(s);
            }
        }
        for (SpanFacts s : spans) {
            String user = firstNonNull(s.spanUser(), s.resourceUser());
            String conversation = firstNonNull(s.conversationId(), s.resourceConversationId());
            if (user != null && conversation != null) {
                userOfConversation.putIfAbsent(conversation, user);
            }
        }
        Map<String, TraceInfo> traces = new HashMap<>();
        Map<String, Placed> requesters = new HashMap<>();   // tool call id -> the model call asking for it
        List<SpanFacts> tools = new ArrayList<>();
        Map<String, List<Placed>> conversations = new LinkedHashMap<>();
        for (SpanFacts s : spans) {
            if (!s.contributes()) {
                continue;
            }
            if (s.traceId() == null) {
                report.count(IngestIssue.SPAN_WITHOUT_TRACE_ID, s.location());
            }
            if (s.mapping() instanceof SpanFacts.Mapping.ToolExecution) {
                tools.add(s);   // placed once every model call is, so it can follow its requester
                continue;
            }
            TraceInfo trace = s.traceId() == null ? TraceInfo.of(List.of(s))
                    : traces.computeIfAbsent(s.traceId(), t -> TraceInfo.of(byTrace.get(t)));
            Placed placed = place(s, trace, null);
            if (placed != null) {
                conversations.computeIfAbsent(conversationKey(placed), k -> new ArrayList<>()).add(placed);
                if (s.mapping() instanceof SpanFacts.Mapping.ModelCall call && call.content().output() != null) {
                    for (ChatMessage.ToolCallPart part : call.content().output().toolCalls()) {
                        if (part.id() != null) {
                            requesters.putIfAbsent(part.id(), placed);
                        }
                    }
                }
            }
        }
        for (SpanFacts s : tools) {
            TraceInfo trace = s.traceId() == null ? TraceInfo.of(List.of(s))
                    : traces.computeIfAbsent(s.traceId(), t -> TraceInfo.of(byTrace.get(t)));
            String callId = ((SpanFacts.Mapping.ToolExecution) s.mapping()).callId();
            Placed placed = place(s, trace, callId == null ? null : requesters.get(callId));
            if (placed != null) {
                conversations.computeIfAbsent(conversationKey(placed), k -> new ArrayList<>()).add(placed);
            }
        }
        List<Turn> turns = new ArrayList<>();
        conversations.forEach((key, placed) -> turns.addAll(new Segmenter(key, placed).turns()));
        report.conversations = conversations.size();
        return turns;
    }

    /** The span's user, conversation and agent, or null (counted) when it has no user. */
    private Placed place(SpanFacts s, TraceInfo trace, Placed requester) {
        String conversation = firstNonNull(s.conversationId(), trace.conversationId(), s.resourceConversationId(),
                trace.resourceConversationId(), requester == null ? null : requester.conversationId());
        String user = firstNonNull(s.spanUser(), s.resourceUser(), trace.spanUser(), trace.resourceUser(),
                requester == null ? null : requester.user(),
                conversation == null ? null : userOfConversation.get(conversation));
        if (user == null) {
            report.count(IngestIssue.SPAN_WITHOUT_USER, s.location());
            user = options.defaultUser();
            if (user == null) {
                return null;
            }
        }
        String traceKey = s.traceId() != null ? s.traceId() : "\u0000" + s.seq();
        return new Placed(s, user, conversation, firstNonNull(trace.agentId(), s.agentId()), traceKey);
    }

    private String conversationKey(Placed p) {
        String conversation = p.conversationId() != null ? "c:" + p.conversationId()
                : options.sessionPerTrace() ? "t:" + p.traceKey() : "";
        return p.user() + "\u0000" + conversation;
    }

    /** Cuts one conversation into turns. */
    private final class Segmenter {
        private final String key;
        private final List<Placed> spans;
        private final List<Segment> segments = new ArrayList<>();
        private Segment beforeFirstQuestion;

        /** A turn being built. */
        private final class Segment {
            final int position;   // of its starter in the conversation's start order; -1 before the first question
            final SpanFacts starter;
            final String startText;
            final boolean withoutText;
            final boolean reference;
            final List<Placed> members = new ArrayList<>();

            Segment(int position, String startText, boolean withoutText, boolean reference) {
                this.position = position;
                this.starter = position < 0 ? null : spans.get(position).span();
                this.startText = startText;
                this.withoutText = withoutText;
                this.reference = reference;
            }
        }

        Segmenter(String key, List<Placed> placed) {
            this.key = key;
            this.spans = new ArrayList<>(placed);
            this.spans.sort(Comparator.comparing(Placed::span, BY_START));
        }

        List<Turn> turns() {
            Map<SpanFacts, Segment> segmentOf = new IdentityHashMap<>();   // records hash all their content
            Map<String, List<Segment>> startsByTrace = new HashMap<>();
            findStarts(segmentOf, startsByTrace);
            Map<String, Segment> byCallId = new HashMap<>();
            for (int pass = 0; pass < 2; pass++) {   // tool spans after the model calls they may follow
                for (int i = 0; i < spans.size(); i++) {
                    Placed p = spans.get(i);
                    boolean tool = p.span().mapping() instanceof SpanFacts.Mapping.ToolExecution;
                    if (segmentOf.containsKey(p.span()) || tool != (pass == 1)) {
                        continue;
                    }
                    Segment segment = tool ? requestersSegment(p, byCallId) : null;
                    if (segment == null) {
                        segment = inTrace(startsByTrace.get(p.traceKey()), i);
                    }
                    if (segment == null) {
                        segment = lastStartedBefore(i);
                    }
                    if (segment == null) {
                        if (beforeFirstQuestion == null) {
                            beforeFirstQuestion = new Segment(-1, null, false, false);
                        }
                        segment = beforeFirstQuestion;
                    }
                    segmentOf.put(p.span(), segment);
                    if (!tool) {
                        indexRequests(p, segment, byCallId);
                    }
                }
            }
            for (Placed p : spans) {
                segmentOf.get(p.span()).members.add(p);
            }
            List<Segment> ordered = new ArrayList<>();
            if (beforeFirstQuestion != null) {
                ordered.add(beforeFirstQuestion);
            }
            ordered.addAll(segments);
            List<Turn> turns = new ArrayList<>();
            for (Segment s : ordered) {
                Placed first = s.members.get(0);
                String agent = s.members.stream().map(Placed::agentId).filter(a -> a != null).findFirst().orElse(null);
                String session = first.conversationId() != null ? first.conversationId()
                        : options.sessionPerTrace() ? first.span().traceId() : null;
                turns.add(new Turn(first.user(), session, agent, key, turns.size(), s.starter, s.startText, s.withoutText,
                        s.reference, s.members.stream().map(Placed::span).toList()));
            }
            return turns;
        }

        /** Marks the spans that start a turn (rules 1 and 2 of the class description). */
        private void findStarts(Map<SpanFacts, Segment> segmentOf, Map<String, List<Segment>> startsByTrace) {
            boolean anyUserMessage = spans.stream().anyMatch(p -> hasUserMessages(p.span()));
            Set<String> history = new HashSet<>();
            SpanFacts previousCall = null;
            String previousTrace = null;
            for (int i = 0; i < spans.size(); i++) {
                Placed p = spans.get(i);
                SpanFacts s = p.span();
                Segment start = null;
                if (s.mapping() instanceof SpanFacts.Mapping.Reference reference && reference.startsTurn()) {
                    String text = ((AgentEvent.TurnStart) reference.events().get(0)).userMessage();
                    history.add("0\u0000" + text);
                    start = new Segment(i, text, false, true);
                } else if (s.mapping() instanceof SpanFacts.Mapping.ModelCall call) {
                    if (anyUserMessage) {
                        List<String> identities = call.content().userMessageIdentities();
                        if (!identities.isEmpty() && !history.contains(identities.get(identities.size() - 1))) {
                            ChatMessage latest = call.content().latestUserMessage();
                            start = new Segment(i, latest.text() == null ? "" : latest.text(), latest.text() == null,
                                    false);
                        }
                        history.addAll(identities);
                    } else if (previousCall == null || startsAfter(previousCall, previousTrace, p.traceKey())) {
                        start = new Segment(i, null, false, false);
                    }
                    previousCall = s;
                    previousTrace = p.traceKey();
                }
                if (start != null) {
                    segments.add(start);
                    segmentOf.put(s, start);
                    startsByTrace.computeIfAbsent(p.traceKey(), t -> new ArrayList<>()).add(start);
                }
            }
        }

        private boolean hasUserMessages(SpanFacts s) {
            return s.mapping() instanceof SpanFacts.Mapping.Reference r && r.startsTurn()
                    || s.mapping() instanceof SpanFacts.Mapping.ModelCall call
                            && !call.content().userMessageIdentities().isEmpty();
        }

        /** Rule 2: whether a call without content starts a turn after {@code previous}. */
        private boolean startsAfter(SpanFacts previous, String previousTrace, String trace) {
            SpanFacts.Mapping.ModelCall call = (SpanFacts.Mapping.ModelCall) previous.mapping();
            boolean finishKnown = !call.finishReasons().isEmpty() || call.content().output() != null;
            return finishKnown ? !call.finishedForTools() : !previousTrace.equals(trace);
        }

        private void indexRequests(Placed p, Segment segment, Map<String, Segment> byCallId) {
            if (p.span().mapping() instanceof SpanFacts.Mapping.ModelCall call && call.content().output() != null) {
                for (ChatMessage.ToolCallPart part : call.content().output().toolCalls()) {
                    if (part.id() != null) {
                        byCallId.putIfAbsent(part.id(), segment);
                    }
                }
            }
        }

        private Segment requestersSegment(Placed p, Map<String, Segment> byCallId) {
            String callId = ((SpanFacts.Mapping.ToolExecution) p.span().mapping()).callId();
            return callId == null ? null : byCallId.get(callId);
        }

        /** The last start of the span's trace at or before position {@code i}, else the trace's first. */
        private Segment inTrace(List<Segment> starts, int i) {
            if (starts == null) {
                return null;
            }
            Segment found = lastAtOrBefore(starts, i);
            return found != null ? found : starts.get(0);
        }

        private Segment lastStartedBefore(int i) {
            return lastAtOrBefore(segments, i);
        }

        /** The last of {@code starts} (in position order) at or before position {@code i}, or null. */
        private static Segment lastAtOrBefore(List<Segment> starts, int i) {
            int low = 0;
            int high = starts.size() - 1;
            Segment found = null;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (starts.get(mid).position <= i) {
                    found = starts.get(mid);
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return found;
        }
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
