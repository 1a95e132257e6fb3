package io.noos.streams.kafka.http;

import io.noos.streams.fleet.FleetKey;
import io.noos.streams.json.SnapshotJson;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.decide.UserState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** {@link StoreQueries} over a {@link KafkaStreams} instance (interactive queries). */
final class KafkaStreamsQueries implements StoreQueries {
    private static final long MAX_WINDOW_MS = 3_600_000L;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String userStateStore;
    private final Set<String> stores;

    /**
     * @param self           this instance's {@code application.server}
     * @param userStateStore the name of the store of the users' states
     * @param stores         the names of the topology's state stores
     */
    KafkaStreamsQueries(KafkaStreams streams, HostInfo self, String userStateStore, Set<String> stores) {
        this.streams = streams;
        this.self = self;
        this.userStateStore = userStateStore;
        this.stores = Set.copyOf(stores);
    }

    @Override
    public String userStateStore() {
        return userStateStore;
    }

    @Override
    public boolean hasStore(String store) {
        return stores.contains(store);
    }

    @Override
    public Owner ownerOf(String store, String key) {
        KeyQueryMetadata meta;
        try {
            meta = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (StreamsNotStartedException | IllegalStateException e) {
            return new Owner.Unknown();
        }
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE || meta.activeHost() == null
                || HostInfo.unavailable().equals(meta.activeHost())) {
            return new Owner.Unknown();
        }
        return self.equals(meta.activeHost()) ? new Owner.Here(meta.partition())
                : new Owner.Peer(hostPort(meta.activeHost()));
    }

    @Override
    public Optional<String> userSnapshotJson(String userId, int partition) {
        UserState state = get(QueryableStoreTypes.<String, UserState>keyValueStore(), userStateStore,
                userId, partition);
        return Optional.ofNullable(state).map(s -> SnapshotJson.toJson(s.regulator().export()));
    }

    @Override
    public Optional<byte[]> latestDecision(String userId, int partition) {
        return Optional.ofNullable(get(QueryableStoreTypes.<String, byte[]>keyValueStore(),
                ServiceStore.LATEST_DECISION.storeName(), userId, partition));
    }

    private <V> V get(QueryableStoreType<ReadOnlyKeyValueStore<String, V>> type, String store, String key, int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(store, type).withPartition(partition)).get(key);
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException(store + " is not queryable here now: " + e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> localFleetWindows(long fromMs) {
        List<byte[]> out = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ServiceStore.FLEET_STATS.storeName(), QueryableStoreTypes.<String, byte[]>keyValueStore()));
            try (KeyValueIterator<String, byte[]> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, byte[]> kv = all.next();
                    if (kv.value != null && FleetKey.windowStart(kv.key, Long.MAX_VALUE) > fromMs - MAX_WINDOW_MS) {
                        out.add(kv.value);
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException(ServiceStore.FLEET_STATS.storeName() + " is not queryable here now: "
                    + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public java.util.Map<String, byte[]> policies() {
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ServiceStore.POLICIES.storeName(), QueryableStoreTypes.<String, byte[]>keyValueStore()));
            try (KeyValueIterator<String, byte[]> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, byte[]> kv = all.next();
                    if (kv.value != null) {
                        out.put(kv.key, kv.value);
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException(ServiceStore.POLICIES.storeName() + " is not queryable here now: "
                    + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<String> hostsOf(String store) {
        List<String> out = new ArrayList<>();
        try {
            for (StreamsMetadata m : streams.streamsMetadataForStore(store)) {
                if (m.stateStoreNames().contains(store)) { // active tasks only; standbys are not queried
                    out.add(hostPort(m.hostInfo()));
                }
            }
        } catch (StreamsNotStartedException | IllegalStateException e) {
            return List.of();
        }
        return out;
    }

    @Override
    public String self() {
        return hostPort(self);
    }

    static String hostPort(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
