package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store in the process: one block cache shared by all
 * stores, whose size {@value #MEMORY_BYTES} sets ({@value #DEFAULT_MEMORY_BYTES} bytes by
 * default), with memtables counted against it through a shared write-buffer manager and index and
 * filter blocks kept in it too. Without this each store instance (one per partition) gets its own
 * default cache and memtables, so memory grows with the partition count.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Total bytes for block cache, memtables, indexes and filters of all stores. */
    public static final String MEMORY_BYTES = ServiceConfig.ROCKSDB_MEMORY_BYTES;
    public static final long DEFAULT_MEMORY_BYTES = ServiceConfig.DEFAULT_ROCKSDB_MEMORY_BYTES;
    /** Share of the memory that memtables may use. */
    private static final double MEMTABLE_SHARE = 0.5;
    /** Share of the cache reserved for index and filter blocks (high priority). */
    private static final double INDEX_FILTER_SHARE = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void createShared(long bytes) {
        if (cache == null) {
            cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            writeBufferManager = new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache);
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_BYTES);
        createShared(configured == null ? DEFAULT_MEMORY_BYTES : Long.parseLong(configured.toString().trim()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by all stores and live as long as the process
    }
}
