package io.noos.streams.kafka.store;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds an {@link ObjectStore} over a persistent RocksDB key-value store with a changelog and
 * without Kafka Streams' record cache (the objects are the cache). Logging can be configured as
 * for any store; caching cannot be turned on.
 */
public final class ObjectStoreBuilder<K, V> implements StoreBuilder<ObjectStore<K, V>> {
    /** Unchanged values kept as objects per task: a few MB of heap, enough for a busy partition's active users. */
    public static final int DEFAULT_CLEAN_CAPACITY = 4096;
    /** Changed keys waiting for the commit before they are written early (bounds the heap between commits). */
    public static final int DEFAULT_DIRTY_LIMIT = 20_000;

    private final StoreBuilder<KeyValueStore<K, V>> inner;
    private final int cleanCapacity;
    private final int dirtyLimit;

    private ObjectStoreBuilder(StoreBuilder<KeyValueStore<K, V>> inner, int cleanCapacity, int dirtyLimit) {
        this.inner = inner;
        this.cleanCapacity = cleanCapacity;
        this.dirtyLimit = dirtyLimit;
    }

    /** A changelogged store named {@code name}, its keys and values written with these serdes. */
    public static <K, V> ObjectStoreBuilder<K, V> persistent(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new ObjectStoreBuilder<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keySerde,
                valueSerde).withCachingDisabled().withLoggingEnabled(Map.of()), DEFAULT_CLEAN_CAPACITY,
                DEFAULT_DIRTY_LIMIT);
    }

    /** The same, keeping at most {@code cleanCapacity} unchanged objects and writing early past {@code dirtyLimit} changes. */
    public ObjectStoreBuilder<K, V> withLimits(int cleanCapacity, int dirtyLimit) {
        if (cleanCapacity < 0 || dirtyLimit < 1) {
            throw new IllegalArgumentException("cleanCapacity >= 0 and dirtyLimit >= 1");
        }
        return new ObjectStoreBuilder<>(inner, cleanCapacity, dirtyLimit);
    }

    @Override
    public ObjectStoreBuilder<K, V> withCachingEnabled() {
        return this;   // the objects are the cache
    }

    @Override
    public ObjectStoreBuilder<K, V> withCachingDisabled() {
        return this;
    }

    @Override
    public ObjectStoreBuilder<K, V> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    @Override
    public ObjectStoreBuilder<K, V> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public ObjectStore<K, V> build() {
        return new ObjectStore<>(inner.build(), cleanCapacity, dirtyLimit);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
