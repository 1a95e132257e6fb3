package io.noos.streams.bench;

import io.noos.streams.kafka.topology.ProcessingObserver;
import io.noos.streams.kafka.topology.TopologySettings;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The minimal Kafka Streams pipeline {@code bench pipeline} holds the service against: on the
 * service's input and decisions topics, one processor that gets and puts a {@value #STATE_BYTES}-byte
 * value per user in one cached, changelogged RocksDB store and emits one {@value #OUTPUT_BYTES}-byte
 * record per non-token event (the service's state and decision records are about that size). It
 * decides nothing: what it costs is what Kafka Streams itself costs for this shape of work.
 */
public final class BaselineTopology {
    public static final String STORE = "baseline-state";
    static final int STATE_BYTES = 700;
    static final int OUTPUT_BYTES = 600;
    private static final byte[] TOKEN_TYPE = "\"type\":\"token".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private BaselineTopology() {}

    /** The pipeline on {@code settings}' input and decisions topics (the observer is not used). */
    public static Topology build(TopologySettings settings, ProcessingObserver observer) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                        Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of()));
        builder.stream(settings.inputTopic(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("baseline-source"))
                .process(StateAndEmit::new, Named.as("baseline"), STORE)
                .to(settings.decisionsTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("baseline-sink"));
        return builder.build();
    }

    /** True for {@code token} and {@code token_batch} envelopes: a byte search, no parsing. */
    static boolean isTokenLike(byte[] value) {
        outer:
        for (int i = 0; i + TOKEN_TYPE.length <= value.length; i++) {
            for (int j = 0; j < TOKEN_TYPE.length; j++) {
                if (value[i + j] != TOKEN_TYPE[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static final class StateAndEmit implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            byte[] value = record.value();
            byte[] before = store.get(record.key());
            byte[] state = before == null ? new byte[STATE_BYTES] : before.clone();
            // a change that depends on the old value and the event, like a regulator's
            long count = 0;
            for (int i = 0; i < 8; i++) {
                count = (count << 8) | (state[i] & 0xFF);
            }
            count++;
            for (int i = 7; i >= 0; i--) {
                state[i] = (byte) count;
                count >>>= 8;
            }
            System.arraycopy(value, 0, state, 8, Math.min(value.length, STATE_BYTES - 8));
            store.put(record.key(), state);
            if (!isTokenLike(value)) {
                byte[] out = new byte[OUTPUT_BYTES];
                System.arraycopy(state, 0, out, 0, OUTPUT_BYTES);
                context.forward(record.withValue(out));
            }
        }
    }
}
