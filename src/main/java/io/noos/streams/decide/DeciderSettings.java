package io.noos.streams.decide;

import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.pricing.PriceBook;

/**
 * What {@link UserDecider} runs with: where each event's settings come from, whether a new session
 * resets the regulator, how many recent event ids per user are remembered to drop duplicates (0
 * turns it off), the opt-in detectors that settings and policies may enable, and the prices cost
 * events are priced by.
 */
public record DeciderSettings(UserSettingsSource userSettings, boolean resetOnNewSession, int recentEventIds,
                              DetectorRegistry detectors, PriceBook prices) {
    public DeciderSettings(UserSettingsSource userSettings, boolean resetOnNewSession, int recentEventIds,
                           DetectorRegistry detectors) {
        this(userSettings, resetOnNewSession, recentEventIds, detectors, new PriceBook());
    }

    /** How many recent event ids per user are remembered for duplicate detection by default. */
    public static final int DEFAULT_RECENT_IDS = 64;

    /** The reference's defaults for everyone, reset on a new session, 64 ids, the built-in detectors. */
    public static final DeciderSettings DEFAULTS = new DeciderSettings(UserSettingsSource.fixed(UserSettings.DEFAULTS),
            true, DEFAULT_RECENT_IDS, DetectorRegistry.BUILT_IN);

    public DeciderSettings withUserSettings(UserSettingsSource source) {
        return new DeciderSettings(source, resetOnNewSession, recentEventIds, detectors, prices);
    }

    public DeciderSettings withPrices(PriceBook book) {
        return new DeciderSettings(userSettings, resetOnNewSession, recentEventIds, detectors, book);
    }
}
