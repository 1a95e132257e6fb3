package io.noos.streams.kafka.http;

import java.util.List;
import java.util.Optional;

/**
 * What the HTTP API asks of the local Kafka Streams instance: who owns a key, the local copies of
 * the stores, and which other instances host a store. Reads of local stores throw
 * {@link StoreUnavailableException} while a store is not queryable (rebalancing, restoring).
 */
interface StoreQueries {

    /** Where the active copy of a key lives. */
    sealed interface Owner {
        /** This instance, in partition {@code partition} of the store. */
        record Here(int partition) implements Owner {}

        /** Another instance, reachable at {@code hostPort} (its {@code application.server}). */
        record Peer(String hostPort) implements Owner {}

        /** Not known now: the application is starting or rebalancing. */
        record Unknown() implements Owner {}
    }

    /** The name of the store of the users' states (it can be configured). */
    String userStateStore();

    /** True when the running topology has a store of this name. */
    boolean hasStore(String store);

    Owner ownerOf(String store, String key);

    /** A user's regulator snapshot in the reference's snapshot JSON, from the local store. */
    Optional<String> userSnapshotJson(String userId, int partition);

    /** A user's latest decision record JSON, from the local store, as stored. */
    Optional<byte[]> latestDecision(String userId, int partition);

    /**
     * The values of the local fleet-statistics windows that may overlap {@code [fromMs, ∞)}: every
     * window whose start is later than {@code fromMs} minus one hour (windows last at most an hour).
     */
    List<byte[]> localFleetWindows(long fromMs);

    /**
     * Every entry of the policies global store (every instance holds all of it): policy key →
     * canonical policy JSON.
     */
    java.util.Map<String, byte[]> policies();

    /** The {@code host:port} of every instance with active tasks of {@code store}, this one included. */
    List<String> hostsOf(String store);

    /** This instance's {@code host:port}. */
    String self();
}
