package io.noos.streams.kafka.http;

import io.noos.streams.kafka.topology.ServiceStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link StoreQueries} with everything set by the test: stores, owners, local values, hosts. */
final class FakeStoreQueries implements StoreQueries {
    String userStateStore = ServiceStore.USER_STATE.storeName();
    final Set<String> stores = new HashSet<>(Set.of(userStateStore, ServiceStore.LATEST_DECISION.storeName(),
            ServiceStore.FLEET_STATS.storeName()));
    final Map<String, Owner> owners = new HashMap<>();
    final Map<String, String> snapshots = new HashMap<>();
    final Map<String, String> decisions = new HashMap<>();
    final List<String> fleetWindows = new ArrayList<>();
    final List<String> hosts = new ArrayList<>(List.of("self:1"));
    final Map<String, String> policies = new java.util.TreeMap<>();
    boolean storesUnavailable;
    Long lastFleetFrom;

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
        return owners.getOrDefault(key, new Owner.Here(0));
    }

    @Override
    public Optional<String> userSnapshotJson(String userId, int partition) {
        failIfUnavailable();
        return Optional.ofNullable(snapshots.get(userId));
    }

    @Override
    public Optional<byte[]> latestDecision(String userId, int partition) {
        failIfUnavailable();
        return Optional.ofNullable(decisions.get(userId)).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<byte[]> localFleetWindows(long fromMs) {
        failIfUnavailable();
        lastFleetFrom = fromMs;
        return fleetWindows.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public Map<String, byte[]> policies() {
        failIfUnavailable();
        Map<String, byte[]> out = new java.util.TreeMap<>();
        policies.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    @Override
    public List<String> hostsOf(String store) {
        return hosts;
    }

    @Override
    public String self() {
        return "self:1";
    }

    private void failIfUnavailable() {
        if (storesUnavailable) {
            throw new StoreUnavailableException("rebalancing", null);
        }
    }
}
