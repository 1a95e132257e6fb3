package io.noos.streams.policy;

import io.noos.streams.core.FieldChecks;

/**
 * The keys of the policies topic: {@code *} (everyone's default), {@code agent:<agent_id>} (events
 * sent by that agent) and anything else, a user id. A user whose id is {@code *} or starts with
 * {@code agent:} cannot have an entry of their own.
 */
public sealed interface PolicyKey {
    String DEFAULT = "*";
    String AGENT_PREFIX = "agent:";

    /** The text of the key as on the topic. */
    String text();

    record Default() implements PolicyKey {
        @Override
        public String text() {
            return DEFAULT;
        }
    }

    record Agent(String agentId) implements PolicyKey {
        @Override
        public String text() {
            return AGENT_PREFIX + agentId;
        }
    }

    record User(String userId) implements PolicyKey {
        @Override
        public String text() {
            return userId;
        }
    }

    /** Classifies a record key; throws {@link InvalidPolicyException} for a missing or unusable one. */
    static PolicyKey parse(String key) {
        if (key == null) {
            throw new InvalidPolicyException("the record has no key; the key is a user id, '*' or 'agent:<agent_id>'");
        }
        if (key.isEmpty()) {
            throw new InvalidPolicyException("the key is empty; use a user id, '*' or 'agent:<agent_id>'");
        }
        if (FieldChecks.firstUnpairedSurrogate(key) >= 0) {
            throw new InvalidPolicyException("the key holds an unpaired surrogate; keys must be valid Unicode");
        }
        if (key.equals(DEFAULT)) {
            return new Default();
        }
        if (key.startsWith(AGENT_PREFIX)) {
            String agent = key.substring(AGENT_PREFIX.length());
            if (agent.isEmpty()) {
                throw new InvalidPolicyException("the key 'agent:' names no agent; use 'agent:<agent_id>'");
            }
            return new Agent(agent);
        }
        return new User(key);
    }
}
