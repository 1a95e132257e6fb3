package io.noos.streams.detect;

import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;

/**
 * What one cost event added to an agent's spend under an agent-wide budget
 * ({@code agent_spend_budget}): the agent, the budget's currency (ISO 4217 alphabetic code) and
 * window, the amount in micro-units and the event time. Counted into the agent's total of that
 * currency and window ({@link #totalKey}).
 */
public record AgentSpend(String agentId, String currency, long micros, long atMs, long windowMs) {

    /** The key of the agent's total in this currency and window. */
    public String totalKey() {
        return totalKey(agentId, currency, windowMs);
    }

    /**
     * {@code <currency>/<window_ms>/<agent>}: the agent last, so any agent id (even one with a
     * {@code /}) makes one unambiguous key.
     */
    public static String totalKey(String agentId, String currency, long windowMs) {
        return currency + '/' + windowMs + '/' + agentId;
    }

    /** Whether {@code key} has the form {@link #totalKey} gives (three-letter currency, a window, an agent). */
    public static boolean isTotalKey(String key) {
        return key != null && key.matches("(?s)[A-Z]{3}/[0-9]{1,13}/.+");
    }

    /** Compact binary form (the repartition topic's value). */
    public byte[] encode() {
        StateWriter out = new StateWriter(32 + agentId.length());
        out.writeString(agentId);
        out.writeString(currency);
        out.writeVarLong(micros);
        out.writeSignedVarLong(atMs);
        out.writeVarLong(windowMs);
        return out.toByteArray();
    }

    /** What {@link #encode} wrote; an IllegalArgumentException when these bytes are not one. */
    public static AgentSpend decode(byte[] bytes) {
        try {
            StateReader in = new StateReader(bytes, 0);
            AgentSpend spend = new AgentSpend(in.readString(), in.readString(), in.readVarLong(),
                    in.readSignedVarLong(), in.readVarLong());
            if (in.position() == bytes.length && spend.windowMs > 0 && spend.micros > 0) {
                return spend;
            }
        } catch (IllegalStateException e) {
            // truncated
        }
        throw new IllegalArgumentException("not an agent's spend amount");
    }
}
