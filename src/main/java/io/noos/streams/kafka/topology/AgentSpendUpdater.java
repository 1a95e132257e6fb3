package io.noos.streams.kafka.topology;

import io.noos.streams.detect.AgentSpend;
import io.noos.streams.detect.AgentSpendBook;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link AgentSpendBook} the stream threads read in step with the agent-spend topic: each
 * record replaces its agent total in the book (a tombstone removes it) and is kept in the global
 * store, from which the book is filled again at start. A malformed record (a key that is no total's
 * key, a value that is no total) is logged at WARN with its key and why and skipped; the total
 * stays as it was.
 */
final class AgentSpendUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSpendUpdater.class);

    private final String storeName;
    private final AgentSpendBook book;
    private KeyValueStore<String, byte[]> store;

    AgentSpendUpdater(String storeName, AgentSpendBook book) {
        this.storeName = storeName;
        this.book = book;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                apply(entry.key, entry.value);
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (apply(record.key(), record.value())) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }

    /** Applies one record to the book; false (logged) when it is malformed. */
    private boolean apply(String key, byte[] value) {
        if (!AgentSpend.isTotalKey(key)) {
            LOG.warn("agent-spend record '{}' skipped: the key is not <currency>/<window_ms>/<agent_id>", key);
            return false;
        }
        if (value == null) {
            book.remove(key);
            return true;
        }
        try {
            book.put(key, AgentSpendBook.decode(value));
            return true;
        } catch (IllegalArgumentException e) {
            LOG.warn("agent-spend record '{}' skipped, the agent's total stays as it was: {}", key, e.getMessage());
            return false;
        }
    }
}
