package io.noos.streams.kafka.topology;

import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.kafka.serde.WireFormat;
import io.noos.streams.policy.PolicyRejections;

/**
 * Everything the topology builder needs: topic and store names, wire formats, per-user defaults,
 * the reset rule, how many recent event ids per user are remembered to drop duplicates, the
 * policies topic, the fleet aggregates, where refused policy records are counted, the opt-in
 * detectors that settings and policies may enable, how far ahead of the wall clock event times
 * may be, and how large a record the service may write.
 */
public record TopologySettings(String inputTopic, String decisionsTopic, String deadLetterTopic, String storeName,
                               WireFormat inputFormat, WireFormat decisionsFormat, UserSettingsSource userSettings,
                               boolean resetOnNewSession, int recentEventIds, String policiesTopic,
                               FleetStatsSettings fleetStats, PolicyRejections policyRejections,
                               DetectorRegistry detectors, EventTimeBound eventTime,
                               RecordSizeLimit recordSizeLimit) {

    public static final String INPUT_TOPIC = "agent-events";
    public static final String DECISIONS_TOPIC = "regulator-decisions";
    public static final String DEAD_LETTER_TOPIC = "regulator-dlq";
    public static final String POLICIES_TOPIC = "regulator-policies";
    public static final String STORE_NAME = "regulator-state";

    /** The standard topic and store names, JSON on both topics, reference defaults, reset on. */
    public static TopologySettings defaults() {
        return new TopologySettings(INPUT_TOPIC, DECISIONS_TOPIC, DEAD_LETTER_TOPIC, STORE_NAME, WireFormat.JSON,
                WireFormat.JSON, UserSettingsSource.fixed(UserSettings.DEFAULTS), true, UserDecider.DEFAULT_RECENT_IDS,
                POLICIES_TOPIC, FleetStatsSettings.defaults(), new PolicyRejections(), DetectorRegistry.BUILT_IN,
                EventTimeBound.defaults(), RecordSizeLimit.defaults());
    }

    public TopologySettings withUserSettings(UserSettings s) {
        return withUserSettings(UserSettingsSource.fixed(s));
    }

    public TopologySettings withUserSettings(UserSettingsSource s) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, s, resetOnNewSession, recentEventIds, policiesTopic, fleetStats,
                policyRejections, detectors, eventTime, recordSizeLimit);
    }

    public TopologySettings withFormats(WireFormat input, WireFormat decisions) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, input, decisions,
                userSettings, resetOnNewSession, recentEventIds, policiesTopic, fleetStats,
                policyRejections, detectors, eventTime, recordSizeLimit);
    }

    public TopologySettings withResetOnNewSession(boolean reset) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, reset, recentEventIds, policiesTopic, fleetStats,
                policyRejections, detectors, eventTime, recordSizeLimit);
    }

    /** How many recent event ids per user to remember for duplicate detection (0 turns it off). */
    public TopologySettings withRecentEventIds(int count) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, resetOnNewSession, count, policiesTopic, fleetStats,
                policyRejections, detectors, eventTime, recordSizeLimit);
    }

    public TopologySettings withFleetStats(FleetStatsSettings stats) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, resetOnNewSession, recentEventIds, policiesTopic, stats,
                policyRejections, detectors, eventTime, recordSizeLimit);
    }

    public TopologySettings withPoliciesTopic(String topic) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, resetOnNewSession, recentEventIds, topic, fleetStats,
                policyRejections, detectors, eventTime, recordSizeLimit);
    }

    /** The detectors settings and policies may enable (the built-in ones by default). */
    public TopologySettings withDetectors(DetectorRegistry registry) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, resetOnNewSession, recentEventIds, policiesTopic, fleetStats,
                policyRejections, registry, eventTime, recordSizeLimit);
    }

    /** How far ahead of this instance's clock an event's {@code at_ms} may be. */
    public TopologySettings withEventTime(EventTimeBound bound) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, resetOnNewSession, recentEventIds, policiesTopic, fleetStats,
                policyRejections, detectors, bound, recordSizeLimit);
    }

    /** How large a record the service may write (the producer's default limit unless set). */
    public TopologySettings withRecordSizeLimit(RecordSizeLimit limit) {
        return new TopologySettings(inputTopic, decisionsTopic, deadLetterTopic, storeName, inputFormat,
                decisionsFormat, userSettings, resetOnNewSession, recentEventIds, policiesTopic, fleetStats,
                policyRejections, detectors, eventTime, limit);
    }
}
