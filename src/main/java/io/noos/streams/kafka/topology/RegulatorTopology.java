package io.noos.streams.kafka.topology;

import static io.noos.streams.kafka.topology.ServiceStore.AGENT_SPEND_TOTALS;
import static io.noos.streams.kafka.topology.ServiceStore.FLEET_MERGE;
import static io.noos.streams.kafka.topology.ServiceStore.FLEET_PARTIALS;
import static io.noos.streams.kafka.topology.ServiceStore.FLEET_STATS;
import static io.noos.streams.kafka.topology.ServiceStore.FLEET_USER_TOKENS;
import static io.noos.streams.kafka.topology.ServiceStore.LATEST_DECISION;

import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.detect.AgentSpend;
import io.noos.streams.detect.AgentSpendBook;
import io.noos.streams.fleet.FleetSpendBook;
import io.noos.streams.fleet.TaskPartial;
import io.noos.streams.kafka.serde.AgentSpendSerde;
import io.noos.streams.kafka.serde.DecisionSerde;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.kafka.serde.TaskPartialSerde;
import io.noos.streams.kafka.serde.UserStateSerde;
import io.noos.streams.kafka.store.ObjectStoreBuilder;
import io.noos.streams.policy.PolicyBook;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's topology, as a pure function of its settings (used by the app, the tests and the
 * generated docs): agent-events keyed by user → one regulator per user in a persistent RocksDB
 * store, with each user's settings from the configuration and the policies topic (a global store)
 * → a decision per non-token event on regulator-decisions (the latest per user kept in a store),
 * bad records on regulator-dlq, and each task's partial fleet counts repartitioned by window and
 * merged into regulator-fleet-stats, which every instance reads back (a second global store) for
 * the fleet's spend per window, the baseline of the {@code fleet_spend_anomaly} detector. Under an
 * agent-wide spend budget ({@code agent_spend_budget}), each counted cost is also repartitioned by
 * agent, added to the agent's total and published to regulator-agent-spend, which every instance
 * reads back (a third global store) for that detector.
 */
public final class RegulatorTopology {
    public static final String SOURCE = "agent-events-source";
    public static final String PROCESSOR = "regulator";
    public static final String ROUTE = "route-";
    public static final String DECISIONS_BRANCH = ROUTE + "decisions";
    public static final String DEAD_LETTER_BRANCH = ROUTE + "dead-letters";
    public static final String FLEET_STATS_BRANCH = ROUTE + "fleet-stats";
    public static final String AGENT_SPEND_BRANCH = ROUTE + "agent-spend";

    public static final String POLICIES = "policies";
    public static final String FLEET_SPEND = "fleet-spend";
    public static final String FLEET_STATS_REPARTITION = "fleet-stats-partials";
    public static final String FLEET_STATS_MERGE = "fleet-stats-merge";
    public static final String AGENT_SPEND_REPARTITION = "agent-spend-amounts";
    public static final String AGENT_SPEND_COUNT = "agent-spend-count";
    public static final String AGENT_SPEND = "agent-spend";

    private RegulatorTopology() {}

    public static Topology build(TopologySettings settings) {
        return build(settings, ProcessingObserver.NONE);
    }

