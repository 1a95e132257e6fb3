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

    /** The window start of {@code key}, or {@code orElse} when it is null or does not end in {@code @<number>}. */
    public static long windowStart(String key, long orElse) {
        int at = key == null ? -1 : key.lastIndexOf('@');
        if (at < 0) {
            return orElse;
        }
        try {
            return Long.parseLong(key.substring(at + 1));
        } catch (NumberFormatException e) {
            return orElse;
        }
    }

    /** Whether {@code key} has a scope part, {@code <scope>@...}. */
    public static boolean hasScope(String key) {
        return key.lastIndexOf('@') >= 0;
    }

    /** Whether {@code key} (which has a scope) is the fleet scope's, {@code *@...}, rather than an agent's. */
    public static boolean isFleet(String key) {
        return FLEET.equals(agent(key));
    }

    /** The window start of {@code key} when it ends exactly as {@link #of} writes it ({@code @} and 13 digits), else -1. */
    public static long exactWindowStart(String key) {
        String digits = key.substring(key.lastIndexOf('@') + 1);
        if (digits.length() != 13 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }
}
