package io.noos.streams.decide;

import io.noos.streams.core.Regulator;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.policy.Policy;
import java.util.Objects;

/**
 * The regulator settings a user's events are decided with: applied when the user's regulator is
 * created, after every per-task reset, and before any event whose effective settings differ from
 * the regulator's (a policy changed). {@code implicitWindowMs} null means implicit corrections are off.
 * {@code detectors} says which opt-in detectors run, with which parameters (none by default); they
 * are read at every event, not applied to the regulator. {@code halt}, when not null, is an
 * operator's halt in force: every decision becomes its circuit break (see {@link UserDecider});
 * like the detectors it is read at every event and never changes the regulator.
 */
public record UserSettings(long costCap, double scopeDriftThreshold, Long implicitWindowMs, DetectorSettings detectors,
                           Policy.Halt halt) {
    public static final UserSettings DEFAULTS =
            new UserSettings(Regulator.DEFAULT_COST_CAP, Regulator.DEFAULT_SCOPE_DRIFT_THRESHOLD, null);

    public UserSettings {
        if (detectors == null) {
            detectors = DetectorSettings.EMPTY;
        }
    }

    /** Settings without detectors. */
    public UserSettings(long costCap, double scopeDriftThreshold, Long implicitWindowMs) {
        this(costCap, scopeDriftThreshold, implicitWindowMs, DetectorSettings.EMPTY);
    }

    /** Settings without a halt. */
    public UserSettings(long costCap, double scopeDriftThreshold, Long implicitWindowMs, DetectorSettings detectors) {
        this(costCap, scopeDriftThreshold, implicitWindowMs, detectors, null);
    }

    public UserSettings withDetectors(DetectorSettings d) {
        return new UserSettings(costCap, scopeDriftThreshold, implicitWindowMs, d, halt);
    }

    public Regulator applyTo(Regulator r) {
        r.withCostCap(costCap).withScopeDriftThreshold(scopeDriftThreshold);
        if (implicitWindowMs != null) {
            r.withImplicitCorrectionWindowMs(implicitWindowMs);
        } else if (r.implicitCorrectionWindowMs().isPresent()) {
            r.withImplicitCorrectionsOff();
        }
        return r;
    }

    /**
     * Whether {@code r} already runs with these settings. A threshold the regulator ignores (not
     * finite, outside [0, 1]) counts as applied, as {@link #applyTo} would not change it.
     */
    public boolean isAppliedTo(Regulator r) {
        boolean thresholdApplied = !(Double.isFinite(scopeDriftThreshold)
                && scopeDriftThreshold >= 0.0 && scopeDriftThreshold <= 1.0)
                || r.scopeDriftThreshold() == scopeDriftThreshold;
        return thresholdApplied && r.costCapTokens() == costCap
                && Objects.equals(r.implicitCorrectionWindowMs().orElse(null), implicitWindowMs);
    }

    /** These settings with the fields {@code policy} sets replaced (this when it is null or sets nothing). */
    public UserSettings overriddenBy(Policy policy) {
        if (policy == null || policy.isEmpty()) {
            return this;
        }
        return new UserSettings(policy.costCap() != null ? policy.costCap() : costCap,
                policy.scopeDriftThreshold() != null ? policy.scopeDriftThreshold() : scopeDriftThreshold,
                policy.implicitWindowSet() ? policy.implicitWindowMs() : implicitWindowMs,
                policy.detectors().over(detectors), policy.halt() != null ? policy.halt() : halt);
    }
}
