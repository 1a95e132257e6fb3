package io.noos.streams.detect;

import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents' totals as published ({@link AgentSpend#totalKey} → the total's {@link RollingSlots}),
 * in the service filled from the agent-spend topic by one thread and read by the stream threads:
 * an entry is replaced whole, never changed in place. {@link #encode}/{@link #decode} are the
 * totals' bytes on the topic and in the counting store.
 */
public class AgentSpendBook implements AgentSpendView {
    private static final int FORMAT = 1;

    final Map<String, RollingSlots> totals = new ConcurrentHashMap<>();

    @Override
    public long spentMicros(String agentId, String currency, long windowMs, long atMs) {
        return sum(totals.get(AgentSpend.totalKey(agentId, currency, windowMs)), windowMs, atMs);
    }

    private static long sum(RollingSlots slots, long windowMs, long atMs) {
        return slots == null || !slots.countsWindow(windowMs) ? 0 : slots.sumInWindow(atMs);
    }

    @Override
    public AgentSpendView including(AgentSpend pending) {
        String pendingKey = pending.totalKey();
        return (agentId, currency, windowMs, atMs) -> {
            String key = AgentSpend.totalKey(agentId, currency, windowMs);
            RollingSlots slots = totals.get(key);
            if (!key.equals(pendingKey)) {
                return sum(slots, windowMs, atMs);
            }
            RollingSlots with = slots == null || !slots.countsWindow(windowMs) ? new RollingSlots() : slots.copy();
            with.count(pending.atMs(), pending.micros(), windowMs);
            return sum(with, windowMs, atMs);
        };
    }

    /** Sets the total under {@code key} (not to be changed afterwards). */
    public void put(String key, RollingSlots total) {
        totals.put(key, total);
    }

    public void remove(String key) {
        totals.remove(key);
    }

    /** How many totals are kept. */
    public int size() {
        return totals.size();
    }

    public static byte[] encode(RollingSlots total) {
        StateWriter out = new StateWriter(128);
        out.writeByte(FORMAT);
        total.write(out);
        return out.toByteArray();
    }

    /** The total {@link #encode} wrote; an IllegalArgumentException saying why when these bytes are not one. */
    public static RollingSlots decode(byte[] bytes) {
        RollingSlots total;
        try {
            StateReader in = new StateReader(bytes, 0);
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException("an agent's spend total of an unknown format");
            }
            total = RollingSlots.readSlots(in, new RollingSlots());
            if (in.position() == bytes.length && total.slotMs > 0) {
                return total;
            }
        } catch (IllegalStateException e) {
            // truncated: not a total
        }
        throw new IllegalArgumentException("not an agent's spend total");
    }
}
