package io.noos.streams.replay;

import java.time.Duration;

/**
 * What a replay did.
 *
 * @param eventsRead       envelopes read from the input
 * @param decisionsWritten decision records written to the output
 * @param decisionsMissing decisions expected (one per non-token event) but not received; always 0
 *                         offline
 * @param badLines         input lines that are not envelopes (reported, not replayed)
 * @param blankLines       blank input lines (skipped)
 * @param elapsed          wall time of the whole replay
 */
public record ReplaySummary(long eventsRead, long decisionsWritten, long decisionsMissing, long badLines,
                            long blankLines, Duration elapsed) {

    /** Input events per second of wall time. */
    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? eventsRead / seconds : 0;
    }

    /** One line for people: {@code events read: N, decisions written: M, bad lines: B, ...}. */
    public String describe() {
        StringBuilder s = new StringBuilder()
                .append("events read: ").append(eventsRead)
                .append(", decisions written: ").append(decisionsWritten);
        if (decisionsMissing > 0) {
            s.append(", decisions MISSING: ").append(decisionsMissing);
        }
        s.append(", bad lines: ").append(badLines);
        if (blankLines > 0) {
            s.append(", blank lines: ").append(blankLines);
        }
        return s.append(String.format(", elapsed: %.3f s (%.0f events/s)", elapsed.toNanos() / 1e9,
                eventsPerSecond())).toString();
    }
}
