package io.noos.streams.tools;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.kafka.topology.UserDecider;
import io.noos.streams.kafka.topology.UserState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replays an envelope file without Kafka: every envelope, in file order, goes through the
 * service's own per-user rules ({@link UserDecider}) with one {@link UserState} per user in memory,
 * and each decision record is written as a JSON line, in file order. Given the same settings, the
 * decisions are those the service would publish for the same events (per user, in the same order).
 */
public final class OfflineReplay {
    private final UserDecider decider;

    /** A replay with the service's per-user settings and reset rule from {@code settings}. */
    public OfflineReplay(TopologySettings settings) {
        this.decider = new UserDecider(settings);
    }

    /**
     * Replays {@code input} into {@code output} (created or truncated). Lines that are not
     * envelopes go to {@code onBadLine} and are counted.
     */
    public ReplaySummary run(Path input, Path output, Consumer<EnvelopeFileReader.Line.Bad> onBadLine)
            throws IOException {
        long start = System.nanoTime();
        Map<String, UserState> users = new HashMap<>();
        try (EnvelopeFileReader in = EnvelopeFileReader.open(input);
             JsonLinesWriter out = JsonLinesWriter.create(output)) {
            for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
                if (line instanceof EnvelopeFileReader.Line.Parsed parsed) {
                    EventEnvelope envelope = parsed.envelope();
                    UserDecider.Outcome outcome = decider.apply(users.get(envelope.userId()), envelope);
                    users.put(envelope.userId(), outcome.state());
                    if (outcome.decision() != null) {
                        out.write(outcome.decision());
                    }
                } else {
                    onBadLine.accept((EnvelopeFileReader.Line.Bad) line);
                }
            }
            EnvelopeFileReader.Counts counts = in.counts();
            out.close();   // flushed before the clock stops
            return new ReplaySummary(counts.envelopes(), out.lines(), 0, counts.badLines(), counts.blankLines(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
