package io.noos.streams.kafka.topology;

import io.noos.streams.core.Regulator;

/**
 * The regulator settings applied to a user's regulator when it is created and after every
 * per-task reset. {@code implicitWindowMs} null means implicit corrections are off.
 */
public record UserSettings(long costCap, double scopeDriftThreshold, Long implicitWindowMs) {
    public static final UserSettings DEFAULTS =
            new UserSettings(Regulator.DEFAULT_COST_CAP, Regulator.DEFAULT_SCOPE_DRIFT_THRESHOLD, null);

    public Regulator applyTo(Regulator r) {
        r.withCostCap(costCap).withScopeDriftThreshold(scopeDriftThreshold);
        if (implicitWindowMs != null) {
            r.withImplicitCorrectionWindowMs(implicitWindowMs);
        }
        return r;
    }
}
