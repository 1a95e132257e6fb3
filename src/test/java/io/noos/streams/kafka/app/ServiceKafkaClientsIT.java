package io.noos.streams.kafka.app;

import io.noos.streams.testkit.Poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.TestKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The clients the service gives Kafka Streams, on a real broker: the global consumer waits for a
 * topic whose partitions are not visible yet (Kafka Streams alone fails the start with "no
 * partitions available"), and commits are reported, under both processing guarantees.
 */
class ServiceKafkaClientsIT {
    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();

    @TempDir
    Path stateDir;

    private Properties properties(String guarantee) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "clients-it-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return p;
    }

    @Test
    @Timeout(90)
    void theGlobalStoreWaitsForATopicThatIsNotVisibleYet() throws Exception {
        String topic = "late-global-" + UUID.randomUUID().toString().substring(0, 8);
        Topology topology = new Topology();
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("late-store"),
                        Serdes.String(), Serdes.String()).withLoggingDisabled(),
                "late-source", new StringDeserializer(), new StringDeserializer(), topic, "late-updater",
                () -> new Processor<String, String, Void, Void>() {
                    private KeyValueStore<String, String> store;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        store = context.getStateStore("late-store");
                    }

                    @Override
                    public void process(Record<String, String> record) {
                        store.put(record.key(), record.value());
                    }
                });
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(topology, properties(StreamsConfig.AT_LEAST_ONCE),
                new ServiceKafkaClients(() -> { }))) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            CompletableFuture<Void> created = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1_500);
                    kafka.createTopics(topic);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            streams.start();   // initialises the global store: asks for the topic's partitions
            created.get(30, TimeUnit.SECONDS);
            assertTrue(running.await(60, TimeUnit.SECONDS), "RUNNING: " + streams.state());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    @Timeout(90)
    void everyCommitIsReported(String guarantee) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String in = "commits-in-" + suffix;
        String out = "commits-out-" + suffix;
        kafka.createTopics(in, out);
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), in);
        topology.addSink("out", out, new StringSerializer(), new StringSerializer(), "in");
        AtomicLong commits = new AtomicLong();
        try (KafkaStreams streams = new KafkaStreams(topology, properties(guarantee),
                new ServiceKafkaClients(commits::incrementAndGet))) {
            streams.start();
            assertEquals(0, commits.get(), "nothing processed, nothing committed");
            Properties producer = new Properties();
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, String> p = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
                for (String key : List.of("a", "b", "c")) {
                    p.send(new ProducerRecord<>(in, key, "v")).get();
                }
            }
            Poll.until(guarantee + ": the records' commit was reported", Duration.ofSeconds(60), () -> commits.get() > 0);
        }
    }
}
