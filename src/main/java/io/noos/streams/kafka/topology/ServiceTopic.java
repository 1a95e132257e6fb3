package io.noos.streams.kafka.topology;

import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The service's topics, each declared once: the configuration key that renames it, its default
 * name, what its records' keys and values are, and how the service creates it when it is missing.
 * The configuration's defaults, topic creation, {@link TopologySettings} and the docs' test read
 * them from here.
 */
public enum ServiceTopic {
    AGENT_EVENTS("noos.input.topic", "agent-events", "user id", "envelope", Creation.EVENT_LOG),
    DECISIONS("noos.decisions.topic", "regulator-decisions", "user id", "decision record", Creation.EVENT_LOG),
    DEAD_LETTERS("noos.dlq.topic", "regulator-dlq", "as received (bytes, even when not UTF-8)", "the raw input bytes",
            Creation.EVENT_LOG),
    FLEET_STATS("noos.fleet.stats.topic", "regulator-fleet-stats", "<agent>@<window start ms, 13 digits> (* = fleet)",
            "the merged window's counts, JSON", Creation.EVENT_LOG),
    POLICIES("noos.policies.topic", "regulator-policies", "user id, * or agent:<agent_id>", "a policy, JSON",
            Creation.COMPACTED),
    AGENT_SPEND("noos.agent.spend.topic", "regulator-agent-spend", "<currency>/<window_ms>/<agent_id>",
            "the agent's spend in the rolling window (agent_spend_budget), binary slots", Creation.COMPACTED);

    /**
     * How the service creates a missing topic.
     *
     * <p>Producers may stamp records with the event time, months in the past for a replayed log;
     * with the default CreateTime, time-based retention would delete such records almost as soon as
     * they land. So event logs use LogAppendTime: retention counts from arrival, and the broker
     * refuses no producer's timestamp. Event time travels in the payload ({@code at_ms}); what the
     * service writes carries the input record's timestamp, so CreateTime topics created beforehand
     * work too.
     */
    public enum Creation {
        /** The configured partitions, {@code message.timestamp.type=LogAppendTime}, the configured retention. */
        EVENT_LOG,
        /** One partition, compacted: the newest entry per key is kept for good, a tombstone deletes it. */
        COMPACTED
    }

    private final String configKey;
    private final String defaultName;
    private final String key;
    private final String value;
    private final Creation creation;

    ServiceTopic(String configKey, String defaultName, String key, String value, Creation creation) {
        this.configKey = configKey;
        this.defaultName = defaultName;
        this.key = key;
        this.value = value;
        this.creation = creation;
    }

    /** The {@code noos.*} key whose value names the topic. */
    public String configKey() {
        return configKey;
    }

    public String defaultName() {
        return defaultName;
    }

    /** What a record's key is. */
    public String key() {
        return key;
    }

    /** What a record's value is. */
    public String value() {
        return value;
    }

    public Creation creation() {
        return creation;
    }

    /** The partitions to create it with, given the configured count ({@code noos.topic.partitions}). */
    public int partitions(int configured) {
        return creation == Creation.COMPACTED ? 1 : configured;
    }

    /** The topic configuration to create it with, given the configured retention ({@code noos.output.retention.ms}). */
    public Map<String, String> topicConfigs(long retentionMs) {
        return switch (creation) {
            case EVENT_LOG -> Map.of(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
            case COMPACTED -> Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        };
    }
}
