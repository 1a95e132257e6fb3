package io.noos.streams.otel.ingest;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.otel.JsonValue;
import io.noos.streams.logfile.EventIds;
import io.noos.streams.logfile.RawLineReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON Lines file of OpenTelemetry GenAI spans ({@code .gz} accepted) into the envelopes
 * that replay feeds to the regulator.
 *
 * <p>Each line holds one span (SDK dict form or OTLP/JSON span) or one OTLP export batch
 * ({@code resourceSpans}). Spans are grouped into turns per user and trace ({@link TurnGrouper}),
 * each span is mapped with the old shape's reference mapping or the current conventions
 * ({@link SpanMapper}), and each turn is assembled into time-ordered events ({@link TurnAssembler}).
 *
 * <p>Envelopes: {@code user_id} from the user attribute, {@code session_id} the trace's
 * {@code gen_ai.conversation.id} or else its trace id, {@code agent_id} the trace's
 * {@code gen_ai.agent.id} or {@code gen_ai.agent.name}, {@code at_ms} the event time, and
 * {@code event_id} {@code <file>#<line>#<n>}: the file name without {@code .gz}, the line of the span
 * the event came from, and the event's number among that line's events (from 1, in output order).
 * Turns are ordered by their first event time (then first line, then user); a turn's events stay
 * together, so each user's envelopes are in that user's event order.
 *
 * <p>Whatever cannot be mapped is counted in the {@link IngestReport}; nothing is dropped silently.
 * The whole file is held in memory as compact per-span facts (the JSON of a line is dropped once it
 * is mapped), since a trace's user may be named on a span later in the file.
 */
public final class SpanFileIngest {
    private SpanFileIngest() {}

    /** Reads {@code file} with {@link IngestOptions#defaults()}. */
    public static IngestResult read(Path file) throws IOException {
        return read(file, IngestOptions.defaults());
    }

    /**
     * Reads {@code file} into envelopes.
     *
     * @throws IOException when the file cannot be read (a malformed line is counted, not thrown)
     */
    public static IngestResult read(Path file, IngestOptions options) throws IOException {
        IngestReport.Builder report = new IngestReport.Builder();
        SpanMapper mapper = new SpanMapper(options, report);
        List<SpanFacts> spans = new ArrayList<>();
        try (RawLineReader in = RawLineReader.open(file)) {
            for (byte[] bytes; (bytes = in.next()) != null; ) {
                report.lines++;
                long line = in.lineNumber();
                if (RawLineReader.isBlank(bytes)) {
                    report.blankLines++;
                    continue;
                }
                JsonValue value = parse(bytes);
                if (value == null) {
                    report.count(IngestIssue.UNPARSEABLE_LINE, line);
                    continue;
                }
                for (OtelSpan span : SpanLineParser.parse(value, line, issue -> report.count(issue, line))) {
                    spans.add(mapper.map(span));
                }
            }
        }
        List<EventEnvelope> envelopes = envelopes(turns(spans, options, report), EventIds.fileLabel(file), report);
        return new IngestResult(envelopes, report.build());
    }

    private static List<TurnAssembler.Turn> turns(List<SpanFacts> spans, IngestOptions options,
                                                  IngestReport.Builder report) {
        List<TurnAssembler.Turn> turns = new ArrayList<>();
        for (TurnGrouper.Group group : TurnGrouper.group(spans, options, report)) {
            TurnAssembler.Turn turn = TurnAssembler.assemble(group, options, report);
            if (turn != null) {
                turns.add(turn);
            }
        }
        turns.sort(Comparator.comparingLong(TurnAssembler.Turn::firstNanos)
                .thenComparingLong(TurnAssembler.Turn::firstLine)
                .thenComparing(TurnAssembler.Turn::user));
        return turns;
    }

    private static List<EventEnvelope> envelopes(List<TurnAssembler.Turn> turns, String fileLabel,
                                                 IngestReport.Builder report) {
        List<EventEnvelope> out = new ArrayList<>();
        Map<Long, Integer> eventsPerLine = new HashMap<>();
        Set<String> users = new HashSet<>();
        for (TurnAssembler.Turn turn : turns) {
            users.add(turn.user());
            for (TimedEvent e : turn.events()) {
                int n = eventsPerLine.merge(e.line(), 1, Integer::sum);
                out.add(new EventEnvelope(EventIds.derive(fileLabel, e.line()) + "#" + n, turn.user(), turn.agentId(),
                        turn.sessionId(), e.atMs(), new EnvelopeEvent.Single(e.event()), e.model(), e.reportedCost()));
                report.countEvent(e.event().type());
            }
        }
        report.turns = turns.size();
        report.users = users.size();
        return out;
    }

    /** The line as a JSON value, or null when it is not UTF-8 or not one well-formed JSON value. */
    private static JsonValue parse(byte[] bytes) {
        try {
            return JsonValue.parse(Utf8.decode(bytes));
        } catch (InvalidEventException e) {
            return null;
        }
    }

}
