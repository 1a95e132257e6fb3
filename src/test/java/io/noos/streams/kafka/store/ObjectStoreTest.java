package io.noos.streams.kafka.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store's contract with Kafka Streams: what reaches the changelog (each changed key once
 * per commit, with its value at the commit; deletes as tombstones), what its own thread reads (its
 * writes) and what another thread reads (the last commit). The TopologyTestDriver commits after
 * every input record, so one record is one commit interval here. Each input record is a script of
 * operations: {@code k=v} puts, {@code -k} deletes, {@code ?k} reads and emits the value,
 * {@code !k} reads from another thread and emits what it saw, {@code ~k} forgets the key's object
 * and emits whether it could.
 */
class ObjectStoreTest {
    private static final String STORE = "objects";
    private static final String CHANGELOG = "object-store-test-" + STORE + "-changelog";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> in;
    private TestOutputTopic<String, String> out;
    private TestOutputTopic<String, String> changelog;
    private final AtomicReference<ObjectStore<String, String>> store = new AtomicReference<>();

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(ObjectStoreBuilder.persistent(STORE, Serdes.String(), Serdes.String()));
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .process(Script::new, STORE)
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "object-store-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
        out = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
        changelog = driver.createOutputTopic(CHANGELOG, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private final class Script implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private ObjectStore<String, String> objects;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.objects = context.getStateStore(STORE);
            store.set(objects);
        }

        @Override
        public void process(Record<String, String> record) {
            for (String op : record.value().split(" ")) {
                if (op.startsWith("-")) {
                    objects.delete(op.substring(1));
                } else if (op.startsWith("?")) {
                    context.forward(record.withKey(op.substring(1)).withValue(String.valueOf(objects.get(op.substring(1)))));
                } else if (op.startsWith("~")) {
                    context.forward(record.withKey(op.substring(1)).withValue("forgot " + objects.forget(op.substring(1))));
                } else if (op.startsWith("!")) {
                    AtomicReference<String> seen = new AtomicReference<>();
                    Thread reader = new Thread(() -> seen.set(String.valueOf(objects.get(op.substring(1)))));
                    reader.start();
                    try {
                        reader.join();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    context.forward(record.withKey(op.substring(1)).withValue(seen.get()));
                } else {
                    String[] kv = op.split("=", 2);
                    objects.put(kv[0], kv[1]);
                }
            }
        }
    }

    private List<KeyValue<String, String>> logged() {
        List<KeyValue<String, String>> records = new ArrayList<>();
        changelog.readKeyValuesToList().forEach(records::add);
        return records;
    }

    @Test
    void eachChangedKeyIsLoggedOncePerCommitWithItsValueAtTheCommit() {
        in.pipeInput("x", "a=1 a=2 b=1 a=3");
        assertEquals(List.of(KeyValue.pair("a", "3"), KeyValue.pair("b", "1")), logged());
        in.pipeInput("x", "?a");
        assertEquals(List.of(), logged(), "nothing changed: nothing logged");
        in.pipeInput("x", "b=2 -a");
        assertEquals(List.of(KeyValue.pair("b", "2"), KeyValue.pair("a", null)), logged());
    }

    @Test
    void theOwningThreadReadsItsWritesAnotherThreadTheLastCommit() {
        in.pipeInput("x", "a=1");
        in.pipeInput("x", "a=2 ?a !a -a ?a !a");
        assertEquals(List.of(KeyValue.pair("a", "2"), KeyValue.pair("a", "1"), KeyValue.pair("a", "null"),
                KeyValue.pair("a", "1")), out.readKeyValuesToList());
        in.pipeInput("x", "!a ?a");
        assertEquals(List.of(KeyValue.pair("a", "null"), KeyValue.pair("a", "null")), out.readKeyValuesToList());
    }

    @Test
    void aKeyCanBeForgottenOnlyWhenItHasNoChangeSinceTheCommit() {
        in.pipeInput("x", "a=1");
        in.pipeInput("x", "a=2 ~a ?a");
        assertEquals(List.of(KeyValue.pair("a", "forgot false"), KeyValue.pair("a", "2")), out.readKeyValuesToList(),
                "a change not yet committed exists only as the object");
        in.pipeInput("x", "~a ?a");
        assertEquals(List.of(KeyValue.pair("a", "forgot true"), KeyValue.pair("a", "2")), out.readKeyValuesToList(),
                "committed: read back from the inner store");
    }
}
