package io.noos.streams.fleet;

import java.util.List;

/**
 * What this instance knows of the fleet's spend: the newest {@link #KEPT_WINDOWS} 1-minute windows
 * of the fleet scope ({@code *}), as the merged fleet statistics give them, each replaced by its
 * newer figures while the window is still being counted. Written by one thread (the global store's
 * processor), read by the stream threads: reads take no lock and see a complete update or none.
 */
public final class FleetSpendBook implements FleetView {
    /** How many of the newest windows are kept (a stream task behind the others still finds its previous window). */
    public static final int KEPT_WINDOWS = 10;

    private static final FleetSpend[] NONE_KEPT = new FleetSpend[0];

    /** Oldest window first; replaced as a whole on every change. */
    private volatile FleetSpend[] windows = NONE_KEPT;

    @Override
    public FleetSpend spendIn(long windowStartMs) {
        FleetSpend[] kept = windows;
        for (int i = kept.length - 1; i >= 0; i--) {
            if (kept[i].windowStartMs() == windowStartMs) {
                return kept[i];
            }
        }
        return null;
    }

    /**
     * Sets the figures of {@code spend}'s window. Returns false, changing nothing, when the window is
     * older than every kept one and the book is full; otherwise the oldest window goes when there
     * are more than {@link #KEPT_WINDOWS}.
     */
    public synchronized boolean put(FleetSpend spend) {
        FleetSpend[] kept = windows;
        int at = 0;
        while (at < kept.length && kept[at].windowStartMs() < spend.windowStartMs()) {
            at++;
        }
        FleetSpend[] next;
        if (at < kept.length && kept[at].windowStartMs() == spend.windowStartMs()) {
            next = kept.clone();
            next[at] = spend;
        } else if (kept.length < KEPT_WINDOWS) {
            next = new FleetSpend[kept.length + 1];
            System.arraycopy(kept, 0, next, 0, at);
            next[at] = spend;
            System.arraycopy(kept, at, next, at + 1, kept.length - at);
        } else if (at == 0) {
            return false;
        } else {
            next = new FleetSpend[KEPT_WINDOWS];
            System.arraycopy(kept, 1, next, 0, at - 1);
            next[at - 1] = spend;
            System.arraycopy(kept, at, next, at, kept.length - at);
        }
        windows = next;
        return true;
    }

    /** Forgets the window starting at {@code windowStartMs}, if kept. */
    public synchronized void remove(long windowStartMs) {
        FleetSpend[] kept = windows;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i].windowStartMs() == windowStartMs) {
                FleetSpend[] next = new FleetSpend[kept.length - 1];
                System.arraycopy(kept, 0, next, 0, i);
                System.arraycopy(kept, i + 1, next, i, kept.length - i - 1);
                windows = next;
                return;
            }
        }
    }

    /** The kept windows, oldest first. */
    public List<FleetSpend> windows() {
        return List.of(windows);
    }
}
