package io.noos.streams.replay;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.fleet.ReplayFleetSpend;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.detect.AgentSpendTotals;
import io.noos.streams.decide.UserState;
import io.noos.streams.logfile.EnvelopeFileReader;
import io.noos.streams.logfile.JsonLinesWriter;
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
 *
 * <p>Detectors that compare a user with the fleet ({@code fleet_spend_anomaly}) see the fleet's
 * spend as {@link ReplayFleetSpend} counts it from the envelopes replayed so far: each applied
 * envelope is counted after it is decided, so a window's figures are known once its events have
 * been replayed, and the window before an event's own is complete in a log in time order. The
 * service knows a window's figures only once its merged fleet statistics reached the instance,
 * a few seconds into the next window, so there the first events of a window may go unchecked.
 *
 * <p>The agent-wide budget ({@code agent_spend_budget}) sees each agent's exact total
 * ({@link AgentSpendTotals}), this event's cost included; the service sees it as of the last
 * published total (about a commit interval behind), so there a burst may pass the budget by what
 * arrives in that time before the break.
 */
public final class OfflineReplay {

    /**
     * Sees every envelope's outcome during a replay, in file order, on the replaying thread: the
     * user's state after the envelope and its decision record (null after {@code token} and
     * {@code token_batch}). An observer may look at the state (e.g. call the regulator's pure
     * {@code decide()}) but must leave it exactly as it found it.
     */
    @FunctionalInterface
    public interface Observer {
        /** An observer that does nothing. */
        Observer NONE = (state, decision) -> { };

        void onOutcome(UserState state, DecisionRecord decision);
    }

    private final TopologySettings settings;

    /** A replay with the service's per-user settings and reset rule from {@code settings}. */
    public OfflineReplay(TopologySettings settings) {
        this.settings = settings;
    }

    /**
     * Replays {@code input} into {@code output} (created or truncated). Lines that are not
     * envelopes go to {@code onBadLine} and are counted.
     */
    public ReplaySummary run(Path input, Path output, Consumer<EnvelopeFileReader.Line.Bad> onBadLine)
            throws IOException {
        return run(input, output, onBadLine, Observer.NONE);
    }

    /**
     * Replays {@code input} into {@code output} (created or truncated; null: decide without writing,
     * the summary then counts the decisions made), passing every envelope's outcome to
     * {@code observer}. Lines that are not envelopes go to {@code onBadLine} and are counted.
     */
    public ReplaySummary run(Path input, Path output, Consumer<EnvelopeFileReader.Line.Bad> onBadLine,
                             Observer observer) throws IOException {
        long start = System.nanoTime();
        ReplayFleetSpend fleetSpend = new ReplayFleetSpend(settings.fleetStats().graceMs());
        // All users in one process: each agent's total for the agent-wide budget is exact.
        UserDecider decider = new UserDecider(settings.decider(), fleetSpend, new AgentSpendTotals());
        Map<String, UserState> users = new HashMap<>();
        long decisions = 0;
        try (EnvelopeFileReader in = EnvelopeFileReader.open(input);
             BackgroundDecisionWriter out = output == null ? null
                     : new BackgroundDecisionWriter(JsonLinesWriter.create(output))) {
            for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
                if (line instanceof EnvelopeFileReader.Line.Parsed parsed) {
                    EventEnvelope envelope = parsed.envelope();
                    UserState state = users.get(envelope.userId());
                    UserDecider.Outcome outcome = decider.apply(state, envelope);
                    if (outcome.state() != state) {
                        users.put(envelope.userId(), outcome.state());
                    }
                    if (!outcome.duplicate()) {
                        fleetSpend.onEvent(envelope.userId(), envelope.atMs(), tokensOut(envelope));
                    }
                    if (outcome.decision() != null) {
                        decisions++;
                        if (out != null) {
                            out.write(outcome.decision());
                        }
                    }
                    observer.onOutcome(outcome.state(), outcome.decision());
                } else {
                    onBadLine.accept((EnvelopeFileReader.Line.Bad) line);
                }
            }
            EnvelopeFileReader.Counts counts = in.counts();
            if (out != null) {
                out.close();   // all written and flushed before the clock stops
            }
            return new ReplaySummary(counts.envelopes(), decisions, 0, counts.badLines(), counts.blankLines(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static long tokensOut(EventEnvelope envelope) {
        return envelope.event() instanceof EnvelopeEvent.Single single && single.event() instanceof AgentEvent.Cost cost
                ? cost.tokensOut() : 0;
    }
}
