package io.noos.streams.detect;

import io.noos.streams.fleet.FleetView;

/**
 * What a detector may look at besides its own state: the user's current topic cluster (the
 * regulator's, {@code ""} when none), the event time of the event just applied, and the fleet.
 */
public record DetectionContext(String currentCluster, long atMs, FleetView fleet) {}
