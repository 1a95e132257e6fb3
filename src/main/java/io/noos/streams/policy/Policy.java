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
 * @param halt                the operator's kill switch on this entry's users, or null
 */
public record Policy(Long costCap, Double scopeDriftThreshold, boolean implicitWindowSet, Long implicitWindowMs,
                     DetectorSettings detectors, Halt halt) {
    /** An entry that sets nothing. */
    public static final Policy EMPTY = new Policy(null, null, false, null);

    /**
     * An operator's halt: while it is in force every decision of the entry's users is a circuit
     * break ({@code operator_halt}). There is no "not halted" value: an entry either halts or
     * leaves the question to the next layer, so a user is halted when their own entry, their
     * agent's or {@code *} halts, and the most specific of those is the one reported.
     *
     * @param reason  the operator's text (at most {@link #MAX_REASON_CHARS} characters), or null
     * @param sinceMs when the halt was issued (ms since the epoch), or null
     * @param key     the policy key of the entry it belongs to, filled in by the {@link PolicyBook}
     *                (null in an entry not yet in a book)
     */
    public record Halt(String reason, Long sinceMs, String key) {
        public static final int MAX_REASON_CHARS = 500;

        /** The same halt, as the entry of {@code key}. */
        public Halt of(String key) {
            return key.equals(this.key) ? this : new Halt(reason, sinceMs, key);
        }
    }

    public Policy {
        if (!implicitWindowSet && implicitWindowMs != null) {
            throw new IllegalArgumentException("an implicit window value needs implicitWindowSet");
        }
        if (detectors == null) {
            detectors = DetectorSettings.EMPTY;
        }
    }

    /** An entry that sets no detector values and no halt. */
    public Policy(Long costCap, Double scopeDriftThreshold, boolean implicitWindowSet, Long implicitWindowMs) {
        this(costCap, scopeDriftThreshold, implicitWindowSet, implicitWindowMs, DetectorSettings.EMPTY);
    }

    /** An entry that sets no halt. */
    public Policy(Long costCap, Double scopeDriftThreshold, boolean implicitWindowSet, Long implicitWindowMs,
                  DetectorSettings detectors) {
        this(costCap, scopeDriftThreshold, implicitWindowSet, implicitWindowMs, detectors, null);
    }

    public boolean isEmpty() {
        return costCap == null && scopeDriftThreshold == null && !implicitWindowSet && detectors.isEmpty()
                && halt == null;
    }

    /** This entry with {@code halt} (null: without a halt), every other field as it is. */
    public Policy withHalt(Halt halt) {
        return new Policy(costCap, scopeDriftThreshold, implicitWindowSet, implicitWindowMs, detectors, halt);
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
                detectors.over(lower.detectors), halt != null ? halt : lower.halt);
    }
}
