package io.noos.streams.decide;

import io.noos.streams.policy.PolicyBook;

/** Where the settings of a user's events come from (a fixed default, or per-user policies over one). */
@FunctionalInterface
public interface UserSettingsSource {
    /** The settings for an event of {@code userId} sent by {@code agentId} (null when the envelope names none). */
    UserSettings forEvent(String userId, String agentId);

    static UserSettingsSource fixed(UserSettings settings) {
        return (userId, agentId) -> settings;
    }

    /** The entries of {@code book} (user, then agent, then {@code *}) over {@code base}, field by field. */
    static UserSettingsSource withPolicies(UserSettingsSource base, PolicyBook book) {
        return (userId, agentId) -> base.forEvent(userId, agentId).overriddenBy(book.effective(userId, agentId));
    }
}
