package io.noos.streams.kafka.topology;

import io.noos.streams.codec.WireFormat;
import io.noos.streams.decide.DeciderSettings;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.fleet.FleetStatsSettings;
import io.noos.streams.kafka.serde.RecordSizeLimit;

/**
 * Everything the topology builder needs: the topics' names ({@link ServiceTopic}), the user-state
 * store's name, the wire formats of the input and decisions topics, the per-user rules' settings
 * ({@link DeciderSettings}), the fleet aggregates', and how far ahead of the wall clock event times
 * may be ({@link EventTimeBound}), and how large a record the service may write
 * ({@link RecordSizeLimit}). Settings only: what the topology reports
 * while it runs (decisions, dead letters, refused policies) goes to the {@link ProcessingObserver}
 * passed beside them. Build with {@link #builder()} (the defaults) or {@link #toBuilder()}.
 */
public final class TopologySettings {
    private final String inputTopic;
    private final String decisionsTopic;
    private final String deadLetterTopic;
    private final String policiesTopic;
    private final String fleetStatsTopic;
    private final String agentSpendTopic;
    private final String userStateStore;
    private final WireFormat inputFormat;
    private final WireFormat decisionsFormat;
    private final DeciderSettings decider;
    private final FleetStatsSettings fleetStats;
    private final EventTimeBound eventTime;
    private final RecordSizeLimit recordSizeLimit;

    private TopologySettings(Builder b) {
        this.inputTopic = b.inputTopic;
        this.decisionsTopic = b.decisionsTopic;
        this.deadLetterTopic = b.deadLetterTopic;
        this.policiesTopic = b.policiesTopic;
        this.fleetStatsTopic = b.fleetStatsTopic;
        this.agentSpendTopic = b.agentSpendTopic;
        this.userStateStore = b.userStateStore;
        this.inputFormat = b.inputFormat;
        this.decisionsFormat = b.decisionsFormat;
        this.decider = new DeciderSettings(b.userSettings, b.resetOnNewSession, b.recentEventIds, b.detectors,
                b.prices != null ? b.prices : new PriceBook());
        this.fleetStats = b.fleetStats;
        this.eventTime = b.eventTime;
        this.recordSizeLimit = b.recordSizeLimit;
    }

