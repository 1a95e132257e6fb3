package io.noos.streams.kafka.topology;

/** Where a user's regulator settings come from (a fixed default, or per-user policies). */
@FunctionalInterface
public interface UserSettingsSource {
    UserSettings forUser(String userId);

    static UserSettingsSource fixed(UserSettings settings) {
        return userId -> settings;
    }
}
