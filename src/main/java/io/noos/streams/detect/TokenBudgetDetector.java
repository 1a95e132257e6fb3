package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;

/**
 * {@code token_budget}: a rolling per-user budget across sessions. Circuit break
 * {@code token_budget_exceeded} while the user's tokens (in + out, from {@code cost} events) over
 * the trailing {@code window_ms} of event time reach {@code max_tokens}.
 *
 * <p>The window is kept in {@link RollingSlots}: 60 slots of {@code window_ms / 60} (rounded up), so
 * a cost leaves the count between {@code window_ms - window_ms/60} and {@code window_ms} after it
 * happened. The window ends at the newest event time seen (an event arriving late does not move it
 * back). Changing {@code window_ms} starts the count afresh. A cost older than the window when it
 * arrives is not counted.
 */
public final class TokenBudgetDetector extends NamedDetector {
    static final String SUGGESTION = "The user's token budget for this period is spent. Stop the agent, or ask "
            + "the user to wait until the window rolls on or to raise the budget.";

    public TokenBudgetDetector() {
        super("token_budget", Stage.BREAK,
                DetectorParam.integer("max_tokens", 1_000_000, 1, 1L << 50, "tokens (in + out) allowed per window"),
                DetectorParam.integer("window_ms", 3_600_000, 60_000, 31L * 24 * 3_600_000, "the rolling window, ms"));
    }

    @Override
    public DetectorState newState() {
        return new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        return RollingSlots.readSlots(in, new State());
    }

    /** The user's tokens in the rolling window; {@code spend_budget} counts money in the same way. */
    static class State extends RollingSlots implements DetectorState {

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            count(atMs, event instanceof AgentEvent.Cost cost ? cost.tokensIn() + cost.tokensOut() : -1,
                    params.getLong("window_ms"));
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            if (!countsWindow(params.getLong("window_ms"))) {
                return null; // the window changed since the last event: counting starts afresh
            }
            long spent = sumInWindow(context.atMs());
            long budget = params.getLong("max_tokens");
            if (spent < budget) {
                return null;
            }
            return new Decision.CircuitBreak(
                    new BreakReason.TokenBudgetExceeded(spent, budget, params.getLong("window_ms")), SUGGESTION);
        }
    }

    static long saturatingAdd(long a, long b) {
        return RollingSlots.saturatingAdd(a, b);
    }
}
