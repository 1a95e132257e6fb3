package io.noos.streams.policy;

import io.noos.streams.detect.DetectorSettings;

/**
 * One entry of the policies topic: the regulator settings it overrides. Every field is optional
 * (null = not set here, the next layer decides). The implicit-correction window has three states:
 * not set ({@code implicitWindowSet} false), explicitly off (set, {@code implicitWindowMs} null),
 * or a window in ms.
 *
 * @param costCap             output-token cap, 1..4294967295, or null
 * @param scopeDriftThreshold drift threshold in [0, 1], or null
 * @param implicitWindowSet   whether the entry sets the implicit-correction window
 * @param implicitWindowMs    the window in ms (&gt;= 0), or null for off (only when set)
 * @param detectors           the detector values it sets (each detector's {@code enabled} and
 *                            parameters, value by value), never null
 */
public record Policy(Long costCap, Double scopeDriftThreshold, boolean implicitWindowSet, Long implicitWindowMs,
                     DetectorSettings detectors) {
    /** An entry that sets nothing. */
    public static final Policy EMPTY = new Policy(null, null, false, null);

    public Policy {
        if (!implicitWindowSet && implicitWindowMs != null) {
            throw new IllegalArgumentException("an implicit window value needs implicitWindowSet");
        }
        if (detectors == null) {
            detectors = DetectorSettings.EMPTY;
        }
    }

    /** An entry that sets no detector values. */
    public Policy(Long costCap, Double scopeDriftThreshold, boolean implicitWindowSet, Long implicitWindowMs) {
        this(costCap, scopeDriftThreshold, implicitWindowSet, implicitWindowMs, DetectorSettings.EMPTY);
    }

    public boolean isEmpty() {
        return costCap == null && scopeDriftThreshold == null && !implicitWindowSet && detectors.isEmpty();
    }

    /** Field by field: this entry's value where it sets one, else {@code lower}'s. */
    public Policy over(Policy lower) {
        if (lower == null || lower.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return lower;
        }
        return new Policy(costCap != null ? costCap : lower.costCap,
                scopeDriftThreshold != null ? scopeDriftThreshold : lower.scopeDriftThreshold,
                implicitWindowSet || lower.implicitWindowSet,
                implicitWindowSet ? implicitWindowMs : lower.implicitWindowMs,
                detectors.over(lower.detectors));
    }
}