    /** The default topic and store names, JSON on both topics, the reference's defaults, reset on. */
    public static TopologySettings defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputTopic = inputTopic;
        b.decisionsTopic = decisionsTopic;
        b.deadLetterTopic = deadLetterTopic;
        b.policiesTopic = policiesTopic;
        b.fleetStatsTopic = fleetStatsTopic;
        b.agentSpendTopic = agentSpendTopic;
        b.userStateStore = userStateStore;
        b.inputFormat = inputFormat;
        b.decisionsFormat = decisionsFormat;
        b.decider(decider);
        b.fleetStats = fleetStats;
        b.eventTime = eventTime;
        b.recordSizeLimit = recordSizeLimit;
        return b;
    }

    public String inputTopic() {
        return inputTopic;
    }

    public String decisionsTopic() {
        return decisionsTopic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public String policiesTopic() {
        return policiesTopic;
    }

    public String fleetStatsTopic() {
        return fleetStatsTopic;
    }

    public String agentSpendTopic() {
        return agentSpendTopic;
    }

    /** The name of the store of every user's state ({@link ServiceStore#USER_STATE} by default). */
    public String userStateStore() {
        return userStateStore;
    }

    public WireFormat inputFormat() {
        return inputFormat;
    }

    public WireFormat decisionsFormat() {
        return decisionsFormat;
    }

    /** The per-user rules' settings: per-event settings, reset rule, duplicate detection, detectors. */
    public DeciderSettings decider() {
        return decider;
    }

    public FleetStatsSettings fleetStats() {
        return fleetStats;
    }

    /** How far ahead of this instance's clock an event's {@code at_ms} may be. */
    public EventTimeBound eventTime() {
        return eventTime;
    }

    /** How large a record the service may write (the producer's default limit unless set). */
    public RecordSizeLimit recordSizeLimit() {
        return recordSizeLimit;
    }

    /** Settings being built; every field starts at its default. */
    public static final class Builder {
        private String inputTopic = ServiceTopic.AGENT_EVENTS.defaultName();
        private String decisionsTopic = ServiceTopic.DECISIONS.defaultName();
        private String deadLetterTopic = ServiceTopic.DEAD_LETTERS.defaultName();
        private String policiesTopic = ServiceTopic.POLICIES.defaultName();
        private String fleetStatsTopic = ServiceTopic.FLEET_STATS.defaultName();
        private String agentSpendTopic = ServiceTopic.AGENT_SPEND.defaultName();
        private String userStateStore = ServiceStore.USER_STATE.storeName();
        private WireFormat inputFormat = WireFormat.JSON;
        private WireFormat decisionsFormat = WireFormat.JSON;
        private UserSettingsSource userSettings = DeciderSettings.DEFAULTS.userSettings();
        private boolean resetOnNewSession = DeciderSettings.DEFAULTS.resetOnNewSession();
        private int recentEventIds = DeciderSettings.DEFAULTS.recentEventIds();
        private DetectorRegistry detectors = DeciderSettings.DEFAULTS.detectors();
        private FleetStatsSettings fleetStats = FleetStatsSettings.DEFAULTS;
        private EventTimeBound eventTime = EventTimeBound.defaults();
        private PriceBook prices;
        private RecordSizeLimit recordSizeLimit = RecordSizeLimit.defaults();

        private Builder() {}

        public Builder inputTopic(String topic) {
            this.inputTopic = topic;
            return this;
        }

        public Builder decisionsTopic(String topic) {
            this.decisionsTopic = topic;
            return this;
        }

        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = topic;
            return this;
        }

        public Builder policiesTopic(String topic) {
            this.policiesTopic = topic;
            return this;
        }

        public Builder fleetStatsTopic(String topic) {
            this.fleetStatsTopic = topic;
            return this;
        }

        public Builder agentSpendTopic(String topic) {
            this.agentSpendTopic = topic;
            return this;
        }

        public Builder userStateStore(String store) {
            this.userStateStore = store;
            return this;
        }

        public Builder formats(WireFormat input, WireFormat decisions) {
            this.inputFormat = input;
            this.decisionsFormat = decisions;
            return this;
        }

        public Builder decider(DeciderSettings settings) {
            this.userSettings = settings.userSettings();
            this.resetOnNewSession = settings.resetOnNewSession();
            this.recentEventIds = settings.recentEventIds();
            this.detectors = settings.detectors();
            this.prices = settings.prices();
            return this;
        }

        /**
         * The price table in force, which the price file's watcher and the policies topic's
         * reserved key update (default: a book of this topology's own, with no prices).
         */
        public Builder prices(PriceBook book) {
            this.prices = book;
            return this;
        }

        /** The same settings for every user's events. */
        public Builder userSettings(UserSettings settings) {
            return userSettings(UserSettingsSource.fixed(settings));
        }

        public Builder userSettings(UserSettingsSource source) {
            this.userSettings = source;
            return this;
        }

        public Builder resetOnNewSession(boolean reset) {
            this.resetOnNewSession = reset;
            return this;
        }

        /** How many recent event ids per user to remember for duplicate detection (0 turns it off). */
        public Builder recentEventIds(int count) {
            this.recentEventIds = count;
            return this;
        }

        /** The detectors settings and policies may enable (the built-in ones by default). */
        public Builder detectors(DetectorRegistry registry) {
            this.detectors = registry;
            return this;
        }

        public Builder fleetStats(FleetStatsSettings settings) {
            this.fleetStats = settings;
            return this;
        }

        public Builder eventTime(EventTimeBound bound) {
            this.eventTime = bound;
            return this;
        }

        public Builder recordSizeLimit(RecordSizeLimit limit) {
            this.recordSizeLimit = limit;
            return this;
        }

        public TopologySettings build() {
            return new TopologySettings(this);
        }
    }
}
