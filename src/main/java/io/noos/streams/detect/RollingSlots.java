package io.noos.streams.detect;

import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import java.util.Arrays;

/**
 * A rolling window of event time kept as {@value #SLOTS} slots of {@code window_ms / 60} (rounded
 * up): an amount counted at {@code atMs} leaves the window between {@code window_ms - window_ms/60}
 * and {@code window_ms} later. The window ends at the newest slot counted (an amount arriving late
 * does not move it back); an amount older than the window when it arrives is not counted; changing
 * {@code window_ms} starts afresh. Sums saturate at {@code Long.MAX_VALUE}. {@code token_budget}
 * counts a user's tokens, {@code spend_budget} a user's money, and the agent-wide budget an
 * agent's money ({@link AgentSpendTotals}) in it.
 */
public class RollingSlots {
    public static final int SLOTS = 60;

    long slotMs;
    long newestSlot = Long.MIN_VALUE;
    final long[] tokens = new long[SLOTS];

    static long slotMsFor(long windowMs) {
        return (windowMs + SLOTS - 1) / SLOTS;
    }

    /** Whether the slots are those of {@code windowMs} (else they were counted under another window, or never). */
    final boolean countsWindow(long windowMs) {
        return slotMs == slotMsFor(windowMs);
    }

    /** Counts {@code amount} at {@code atMs} ({@code amount < 0}: nothing to count, the window only). */
    public final void count(long atMs, long amount, long windowMs) {
        long wanted = slotMsFor(windowMs);
        if (wanted != slotMs) {
            slotMs = wanted;
            newestSlot = Long.MIN_VALUE;
            Arrays.fill(tokens, 0);
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
     * The sum of the slots of the trailing window ending at {@code atMs}, or at the newest slot
     * counted when that is later (an event that arrives late does not move the window back).
     */
    public final long sumInWindow(long atMs) {
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

    /** A copy of these slots, to count into without changing them. */
    public final RollingSlots copy() {
        RollingSlots c = new RollingSlots();
        c.slotMs = slotMs;
        c.newestSlot = newestSlot;
        System.arraycopy(tokens, 0, c.tokens, 0, SLOTS);
        return c;
    }

    /** The slots in the form {@link #readSlots} reads. */
    public void write(StateWriter out) {
        out.writeVarLong(slotMs);
        out.writeSignedVarLong(newestSlot);
        for (long t : tokens) {
            out.writeVarLong(t);
        }
    }

    /** Reads into {@code s} what {@link #write} wrote, and returns it. */
    public static <S extends RollingSlots> S readSlots(StateReader in, S s) {
        s.slotMs = in.readVarLong();
        s.newestSlot = in.readSignedVarLong();
        for (int i = 0; i < SLOTS; i++) {
            s.tokens[i] = in.readVarLong();
        }
        return s;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
