package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;

/**
 * {@code token_budget}: a rolling per-user budget across sessions. Circuit break
 * {@code token_budget_exceeded} while the user's tokens (in + out, from {@code cost} events) over
 * the trailing {@code window_ms} of event time reach {@code max_tokens}.
 *
 * <p>The window is kept as {@value #SLOTS} slots of {@code window_ms / 60} (rounded up), so a cost
 * leaves the count between {@code window_ms - window_ms/60} and {@code window_ms} after it happened.
 * The window ends at the newest event time seen (an event arriving late does not move it back).
 * Changing {@code window_ms} starts the count afresh. A cost older than the window when it arrives
 * is not counted.
 */
public final class TokenBudgetDetector extends NamedDetector {
    static final int SLOTS = 60;
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
        return readSlots(in, new State());
    }

    static <S extends State> S readSlots(StateReader in, S s) {
        s.slotMs = in.readVarLong();
        s.newestSlot = in.readSignedVarLong();
        for (int i = 0; i < SLOTS; i++) {
            s.tokens[i] = in.readVarLong();
        }
        return s;
    }

    static long slotMsFor(long windowMs) {
        return (windowMs + SLOTS - 1) / SLOTS;
    }

    /** The rolling window of slots; {@code spend_budget} counts money in the same way. */
    static class State implements DetectorState {
        long slotMs;
        long newestSlot = Long.MIN_VALUE;
        final long[] tokens = new long[SLOTS];

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            count(atMs, event instanceof AgentEvent.Cost cost ? cost.tokensIn() + cost.tokensOut() : -1,
                    params.getLong("window_ms"));
        }

        /** Counts {@code amount} at {@code atMs} ({@code amount < 0}: nothing to count, the window only). */
        final void count(long atMs, long amount, long windowMs) {
            long wanted = slotMsFor(windowMs);
            if (wanted != slotMs) {
                slotMs = wanted;
                newestSlot = Long.MIN_VALUE;
                java.util.Arrays.fill(tokens, 0);
            }
            if (amount < 0) {
                return;
            }
            long slot = Math.floorDiv(atMs, slotMs);
            if (newestSlot == Long.MIN_VALUE || slot > newestSlot) {
                long clear = newestSlot == Long.MIN_VALUE ? SLOTS : Math.min(SLOTS, slot - newestSlot);
                for (long s = slot - clear + 1; s <= slot; s++) {
                    tokens[(int) Math.floorMod(s, SLOTS)] = 0;
                }
                newestSlot = slot;
            } else if (slot <= newestSlot - SLOTS) {
                return; // older than the window already
            }
            int i = (int) Math.floorMod(slot, SLOTS);
            tokens[i] = saturatingAdd(tokens[i], amount);
        }

        /**
         * Tokens in the slots of the trailing window ending at {@code atMs}, or at the newest cost
         * when that is later (an event that arrives late does not move the window back).
         */
        long tokensInWindow(long atMs) {
            if (newestSlot == Long.MIN_VALUE) {
                return 0;
            }
            long now = Math.max(Math.floorDiv(atMs, slotMs), newestSlot);
            long sum = 0;
            for (long s = Math.max(now - SLOTS + 1, newestSlot - SLOTS + 1); s <= Math.min(now, newestSlot); s++) {
                sum = saturatingAdd(sum, tokens[(int) Math.floorMod(s, SLOTS)]);
            }
            return sum;
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            if (slotMs != slotMsFor(params.getLong("window_ms"))) {
                return null; // the window changed since the last event: counting starts afresh
            }
            long spent = tokensInWindow(context.atMs());
            long budget = params.getLong("max_tokens");
            if (spent < budget) {
                return null;
            }
            return new Decision.CircuitBreak(
                    new BreakReason.TokenBudgetExceeded(spent, budget, params.getLong("window_ms")), SUGGESTION);
        }

        @Override
        public void write(StateWriter out) {
            out.writeVarLong(slotMs);
            out.writeSignedVarLong(newestSlot);
            for (long t : tokens) {
                out.writeVarLong(t);
            }
        }
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
