package io.noos.streams.kafka.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.fleet.FleetSpendBook;
import io.noos.streams.fleet.FleetView.FleetSpend;
import io.noos.streams.fleet.FleetKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The fleet-spend global store's processor on its own: what it keeps, and a start on a filled store. */
class FleetSpendUpdaterTest {
    private static final long A = 1_767_225_600_000L;
    private static final long MIN = 60_000;

    private static byte[] window(long start, String userSpend) {
        return ("{\"agent_id\":\"*\",\"window_start_ms\":" + start + ",\"events\":1"
                + (userSpend == null ? "" : ",\"user_spend\":" + userSpend) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<Void, Void> context) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("spend"), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static List<String> keys(KeyValueStore<String, byte[]> store) {
        List<String> keys = new ArrayList<>();
        store.all().forEachRemaining(kv -> keys.add(kv.key));
        return keys;
    }

    @Test
    void keepsTheFleetWindowsTheBookKeepsAndNothingElse() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = store(context);
        FleetSpendBook book = new FleetSpendBook();
        FleetSpendUpdater updater = new FleetSpendUpdater("spend", book);
        updater.init(context);

        for (int m = 0; m < 12; m++) {
            updater.process(new Record<>(FleetKey.of("*", A + m * MIN), window(A + m * MIN,
                    "{\"users\":" + (m + 3) + ",\"median_tokens_out\":" + (m + 10) + ".5}"), 0L));
        }
        updater.process(new Record<>(FleetKey.of("agent-1", A + 11 * MIN), window(A + 11 * MIN,
                "{\"users\":1,\"median_tokens_out\":1.0}"), 0L));
        updater.process(new Record<>(FleetKey.of("*", A + 12 * MIN), window(A + 12 * MIN, null), 0L));
        updater.process(new Record<>(FleetKey.of("*", A + 11 * MIN), window(A + 11 * MIN,
                "{\"users\":0,\"median_tokens_out\":null}"), 0L));

        assertNull(book.spendIn(A + MIN), "minutes 0 and 1 went when minutes 10 and 11 came");
        assertEquals(new FleetSpend(A + 2 * MIN, 5, 12.5), book.spendIn(A + 2 * MIN));
        assertEquals(new FleetSpend(A + 11 * MIN, 0, 0.0), book.spendIn(A + 11 * MIN), "newer figures replace older");
        assertNull(book.spendIn(A + 12 * MIN), "a window without user_spend (an older format) is passed over");
        List<String> expected = new ArrayList<>();
        for (int m = 2; m < 12; m++) {
            expected.add(FleetKey.of("*", A + m * MIN));
        }
        assertEquals(expected, keys(store), "the store holds the book's windows only");

        updater.process(new Record<>(FleetKey.of("*", A + 5 * MIN), null, 0L));
        assertNull(book.spendIn(A + 5 * MIN), "a tombstone forgets the window");
        assertNull(store.get(FleetKey.of("*", A + 5 * MIN)));
    }

    @Test
    void aStartOnAFilledStoreFillsTheBookFromItAndDropsTheRest() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> store = store(context);
        for (int m = 0; m < 11; m++) {
            store.put(FleetKey.of("*", A + m * MIN), window(A + m * MIN, "{\"users\":4,\"median_tokens_out\":" + (m + 1) + "}"));
        }
        store.put(FleetKey.of("agent-1", A), window(A, "{\"users\":1,\"median_tokens_out\":7}"));
        store.put(FleetKey.of("a", A + 5 * MIN), window(A + 5 * MIN, "{\"users\":1,\"median_tokens_out\":7}"));
        store.put(FleetKey.of("*", A + 20 * MIN), "{broken".getBytes(StandardCharsets.UTF_8));

        FleetSpendBook book = new FleetSpendBook();
        new FleetSpendUpdater("spend", book).init(context);

        assertNull(book.spendIn(A), "11 windows: the oldest is not kept");
        assertEquals(new FleetSpend(A + 10 * MIN, 4, 11.0), book.spendIn(A + 10 * MIN));
        assertEquals(10, book.windows().size());
        assertNull(store.get(FleetKey.of("*", A)));
        assertNull(store.get(FleetKey.of("agent-1", A)));
        assertNull(store.get(FleetKey.of("a", A + 5 * MIN)), "an agent's entry, of a one-letter agent too");
        assertNull(store.get(FleetKey.of("*", A + 20 * MIN)), "the malformed entry is skipped and dropped");
        assertEquals(10, keys(store).size());
    }
}