    /** The same topology, reporting what it does (decisions, dead letters, refused policies) to {@code observer}. */
    public static Topology build(TopologySettings settings, ProcessingObserver observer) {
        StreamsBuilder builder = new StreamsBuilder();
        // The user's state is serialised on every event: an event whose new state would not fit in a
        // record is refused before it is applied (RecordSizeLimit). The other stores written on every
        // event keep objects and serialise the changed keys once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(settings.userStateStore()), Serdes.String(),
                        new UserStateSerde(settings.decider().detectors(), settings.recordSizeLimit()))
                .withCachingEnabled()
                .withLoggingEnabled(Map.of()));
        builder.addStateStore(ObjectStoreBuilder.persistent(LATEST_DECISION.storeName(), Serdes.String(),
                Serdes.ByteArray()));
        builder.addStateStore(ObjectStoreBuilder.persistent(FLEET_PARTIALS.storeName(), Serdes.String(),
                new TaskPartialSerde()));
        builder.addStateStore(ObjectStoreBuilder.persistent(FLEET_USER_TOKENS.storeName(), Serdes.String(),
                Serdes.Long()));
        builder.addStateStore(persistentBytes(FLEET_MERGE.storeName()));
        builder.addStateStore(persistentBytes(FLEET_STATS.storeName()));
        builder.addStateStore(persistentBytes(AGENT_SPEND_TOTALS.storeName()));

        PolicyBook policies = new PolicyBook();
        UserSettingsSource userSettings = UserSettingsSource.withPolicies(settings.decider().userSettings(), policies);
        FleetSpendBook fleetSpend = new FleetSpendBook();
        AgentSpendBook agentSpend = new AgentSpendBook();

        // Keys as bytes: the processor checks that a key is user_id's UTF-8, and a dead letter keeps it as received.
        KStream<byte[], byte[]> events = builder.stream(settings.inputTopic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withTimestampExtractor(new RecordTimestampExtractor())
                        .withName(SOURCE));

        DecisionSerde decisionSerde = new DecisionSerde(settings.decisionsFormat());
        boolean jsonDecisions = settings.decisionsFormat() == WireFormat.JSON;
        events.process(() -> new RegulatorProcessor(settings, userSettings, fleetSpend, agentSpend, observer), Named.as(PROCESSOR),
                        settings.userStateStore(), LATEST_DECISION.storeName(), FLEET_PARTIALS.storeName(),
                        FLEET_USER_TOKENS.storeName())
                .split(Named.as(ROUTE))
                .branch((user, outcome) -> outcome instanceof ProcessingOutcome.Decided,
                        Branched.withConsumer(decided -> decided
                                .mapValues(o -> {
                                    ProcessingOutcome.Decided d = (ProcessingOutcome.Decided) o;
                                    return jsonDecisions ? d.json() : decisionSerde.serialize(null, d.record());
                                }, Named.as("decision-record"))
                                .to(settings.decisionsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray())
                                        .withName("decisions-sink")), "decisions"))
                .branch((user, outcome) -> outcome instanceof ProcessingOutcome.DeadLettered,
                        Branched.withConsumer(dead -> dead
                                .map((none, o) -> {
                                    ProcessingOutcome.DeadLettered d = (ProcessingOutcome.DeadLettered) o;
                                    return KeyValue.pair(d.key(), d.value());
                                }, Named.as("dead-letter-value"))
                                .to(settings.deadLetterTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                        .withName("dead-letters-sink")), "dead-letters"))
                .branch((key, outcome) -> outcome instanceof ProcessingOutcome.FleetPartial,
                        Branched.withConsumer(partials -> partials
                                .mapValues(o -> ((ProcessingOutcome.FleetPartial) o).partial(), Named.as("fleet-partial"))
                                // Partials are few (changed windows x agents, every few seconds): one merge task.
                                .repartition(Repartitioned.<String, TaskPartial>as(FLEET_STATS_REPARTITION)
                                        .withKeySerde(Serdes.String()).withValueSerde(new TaskPartialSerde())
                                        .withNumberOfPartitions(1))
                                .process(() -> new FleetStatsMerger(settings.fleetStats(), FLEET_MERGE.storeName(),
                                        FLEET_STATS.storeName()), Named.as(FLEET_STATS_MERGE), FLEET_MERGE.storeName(),
                                        FLEET_STATS.storeName())
                                .to(settings.fleetStatsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray())
                                        .withName("fleet-stats-sink")), "fleet-stats"))
                .branch((key, outcome) -> outcome instanceof ProcessingOutcome.AgentSpent,
                        Branched.withConsumer(amounts -> amounts
                                .mapValues(o -> ((ProcessingOutcome.AgentSpent) o).spend(), Named.as("agent-spend-amount"))
                                // Only under an agent-wide budget (opt-in): one record per priced cost event.
                                .repartition(Repartitioned.<String, AgentSpend>as(AGENT_SPEND_REPARTITION)
                                        .withKeySerde(Serdes.String()).withValueSerde(new AgentSpendSerde()))
                                .process(() -> new AgentSpendCounter(AGENT_SPEND_TOTALS.storeName()),
                                        Named.as(AGENT_SPEND_COUNT), AGENT_SPEND_TOTALS.storeName())
                                .to(settings.agentSpendTopic(), Produced.with(Serdes.String(), Serdes.ByteArray())
                                        .withName("agent-spend-sink")), "agent-spend"));

        // Policies: every instance reads the whole topic; the stream threads read the book it fills.
        // Added last so the regulator's sub-topology keeps id 0 (task ids 0_n, as before policies).
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ServiceStore.POLICIES.storeName()), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                settings.policiesTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(POLICIES),
                () -> new PolicyUpdater(ServiceStore.POLICIES.storeName(), policies, observer,
                        settings.decider().detectors(), settings.decider().prices()));

        // The fleet's spend per window, read back from the merged fleet stats by every instance for
        // the detectors that compare a user with the fleet. Added after the policies so every
        // earlier sub-topology keeps its id.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ServiceStore.FLEET_SPEND.storeName()), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                settings.fleetStatsTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(FLEET_SPEND),
                () -> new FleetSpendUpdater(ServiceStore.FLEET_SPEND.storeName(), fleetSpend));

        // The agents' totals for the agent-wide budget, read back by every instance (whose users of
        // an agent live on other instances too). Added last so every earlier sub-topology keeps its id.
        builder.addGlobalStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ServiceStore.AGENT_SPEND.storeName()), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                settings.agentSpendTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(AGENT_SPEND),
                () -> new AgentSpendUpdater(ServiceStore.AGENT_SPEND.storeName(), agentSpend));
        return builder.build();
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> persistentBytes(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of());
    }
}
