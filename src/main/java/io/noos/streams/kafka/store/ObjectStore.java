package io.noos.streams.kafka.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps its values as objects and serialises the changed ones only when
 * Kafka Streams commits, into the changelogged RocksDB store underneath ({@link ObjectStoreBuilder}).
 *
 * <p>Kafka Streams' own record cache holds bytes: a cached store serialises the value on every
 * {@code put}, which for a value rewritten on every event (a user's whole regulator state, a task's
 * fleet partial) costs more than the processing itself. Here a {@code put} only remembers the
 * object; before each commit Kafka Streams asks every cached store to flush
 * ({@code CachedStateStore.flushCache}), and this store then writes each changed key once, with
 * its current value, to the inner store, whose changelog records join the commit (the same
 * transaction under exactly-once) as the record cache's would. So the changelog, RocksDB and the
 * committed offsets agree at every commit, exactly as with the record cache. {@code CachedStateStore}
 * is Kafka Streams' internal interface for that hook; no public API runs code before a commit.
 *
 * <p>The stream thread that owns the task reads its own writes from the objects. Any other thread
 * (interactive queries) reads the inner store: the values as of the task's last commit.
 *
 * <p>Changed keys are written early, still inside the commit interval, when more than
 * {@code dirtyLimit} of them wait, and before a range is read. Unchanged values stay cached
 * (at most {@code cleanCapacity}, least recently used dropped).
 */
public final class ObjectStore<K, V> implements StateStore, ReadOnlyKeyValueStore<K, V>, CachedStateStore<K, V> {
    private static final Object DELETED = new Object();

    private final KeyValueStore<K, V> inner;
    private final int dirtyLimit;
    /** Keys changed since the last flush, in order of first change; {@link #DELETED} for a delete. */
    private final LinkedHashMap<K, Object> dirty = new LinkedHashMap<>();
    private final LinkedHashMap<K, V> clean;
    private volatile Thread owner;

    ObjectStore(KeyValueStore<K, V> inner, int cleanCapacity, int dirtyLimit) {
        this.inner = inner;
        this.dirtyLimit = dirtyLimit;
        this.clean = new LinkedHashMap<>(Math.min(cleanCapacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > cleanCapacity;
            }
        };
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        owner = Thread.currentThread();
        dropObjects();
        inner.init(context, root);
    }

    private boolean owned() {
        return Thread.currentThread() == owner;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        if (!owned()) {
            return inner.get(key);
        }
        Object changed = dirty.get(key);
        if (changed != null) {
            return changed == DELETED ? null : (V) changed;
        }
        V value = clean.get(key);
        if (value == null) {
            value = inner.get(key);
            if (value != null) {
                clean.put(key, value);
            }
        }
        return value;
    }

    /** Keeps {@code value} (not null) as the key's value; serialised at the next commit. */
    public void put(K key, V value) {
        if (value == null) {
            throw new NullPointerException("value; use delete");
        }
        change(key, value);
    }

    public void delete(K key) {
        change(key, DELETED);
    }

    private void change(K key, Object value) {
        owner = Thread.currentThread();
        clean.remove(key);
        dirty.put(key, value);
        if (dirty.size() > dirtyLimit) {
            writeChanges();
        }
    }

    /**
     * Forgets the key's object (after a failure left it half-changed), so the next read takes the
     * value of the last commit from the inner store. Returns false, forgetting nothing, when the
     * key has changes since the last commit: those exist only in the object.
     */
    public boolean forget(K key) {
        if (dirty.containsKey(key)) {
            return false;
        }
        clean.remove(key);
        return true;
    }

    /** Writes every changed key, with its current value, to the inner store (and its changelog). */
    private void writeChanges() {
        if (dirty.isEmpty()) {
            return;
        }
        List<KeyValue<K, V>> puts = new ArrayList<>(dirty.size());
        for (Map.Entry<K, Object> e : dirty.entrySet()) {
            if (e.getValue() == DELETED) {
                if (!puts.isEmpty()) {
                    inner.putAll(puts);
                    puts.clear();
                }
                inner.delete(e.getKey());
            } else {
                @SuppressWarnings("unchecked")
                V value = (V) e.getValue();
                puts.add(KeyValue.pair(e.getKey(), value));
                clean.put(e.getKey(), value);
            }
        }
        if (!puts.isEmpty()) {
            inner.putAll(puts);
        }
        dirty.clear();
    }

    @Override
    public void flushCache() {
        writeChanges();
    }

    @Override
    public void clearCache() {
        dropObjects();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }

    private void dropObjects() {
        dirty.clear();
        clean.clear();
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        if (owned()) {
            writeChanges();
        }
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        if (owned()) {
            writeChanges();
        }
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    /** Closing drops what was not flushed: a clean close flushed before, a dirty one must lose it. */
    @Override
    public void close() {
        dropObjects();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}
