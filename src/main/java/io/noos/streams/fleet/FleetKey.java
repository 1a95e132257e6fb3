package io.noos.streams.fleet;

/**
 * Keys of the fleet aggregates: {@code <agent>@<window start ms, 13-digit zero-padded>}, where
 * {@code <agent>} is an agent id or {@code *} for the whole fleet. Zero padding makes the keys of
 * one agent sort by window.
 */
public final class FleetKey {
    /** The scope of fleet-wide totals. */
    public static final String FLEET = "*";

    private FleetKey() {}

    public static String of(String agent, long windowStartMs) {
        String digits = Long.toString(windowStartMs);
        StringBuilder key = new StringBuilder(agent.length() + 14).append(agent).append('@');
        for (int i = digits.length(); i < 13; i++) {
            key.append('0');
        }
        return key.append(digits).toString();
    }

    /** The agent part of a key (agent ids may contain '@'; the window never does). */
    public static String agent(String key) {
        return key.substring(0, key.lastIndexOf('@'));
    }

    public static long windowStart(String key) {
        return Long.parseLong(key.substring(key.lastIndexOf('@') + 1));
    }
}
