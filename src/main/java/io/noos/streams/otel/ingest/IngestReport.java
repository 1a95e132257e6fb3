package io.noos.streams.otel.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What span and log files held, what they were mapped to, and why anything was not.
 *
 * @param inputs         each input file, in the order given
 * @param spans          what the spans were used for
 * @param logs           what the log records were used for
 * @param contentSources model calls and agent spans per source of their messages
 *                       ({@link CallContent.Source} labels; {@code none} without content)
 * @param tools          how tool calls were counted
 * @param conversations  conversations (user and conversation id, or user alone) with at least one span
 * @param turns          (user, turn index) pairs the envelopes give, counted as a replay counts them: each
 *                       user's turn_starts, plus one when the user's first event is not a turn_start
 * @param users          users that received at least one envelope
 * @param eventsByType   envelopes per event type tag, sorted by tag
 * @param issues         occurrences per issue (only issues that occurred), in declaration order
 * @param examples       for each issue that occurred, the first few places where it did
 */
public record IngestReport(List<Input> inputs, SpanUse spans, LogUse logs, Map<String, Long> contentSources,
                           ToolCounts tools, long conversations, long turns, long users,
                           Map<String, Long> eventsByType, Map<IngestIssue, Long> issues,
                           Map<IngestIssue, List<Location>> examples) {

    /** How many places {@link #examples()} keeps per issue. */
    public static final int EXAMPLES_PER_ISSUE = 5;

    /**
     * One input file.
     *
     * @param file       its name as given
     * @param lines      lines read, blank ones included
     * @param blankLines blank lines (skipped, not an issue)
     * @param spans      spans read (a batch counts each of its spans)
     * @param logRecords log records read
     */
    public record Input(String file, long lines, long blankLines, long spans, long logRecords) {}

    /**
     * What the spans were used for; every span is counted once.
     *
     * @param modelCalls     model call spans that gave events
     * @param agentSpans     agent invocation spans that gave events
     * @param toolExecutions tool execution spans that gave events
     * @param referenceShape spans mapped with the reference's event-based mapping
     * @param contextOnly    spans giving no event but naming a user, conversation or agent for others
     *                       (application spans, an {@code invoke_agent} span without usage)
     * @param unmapped       GenAI spans with nothing to map (counted as issues)
     * @param other          spans that are not GenAI and name nothing (not used)
     */
    public record SpanUse(long modelCalls, long agentSpans, long toolExecutions, long referenceShape, long contextOnly,
                          long unmapped, long other) {
        public long total() {
            return modelCalls + agentSpans + toolExecutions + referenceShape + contextOnly + unmapped + other;
        }
    }

    /**
     * What the log records were used for.
     *
     * @param read     log records read
     * @param attached GenAI events attached to their spans
     * @param notGenAi records that are not GenAI events (application logs; not used)
     */
    public record LogUse(long read, long attached, long notGenAi) {}

    /**
     * How tool calls were counted: each once.
     *
     * @param joined       tool spans joined with the model's request for them (by call id, or by tool name)
     * @param spanOnly     tool spans without a matching request
     * @param requestOnly  model requests for a tool without a tool span (a tool_call without a tool_result)
     */
    public record ToolCounts(long joined, long spanOnly, long requestOnly) {}

    public IngestReport {
        inputs = List.copyOf(inputs);
        contentSources = Collections.unmodifiableMap(new LinkedHashMap<>(contentSources));
        eventsByType = Collections.unmodifiableMap(new TreeMap<>(eventsByType));
        issues = Collections.unmodifiableMap(issues.isEmpty() ? Map.of() : new EnumMap<>(issues));
        Map<IngestIssue, List<Location>> copy = new LinkedHashMap<>();
        examples.forEach((issue, places) -> copy.put(issue, List.copyOf(places)));
        examples = Collections.unmodifiableMap(copy);
    }

    /** Occurrences of {@code issue}; 0 when it never occurred. */
    public long count(IngestIssue issue) {
        return issues.getOrDefault(issue, 0L);
    }

    /** Envelopes produced. */
    public long envelopes() {
        return eventsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Lines read over all inputs. */
    public long lines() {
        return inputs.stream().mapToLong(Input::lines).sum();
    }

    /** Blank lines over all inputs. */
    public long blankLines() {
        return inputs.stream().mapToLong(Input::blankLines).sum();
    }

    /** The input files' names, comma-separated. */
    public String inputNames() {
        return inputs.stream().map(Input::file).collect(Collectors.joining(", "));
    }

    /**
     * A summary for people: what was read and what it became, then one line per issue,
     * {@code   span_without_user: 3 (spans.jsonl:4, spans.jsonl:9) - <description>}.
     */
    public String describe() {
        String nl = System.lineSeparator();
        StringBuilder s = new StringBuilder();
        s.append("read ").append(inputs.stream()
                .map(i -> i.file() + " (" + i.lines() + " lines: " + i.spans() + " spans, " + i.logRecords()
                        + " log records)")
                .collect(Collectors.joining(", ")));
        s.append(nl).append("  spans: ").append(spans.total()).append(": ").append(spans.modelCalls())
                .append(" model calls, ").append(spans.agentSpans()).append(" agent spans, ")
                .append(spans.toolExecutions()).append(" tool executions, ").append(spans.referenceShape())
                .append(" reference shape, ").append(spans.contextOnly()).append(" used only for user/conversation, ")
                .append(spans.unmapped()).append(" GenAI without content, ").append(spans.other()).append(" not used");
        s.append(nl).append("  log records: ").append(logs.read()).append(": ").append(logs.attached())
                .append(" GenAI events attached to their spans, ").append(logs.notGenAi()).append(" not GenAI");
        s.append(nl).append("  messages from: ").append(contentSources.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        s.append(nl).append("  tool calls: ").append(tools.joined()).append(" tool spans joined with the model's request, ")
                .append(tools.spanOnly()).append(" tool spans alone, ").append(tools.requestOnly())
                .append(" requests without a tool span");
        s.append(nl).append("  conversations: ").append(conversations).append(", turns: ").append(turns)
                .append(", users: ").append(users).append(", envelopes: ").append(envelopes()).append(' ')
                .append(eventsByType);
        issues.forEach((issue, count) -> {
            s.append(nl).append("  ").append(issue.label()).append(": ").append(count);
            List<Location> at = examples.getOrDefault(issue, List.of());
            if (!at.isEmpty()) {
                s.append(" (").append(at.stream().map(Location::toString).collect(Collectors.joining(", ")))
                        .append(count > at.size() ? ", ...)" : ")");
            }
            s.append(" - ").append(issue.description());
        });
        return s.toString();
    }

    /** Collects counts while inputs are read. */
    static final class Builder {
        private final Map<IngestIssue, Long> issues = new EnumMap<>(IngestIssue.class);
        private final Map<IngestIssue, List<Location>> examples = new EnumMap<>(IngestIssue.class);
        private final Map<String, Long> eventsByType = new TreeMap<>();
        private final Map<String, Long> contentSources = new LinkedHashMap<>();
        final List<Input> inputs = new ArrayList<>();
        long modelCalls;
        long agentSpans;
        long toolExecutions;
        long referenceShape;
        long contextOnly;
        long unmapped;
        long otherSpans;
        long logRecords;
        long logRecordsAttached;
        long otherLogRecords;
        long toolCallsJoined;
        long toolSpansOnly;
        long toolRequestsOnly;
        long conversations;
        long turns;
        long users;

        Builder() {
            for (CallContent.Source source : CallContent.Source.values()) {
                contentSources.put(source.label(), 0L);
            }
        }

        /** Counts one occurrence of {@code issue} at {@code location}. */
        void count(IngestIssue issue, Location location) {
            issues.merge(issue, 1L, Long::sum);
            List<Location> at = examples.computeIfAbsent(issue, i -> new ArrayList<>());
            if (at.size() < EXAMPLES_PER_ISSUE && !at.contains(location)) {
                at.add(location);
            }
        }

        void countEvent(String type) {
            eventsByType.merge(type, 1L, Long::sum);
        }

        void countContentSource(CallContent.Source source) {
            contentSources.merge(source.label(), 1L, Long::sum);
        }

        IngestReport build() {
            return new IngestReport(inputs, new SpanUse(modelCalls, agentSpans, toolExecutions, referenceShape,
                    contextOnly, unmapped, otherSpans), new LogUse(logRecords, logRecordsAttached, otherLogRecords),
                    contentSources, new ToolCounts(toolCallsJoined, toolSpansOnly, toolRequestsOnly), conversations,
                    turns, users, eventsByType, issues, examples);
        }
    }
}
