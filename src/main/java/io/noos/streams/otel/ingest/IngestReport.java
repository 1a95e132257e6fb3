package io.noos.streams.otel.ingest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a span file held and what could not be mapped.
 *
 * @param lines          lines read, blank ones included
 * @param blankLines     blank lines (skipped, not an issue)
 * @param spans          spans read (a batch line counts each of its spans)
 * @param oldShapeSpans  spans mapped with the reference's event-based mapping
 * @param newShapeSpans  GenAI spans mapped with the current semantic conventions
 * @param turns          (user, trace) groups that produced at least one envelope
 * @param users          users that received at least one envelope
 * @param eventsByType   envelopes per event type tag, sorted by tag
 * @param issues         occurrences per issue (only issues that occurred), in declaration order
 * @param exampleLines   for each issue that occurred, the first few line numbers where it did
 */
public record IngestReport(long lines, long blankLines, long spans, long oldShapeSpans, long newShapeSpans,
                           long turns, long users, Map<String, Long> eventsByType, Map<IngestIssue, Long> issues,
                           Map<IngestIssue, List<Long>> exampleLines) {

    /** How many line numbers {@link #exampleLines()} keeps per issue. */
    public static final int EXAMPLES_PER_ISSUE = 5;

    public IngestReport {
        eventsByType = Collections.unmodifiableMap(new TreeMap<>(eventsByType));
        issues = Collections.unmodifiableMap(issues.isEmpty() ? Map.of() : new EnumMap<>(issues));
        Map<IngestIssue, List<Long>> examples = new LinkedHashMap<>();
        exampleLines.forEach((issue, numbers) -> examples.put(issue, List.copyOf(numbers)));
        exampleLines = Collections.unmodifiableMap(examples);
    }

    /** Occurrences of {@code issue}; 0 when it never occurred. */
    public long count(IngestIssue issue) {
        return issues.getOrDefault(issue, 0L);
    }

    /** Envelopes produced. */
    public long envelopes() {
        return eventsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * A summary for people: one line of totals, then one line per issue,
     * {@code   span_without_user: 3 (lines 4, 9, 12) - <description>}.
     */
    public String describe() {
        StringBuilder s = new StringBuilder()
                .append("spans: ").append(spans)
                .append(" (old shape ").append(oldShapeSpans)
                .append(", new shape ").append(newShapeSpans)
                .append("), turns: ").append(turns)
                .append(", users: ").append(users)
                .append(", envelopes: ").append(envelopes())
                .append(' ').append(eventsByType);
        issues.forEach((issue, count) -> {
            s.append(System.lineSeparator()).append("  ").append(issue.label()).append(": ").append(count);
            List<Long> at = exampleLines.getOrDefault(issue, List.of());
            if (!at.isEmpty()) {
                s.append(" (line").append(at.size() > 1 ? "s " : " ");
                for (int i = 0; i < at.size(); i++) {
                    s.append(i == 0 ? "" : ", ").append(at.get(i));
                }
                s.append(count > at.size() ? ", ...)" : ")");
            }
            s.append(" - ").append(issue.description());
        });
        return s.toString();
    }

    /** Collects counts while a file is read. */
    static final class Builder {
        private final Map<IngestIssue, Long> issues = new EnumMap<>(IngestIssue.class);
        private final Map<IngestIssue, List<Long>> examples = new EnumMap<>(IngestIssue.class);
        private final Map<String, Long> eventsByType = new TreeMap<>();
        long lines;
        long blankLines;
        long spans;
        long oldShapeSpans;
        long newShapeSpans;
        long turns;
        long users;

        /** Counts one occurrence of {@code issue} on line {@code line}. */
        void count(IngestIssue issue, long line) {
            issues.merge(issue, 1L, Long::sum);
            List<Long> at = examples.computeIfAbsent(issue, i -> new ArrayList<>());
            if (at.size() < EXAMPLES_PER_ISSUE && !at.contains(line)) {
                at.add(line);
            }
        }

        void countEvent(String type) {
            eventsByType.merge(type, 1L, Long::sum);
        }

        IngestReport build() {
            return new IngestReport(lines, blankLines, spans, oldShapeSpans, newShapeSpans, turns, users, eventsByType,
                    issues, examples);
        }
    }
}
