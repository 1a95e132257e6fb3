package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.logfile.EventIds;
import io.noos.streams.otel.JsonValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Reads files of OpenTelemetry GenAI spans and log records ({@code .gz} accepted) into the envelopes
 * that replay feeds to the regulator.
 *
 * <p>Each file holds JSON values, one per line or pretty-printed over several lines (see
 * {@link JsonRecordReader}): spans and log records in any encoding an exporter writes, OTLP export
 * batches included ({@link RecordParser}). Spans and log records may come in any order, in one file
 * or spread over several. Each span is mapped by its shape ({@link SpanMapper}), the GenAI log
 * records are attached to their spans ({@link LogJoin}), the spans are grouped into conversations
 * and cut into turns ({@link TurnGrouper}), and each turn is assembled into time-ordered events
 * ({@link TurnAssembler}).
 *
 * <p>Envelopes: {@code user_id} from the user attribute, {@code session_id} the conversation id (or,
 * with {@link IngestOptions#sessionPerTrace()}, the trace id; else none, so a user's turns continue one
 * session), {@code agent_id} the agent id or name, {@code at_ms} the event time, and {@code event_id}
 * {@code <file>#<line>#<n>}: the file name without {@code .gz}, the line the span's JSON value
 * starts on, and the event's number among that line's events (from 1, in output order). Each
 * conversation's turns keep their order; turns of different conversations are interleaved by their
 * first event time (then by the order they were read); a turn's events stay together, so each user's
 * envelopes are in that user's event order.
 *
 * <p>Whatever cannot be mapped is counted in the {@link IngestReport}; nothing is dropped silently.
 * The inputs are held in memory as compact per-span facts plus the GenAI log records, since a
 * trace's user, or a span's log records, may come later in the input.
 */
public final class SpanFileIngest {
    private SpanFileIngest() {}

    /** Reads {@code file} with {@link IngestOptions#defaults()}. */
    public static IngestResult read(Path file) throws IOException {
        return read(List.of(file), IngestOptions.defaults());
    }

    /** Reads {@code file} with {@code options}. */
    public static IngestResult read(Path file, IngestOptions options) throws IOException {
        return read(List.of(file), options);
    }

    /**
     * Reads {@code files}, in this order, into envelopes: spans and their log records may be in any
     * of them.
     *
     * @throws IOException when a file cannot be read (a malformed record is counted, not thrown)
     */
    public static IngestResult read(List<Path> files, IngestOptions options) throws IOException {
        IngestReport.Builder report = new IngestReport.Builder();
        SpanMapper mapper = new SpanMapper(options, report);
        LogJoin logs = new LogJoin(options, report);
        List<SpanFacts> spans = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (Path file : files) {
            mapper.newFile();
            String label = uniqueLabel(EventIds.fileLabel(file), labels);
            long[] counts = new long[3];   // blank lines, spans, log records
            long lines = JsonRecordReader.read(file, new JsonRecordReader.Sink() {
                @Override
                public void value(JsonValue value, long line) {
                    Location location = new Location(label, line);
                    RecordParser.Records records = RecordParser.parse(value, location,
                            issue -> report.count(issue, location));
                    for (OtelSpan span : records.spans()) {
                        spans.add(mapper.map(span));
                    }
                    records.logs().forEach(logs::add);
                    counts[1] += records.spans().size();
                    counts[2] += records.logs().size();
                }

                @Override
                public void unparseable(long line) {
                    report.count(IngestIssue.UNPARSEABLE_LINE, new Location(label, line));
                }

                @Override
                public void blank() {
                    counts[0]++;
                }
            });
            report.inputs.add(new IngestReport.Input(file.toString(), lines, counts[0], counts[1], counts[2]));
        }
        List<SpanFacts> mapped = classify(logs.apply(spans), report);
        List<EventEnvelope> envelopes = envelopes(inOrder(turns(mapped, options, report)), report);
        return new IngestResult(envelopes, report.build());
    }

    /** The file's label, made unique among the inputs so that event ids stay unique. */
    private static String uniqueLabel(String label, Set<String> taken) {
        String unique = label;
        for (int n = 2; !taken.add(unique); n++) {
            unique = label + "~" + n;
        }
        return unique;
    }

    /**
     * Settles what each span is, now that its log records are in: a model call with neither content
     * nor usage maps to nothing (counted, unless it is an agent span that only names a user or
     * conversation); counts what the spans were used for.
     */
    private static List<SpanFacts> classify(List<SpanFacts> spans, IngestReport.Builder report) {
        List<SpanFacts> out = new ArrayList<>(spans.size());
        for (SpanFacts s : spans) {
            SpanFacts.Mapping m = s.mapping();
            if (m instanceof SpanFacts.Mapping.ModelCall call && call.content().isEmpty() && call.cost() == null) {
                s = s.with(new SpanFacts.Mapping.None(true), List.of(), s.conversationId());
                if (!s.evaluations().isEmpty()) {
                    report.modelCalls++;
                } else if (call.agent() && s.hasContext()) {
                    report.contextOnly++;
                } else {
                    report.count(IngestIssue.NO_MAPPABLE_CONTENT, s.location());
                    report.unmapped++;
                }
            } else if (m instanceof SpanFacts.Mapping.ModelCall call) {
                if (call.agent()) {
                    report.agentSpans++;
                } else {
                    report.modelCalls++;
                }
                CallContent c = call.content();
                report.countContentSource(c.inputSource() != CallContent.Source.NONE ? c.inputSource() : c.outputSource());
            } else if (m instanceof SpanFacts.Mapping.Reference reference) {
                report.referenceShape++;
                if (reference.events().isEmpty()) {
                    report.count(IngestIssue.NO_MAPPABLE_CONTENT, s.location());
                }
            } else if (m instanceof SpanFacts.Mapping.ToolExecution) {
                report.toolExecutions++;
            } else if (((SpanFacts.Mapping.None) m).genAi()) {
                if (!s.evaluations().isEmpty()) {
                    report.modelCalls++;
                } else {
                    report.count(IngestIssue.NO_MAPPABLE_CONTENT, s.location());
                    report.unmapped++;
                }
            } else if (s.hasContext()) {
                report.contextOnly++;
            } else {
                report.otherSpans++;
            }
            out.add(s);
        }
        return out;
    }

    private static List<List<TurnAssembler.Assembled>> turns(List<SpanFacts> spans, IngestOptions options,
                                                             IngestReport.Builder report) {
        Map<String, List<TurnAssembler.Assembled>> byConversation = new LinkedHashMap<>();
        for (TurnGrouper.Turn turn : TurnGrouper.group(spans, options, report)) {
            TurnAssembler.Assembled assembled = TurnAssembler.assemble(turn, options, report);
            if (assembled != null) {
                byConversation.computeIfAbsent(turn.conversation(), c -> new ArrayList<>()).add(assembled);
            }
        }
        return List.copyOf(byConversation.values());
    }

    /**
     * The turns of all conversations in one order: each conversation's in its own order, merged by
     * first event time (then by the order their first spans were read, then by user).
     */
    private static List<TurnAssembler.Assembled> inOrder(List<List<TurnAssembler.Assembled>> conversations) {
        Comparator<Next> order = Comparator.comparingLong((Next n) -> n.turn().firstNanos())
                .thenComparingLong(Next::firstSeq)
                .thenComparing(n -> n.turn().turn().user());
        PriorityQueue<Next> queue = new PriorityQueue<>(order);
        for (int c = 0; c < conversations.size(); c++) {
            queue.add(Next.of(conversations, c, 0));
        }
        List<TurnAssembler.Assembled> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            Next n = queue.poll();
            out.add(n.turn());
            if (n.index() + 1 < conversations.get(n.conversation()).size()) {
                queue.add(Next.of(conversations, n.conversation(), n.index() + 1));
            }
        }
        return out;
    }

    /** The next turn of a conversation, while the conversations are merged. */
    private record Next(int conversation, int index, TurnAssembler.Assembled turn, long firstSeq) {
        static Next of(List<List<TurnAssembler.Assembled>> conversations, int c, int i) {
            TurnAssembler.Assembled turn = conversations.get(c).get(i);
            return new Next(c, i, turn, turn.turn().spans().stream().mapToLong(SpanFacts::seq).min().orElseThrow());
        }
    }

    private static List<EventEnvelope> envelopes(List<TurnAssembler.Assembled> turns, IngestReport.Builder report) {
        List<EventEnvelope> out = new ArrayList<>();
        Map<Location, Integer> eventsPerLine = new HashMap<>();
        Map<String, Long> turnsPerUser = new LinkedHashMap<>();
        for (TurnAssembler.Assembled assembled : turns) {
            TurnGrouper.Turn turn = assembled.turn();
            for (TimedEvent e : assembled.events()) {
                int n = eventsPerLine.merge(e.location(), 1, Integer::sum);
                boolean start = e.event() instanceof AgentEvent.TurnStart;
                // a replay counts each turn_start as a turn, and the events before a user's first one as turn 0
                turnsPerUser.merge(turn.user(), start || !turnsPerUser.containsKey(turn.user()) ? 1L : 0L, Long::sum);
                out.add(new EventEnvelope(EventIds.derive(e.location().file(), e.location().line()) + "#" + n,
                        turn.user(), turn.agentId(), turn.sessionId(), e.atMs(), new EnvelopeEvent.Single(e.event())));
                report.countEvent(e.event().type());
            }
        }
        report.turns = turnsPerUser.values().stream().mapToLong(Long::longValue).sum();
        report.users = turnsPerUser.size();
        return out;
    }
}
