package io.noos.streams.fleet;

/**
 * The fleet's spend as far as this instance knows it: per 1-minute window (aligned to the epoch,
 * as the fleet aggregates), the median of the output tokens of the users who spent any.
 */
@FunctionalInterface
public interface FleetView {
    /** A view that knows nothing (detectors that need the fleet stay silent). */
    FleetView NONE = windowStartMs -> null;

    /** The fleet's spend in the window starting at {@code windowStartMs}, or null when unknown. */
    FleetSpend spendIn(long windowStartMs);

    /**
     * The fleet-wide spend of one window: how many users spent output tokens in it and their median.
     */
    record FleetSpend(long windowStartMs, long users, double medianTokensOut) {}
}
