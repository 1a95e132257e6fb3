package io.noos.streams.kafka.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.fleet.FleetSpendBook;
import io.noos.streams.fleet.FleetView.FleetSpend;
import io.noos.streams.fleet.FleetKey;
import io.noos.streams.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link FleetSpendBook} the stream threads read in step with the fleet-stats topic: of
 * the merged windows, only the fleet scope's ({@code *@<window>}) matter; each one's
 * {@code user_spend} ({@code users}, {@code median_tokens_out}) replaces its window's figures in the
 * book, and its record is kept in the global store while the book keeps the window (so the store
 * holds the book's windows and nothing older). Records of agent scopes are passed over; a fleet
 * record without {@code user_spend} (written before it existed) is passed over too. A malformed
 * record (a key that is no fleet-stats key, a value that is not the window's JSON or whose figures
 * are out of range) is logged at WARN with its key and why (never its value) and skipped.
 */
final class FleetSpendUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSpendUpdater.class);

    private final String storeName;
    private final FleetSpendBook book;
    private KeyValueStore<String, byte[]> store;

    FleetSpendUpdater(String storeName, FleetSpendBook book) {
        this.storeName = storeName;
        this.book = book;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                try {
                    if (entry.key == null || !isFleetKey(entry.key)) {
                        continue; // not kept by process(); dropped below
                    }
                    FleetSpend spend = parse(entry.key, entry.value);
                    if (spend != null) {
                        book.put(spend);
                    }
                } catch (MalformedRecord e) {
                    LOG.warn("fleet-spend store entry '{}' skipped: {}", entry.key, e.getMessage());
                }
            }
        }
        dropWhatTheBookDropped();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            LOG.warn("fleet-stats record without a key skipped");
            return;
        }
        try {
            if (!isFleetKey(key)) {
                return; // an agent's window
            }
            if (record.value() == null) {
                book.remove(windowOf(key));
                store.delete(key);
                return;
            }
            FleetSpend spend = parse(key, record.value());
            if (spend == null) {
                LOG.debug("fleet-stats record '{}' has no user_spend (an older format): passed over", key);
                return;
            }
            // The book first: the store then holds only what the book has.
            if (book.put(spend)) {
                store.put(key, record.value());
                dropWhatTheBookDropped();
            }
        } catch (MalformedRecord e) {
            LOG.warn("fleet-stats record '{}' skipped, the fleet's spend figures stay as they were: {}", key,
                    e.getMessage());
        }
    }

    /** Deletes the store's records of windows the book no longer keeps. */
    private void dropWhatTheBookDropped() {
        List<String> dropped = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (book.spendIn(windowOfStored(key)) == null) {
                    dropped.add(key);
                }
            }
        }
        dropped.forEach(store::delete);
    }

    /** Whether {@code key} is the fleet scope's ({@code *@...}) rather than an agent's ({@code <agent>@...}). */
    private static boolean isFleetKey(String key) throws MalformedRecord {
        if (!FleetKey.hasScope(key)) {
            throw new MalformedRecord("the key is not <agent>@<window start>");
        }
        return FleetKey.isFleet(key);
    }

    /** The window of a fleet key in the store; Long.MIN_VALUE (a window the book never has) for anything else. */
    private static long windowOfStored(String key) {
        long window = FleetKey.hasScope(key) && FleetKey.isFleet(key) ? FleetKey.exactWindowStart(key) : -1;
        return window < 0 ? Long.MIN_VALUE : window;
    }

    private static long windowOf(String key) throws MalformedRecord {
        long window = FleetKey.exactWindowStart(key);
        if (window < 0) {
            throw new MalformedRecord("the key is not *@<window start, 13 digits>");
        }
        return window;
    }

    /** The spend figures of a fleet window's record, or null when it has no {@code user_spend}. */
    static FleetSpend parse(String key, byte[] value) throws MalformedRecord {
        if (!isFleetKey(key)) {
            throw new MalformedRecord("not a fleet-scope key");
        }
        long window = windowOf(key);
        JsonNode json;
        try {
            json = Json.mapper().readTree(value);
        } catch (IOException e) {
            throw new MalformedRecord("the value is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new MalformedRecord("the value is not a JSON object");
        }
        if (!FleetKey.FLEET.equals(json.path("agent_id").asText(null))
                || !json.path("window_start_ms").isIntegralNumber() || json.path("window_start_ms").asLong() != window) {
            throw new MalformedRecord("agent_id and window_start_ms do not match the key");
        }
        JsonNode spend = json.get("user_spend");
        if (spend == null) {
            return null;
        }
        JsonNode users = spend.path("users");
        JsonNode median = spend.path("median_tokens_out");
        if (!users.isIntegralNumber() || !users.canConvertToLong() || users.asLong() < 0) {
            throw new MalformedRecord("user_spend.users is not a whole number >= 0");
        }
        if (users.asLong() == 0) {
            if (!median.isNull()) {
                throw new MalformedRecord("user_spend.median_tokens_out must be null when no user spent");
            }
            return new FleetSpend(window, 0, 0.0);
        }
        if (!median.isNumber() || !(median.asDouble() >= 1) || Double.isInfinite(median.asDouble())) {
            throw new MalformedRecord("user_spend.median_tokens_out is not a number >= 1");
        }
        return new FleetSpend(window, users.asLong(), median.asDouble());
    }

    /** Why a record cannot be used; the message names the problem, never the record's content. */
    static final class MalformedRecord extends Exception {
        MalformedRecord(String why) {
            super(why, null, false, false);
        }
    }
}
