package io.noos.streams.kafka.topology;

import io.noos.streams.policy.InvalidPolicyException;
import io.noos.streams.policy.Policy;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceTable;
import io.noos.streams.pricing.PriceTableJson;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the policies global store and the in-memory {@link PolicyBook} the stream threads read in
 * step with the policies topic. A record is validated first: a valid one replaces its key's entry
 * (stored as canonical JSON), a tombstone deletes it, and a refused one (no or empty key, bad JSON,
 * a value out of range) is logged at WARN with its key and reason, reported to the
 * {@link ProcessingObserver}, and leaves the previous entry in force. Also runs when the store is
 * rebuilt from the topic at startup, so a restart ends with the same entries.
 */
final class PolicyUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyUpdater.class);

    private final String storeName;
    private final PolicyBook book;
    private final ProcessingObserver observer;
    private KeyValueStore<String, byte[]> store;

    private final DetectorRegistry detectors;

    private final PriceBook prices;

    PolicyUpdater(String storeName, PolicyBook book, ProcessingObserver observer, DetectorRegistry detectors,
                  PriceBook prices) {
        this.detectors = detectors;
        this.prices = prices;
        this.storeName = storeName;
        this.book = book;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (PriceBook.POLICY_KEY.equals(entry.key)) {
                    prices.setFromTopic(PriceTableJson.parse(entry.value)); // validated when stored
                    continue;
                }
                book.put(PolicyKey.parse(entry.key), PolicyJson.parse(entry.value, detectors)); // validated when stored
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (PriceBook.POLICY_KEY.equals(key)) {
            processPrices(record.value());
            return;
        }
        PolicyKey policyKey;
        Policy policy = null;
        try {
            policyKey = PolicyKey.parse(key);
            if (record.value() != null) {
                policy = PolicyJson.parse(record.value(), detectors);
            }
        } catch (InvalidPolicyException e) {
            LOG.warn("policy record for key '{}' refused, the previous entry stays in force: {}", key, e.getMessage());
            observer.policyRejected(key, e.getMessage());
            return;
        }
        // The book first: whoever sees the entry in the store can rely on the stream threads seeing it.
        if (policy == null) {
            book.remove(policyKey);
            store.delete(key);
            LOG.debug("policy for key '{}' deleted", key);
        } else {
            book.put(policyKey, policy);
            store.put(key, PolicyJson.toBytes(policy));
            LOG.debug("policy for key '{}' set: {}", key, PolicyJson.toJson(policy));
        }
    }

    /** The reserved key: a price table replacing the file's, or a tombstone returning to it. */
    private void processPrices(byte[] value) {
        String key = PriceBook.POLICY_KEY;
        if (value == null) {
            prices.setFromTopic(null);
            store.delete(key);
            LOG.info("price table on the policies topic deleted; the price file's (if any) is in force");
            return;
        }
        PriceTable table;
        try {
            table = PriceTableJson.parse(value);
        } catch (IllegalArgumentException e) {
            LOG.warn("price table on the policies topic refused, the previous prices stay in force: {}", e.getMessage());
            observer.policyRejected(key, e.getMessage());
            return;
        }
        prices.setFromTopic(table);
        store.put(key, value);
        LOG.info("price table set on the policies topic ({} providers)", table.providers().size());
    }
}
