package io.noos.streams.kafka.topology;

import io.noos.streams.kafka.serde.DecisionCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's topology, as a pure function of its settings (used by the app, the tests and the
 * generated docs): agent-events keyed by user → one regulator per user in a persistent RocksDB
 * store → a decision per non-token event on regulator-decisions, bad records on regulator-dlq.
 */
public final class RegulatorTopology {
    public static final String SOURCE = "agent-events-source";
    public static final String PROCESSOR = "regulator";
    public static final String ROUTE = "route-";
    public static final String DECISIONS_BRANCH = ROUTE + "decisions";
    public static final String DEAD_LETTER_BRANCH = ROUTE + "dead-letters";

    private RegulatorTopology() {}

    public static Topology build(TopologySettings settings) {
        return build(settings, ProcessingObserver.NONE);
    }

    /** The same topology, with the regulator processor reporting what it does to {@code observer}. */
    public static Topology build(TopologySettings settings, ProcessingObserver observer) {
        StreamsBuilder builder = new StreamsBuilder();
        StoreBuilder<KeyValueStore<String, UserState>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(settings.storeName()), Serdes.String(), new UserStateSerde())
                .withCachingEnabled()
                .withLoggingEnabled(java.util.Map.of());
        builder.addStateStore(store);

        KStream<String, byte[]> events = builder.stream(settings.inputTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withTimestampExtractor(new EnvelopeTimestampExtractor())
                        .withName(SOURCE));

        events.processValues(() -> new RegulatorProcessor(settings, observer), Named.as(PROCESSOR), settings.storeName())
                .split(Named.as(ROUTE))
                .branch((user, outcome) -> outcome instanceof ProcessingOutcome.Decided,
                        Branched.withConsumer(decided -> decided
                                .mapValues(o -> ((ProcessingOutcome.Decided) o).record(), Named.as("decision-record"))
                                .to(settings.decisionsTopic(), Produced.with(Serdes.String(),
                                                new DecisionCodec(settings.decisionsFormat()))
                                        .withName("decisions-sink")), "decisions"))
                .branch((user, outcome) -> outcome instanceof ProcessingOutcome.DeadLettered,
                        Branched.withConsumer(dead -> dead
                                .mapValues(o -> ((ProcessingOutcome.DeadLettered) o).rawValue(), Named.as("dead-letter-value"))
                                .to(settings.deadLetterTopic(), Produced.with(Serdes.String(), Serdes.ByteArray())
                                        .withName("dead-letters-sink")), "dead-letters"));
        return builder.build();
    }
}
