package io.noos.streams.decide;

import io.noos.streams.detect.DetectorRegistry;

/**
 * What {@link UserDecider} runs with: where each event's settings come from, whether a new session
 * resets the regulator, how many recent event ids per user are remembered to drop duplicates (0
 * turns it off), and the opt-in detectors that settings and policies may enable.
 */
public record DeciderSettings(UserSettingsSource userSettings, boolean resetOnNewSession, int recentEventIds,
                              DetectorRegistry detectors) {
    /** How many recent event ids per user are remembered for duplicate detection by default. */
    public static final int DEFAULT_RECENT_IDS = 64;

    /** The reference's defaults for everyone, reset on a new session, 64 ids, the built-in detectors. */
    public static final DeciderSettings DEFAULTS = new DeciderSettings(UserSettingsSource.fixed(UserSettings.DEFAULTS),
            true, DEFAULT_RECENT_IDS, DetectorRegistry.BUILT_IN);

    public DeciderSettings withUserSettings(UserSettingsSource source) {
        return new DeciderSettings(source, resetOnNewSession, recentEventIds, detectors);
    }
}
