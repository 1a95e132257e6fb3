package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.fleet.FleetStatsWindows;
import io.noos.streams.fleet.FleetView;

/**
 * {@code fleet_spend_anomaly}: warning {@code spend_anomaly_warn} when the user's output tokens in
 * the current 1-minute window (event time, aligned like the fleet aggregates) are at least
 * {@code multiple} times the fleet's median per-user output tokens in the window before, and at
 * least {@code min_tokens_out}, and that window had at least {@code min_fleet_users} spending users.
 * Silent while the fleet's figures for that window are unknown.
 */
public final class FleetSpendAnomalyDetector extends NamedDetector {

    public FleetSpendAnomalyDetector() {
        super("fleet_spend_anomaly", Stage.WARNING,
                DetectorParam.number("multiple", 5.0, 1.0, 1_000_000.0, "times the fleet median that warns"),
                DetectorParam.integer("min_tokens_out", 1_000, 0, 1L << 50, "the least spend that warns"),
                DetectorParam.integer("min_fleet_users", 5, 1, 1L << 40, "the fewest spending users for a median"));
    }

    @Override
    public DetectorState newState() {
        return new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        State s = new State();
        s.windowStartMs = in.readSignedVarLong();
        s.tokensOut = in.readVarLong();
        return s;
    }

    static final class State implements DetectorState {
        long windowStartMs = Long.MIN_VALUE;
        long tokensOut;

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            if (!(event instanceof AgentEvent.Cost cost)) {
                return;
            }
            long window = FleetStatsWindows.startOf(atMs);
            if (window > windowStartMs) {
                windowStartMs = window;
                tokensOut = 0;
            }
            if (window == windowStartMs) {
                tokensOut = TokenBudgetDetector.saturatingAdd(tokensOut, cost.tokensOut());
            }
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            long window = FleetStatsWindows.startOf(context.atMs());
            long spent = window == windowStartMs ? tokensOut : 0;
            if (spent == 0 || spent < params.getLong("min_tokens_out")) {
                return null;
            }
            FleetView.FleetSpend fleet = context.fleet().spendIn(window - FleetStatsWindows.WINDOW_MS);
            if (fleet == null || fleet.users() < params.getLong("min_fleet_users") || !(fleet.medianTokensOut() > 0)) {
                return null;
            }
            double ratio = spent / fleet.medianTokensOut();
            if (ratio < params.get("multiple")) {
                return null;
            }
            return new Decision.SpendAnomalyWarn(spent, fleet.medianTokensOut(), ratio, window,
                    fleet.windowStartMs(), fleet.users());
        }

        @Override
        public void write(StateWriter out) {
            out.writeSignedVarLong(windowStartMs);
            out.writeVarLong(tokensOut);
        }
    }
}
