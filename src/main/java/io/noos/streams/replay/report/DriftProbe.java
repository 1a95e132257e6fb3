package io.noos.streams.replay.report;

import io.noos.streams.core.Decision;
import io.noos.streams.core.Regulator;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.decide.UserState;
import io.noos.streams.replay.OfflineReplay;

/**
 * Learns, during an offline replay, the drift score the regulator evaluated at each decision,
 * whatever the configured threshold, and passes it to {@link ReplayStats#drift} for the decision's
 * (user, turn).
 *
 * <p>Decision records carry a drift score only when the decision is {@code scope_drift_warn}. For
 * every other decision the probe asks the user's regulator what it would decide with threshold 0.0
 * (the reference's calibration recipe: replay with {@code --scope-threshold=0.0}): it sets the
 * threshold to 0.0, calls the pure {@code decide()}, and puts the user's own threshold back before
 * the next event. The regulator's state is untouched ({@code decide()} never changes it and the
 * threshold is the only setting changed, and only in between), so the replay's decisions are those
 * of a replay without the probe, and the scores are those a separate pass at threshold 0.0 would
 * show, without reading the file twice.
 *
 * <ul>
 *   <li>{@code circuit_break}: no score; a break pre-empts the drift rule at any threshold.</li>
 *   <li>{@code scope_drift_warn}: the record's own score.</li>
 *   <li>otherwise: the score of the threshold-0.0 decision when it is {@code scope_drift_warn};
 *       none when it is not (no response yet, or a task or response without keywords).</li>
 * </ul>
 */
public final class DriftProbe implements OfflineReplay.Observer {
    private final ReplayStats stats;

    public DriftProbe(ReplayStats stats) {
        this.stats = stats;
    }

    @Override
    public void onOutcome(UserState state, DecisionRecord record) {
        if (record == null) {
            return;
        }
        double score = driftScore(state.regulator(), record.decision());
        if (!Double.isNaN(score)) {
            stats.drift(record.userId(), record.turn(), score);
        }
    }

    /** The drift the regulator evaluated for {@code decision} (its latest), or NaN when it evaluated none. */
    static double driftScore(Regulator regulator, Decision decision) {
        if (decision instanceof Decision.ScopeDriftWarn warn) {
            return warn.driftScore();
        }
        if (decision instanceof Decision.CircuitBreak) {
            return Double.NaN;
        }
        double threshold = regulator.scopeDriftThreshold();
        Decision atZero;
        try {
            atZero = regulator.withScopeDriftThreshold(0.0).decide();
        } finally {
            regulator.withScopeDriftThreshold(threshold);
        }
        return atZero instanceof Decision.ScopeDriftWarn warn ? warn.driftScore() : Double.NaN;
    }
}
