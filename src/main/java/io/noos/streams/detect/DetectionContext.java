package io.noos.streams.detect;

import io.noos.streams.fleet.FleetView;

/**
 * What a detector may look at besides its own state: the user's current topic cluster (the
 * regulator's, {@code ""} when none), the event time of the event just applied, the fleet, the
 * event's agent (null when it names none) and the agents' spend.
 */
public record DetectionContext(String currentCluster, long atMs, FleetView fleet, String agentId,
                               AgentSpendView agentSpend) {
    /** Without an agent: no agent-wide verdicts. */
    public DetectionContext(String currentCluster, long atMs, FleetView fleet) {
        this(currentCluster, atMs, fleet, null, AgentSpendView.NONE);
    }
}
