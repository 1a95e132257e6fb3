package io.noos.streams.bench;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.decide.UserState;
import io.noos.streams.kafka.serde.UserStateSerde;
import io.noos.streams.logfile.RawLineReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The whole pipeline on a real broker: an in-process KRaft broker, the service's real topology
 * (RegulatorService), a producer driving a workload into the input topic, and a
 * {@code read_committed} consumer on the decisions topic.
 *
 * <p>Each input record carries its send time (System.nanoTime, same process) in a header; Kafka
 * Streams copies input headers to the records it emits, so the consumer reads each decision's
 * end-to-end latency, from the producer's send to the committed decision's arrival, off the
 * decision itself. Sustained throughput is the input events over the time from the first send to
 * the last decision. Without {@code rate} the producer sends as fast as it can (throughput mode;
 * latencies then include queueing); with it, the producer paces itself to {@code rate} events per
 * second (latency mode).
 */
public final class PipelineBench {
    /** Header holding the send time of an input record, in System.nanoTime nanoseconds. */
    public static final String SENT_HEADER = "noos.bench.sent-ns";

    /**
     * @param workload    JSON Lines envelopes (.gz accepted), repeated with renamed users when more
     *                    events are asked for than it holds
     * @param exactlyOnce exactly_once_v2, else at_least_once
     * @param events      input events to send
     * @param rate        events per second, or 0 for as fast as possible
     * @param partitions  input topic partitions
     * @param extraConfig further service settings (noos.* or Kafka keys)
     */
    public record Options(Path workload, boolean exactlyOnce, long events, double rate, int partitions,
                          Map<String, String> extraConfig, int clientProbeAgents) {
        /** Without the orchestrator client's probe agents. */
        public Options(Path workload, boolean exactlyOnce, long events, double rate, int partitions,
                       Map<String, String> extraConfig) {
            this(workload, exactlyOnce, events, rate, partitions, extraConfig, 0);
        }
    }

    /** The figures of one run; latencies in milliseconds, sizes in bytes. */
    public record Result(long events, long decisionsExpected, long decisionsSeen, double seconds,
                         double eventsPerSecond, double p50Ms, double p95Ms, double p99Ms, double maxMs,
                         long users, long stateBytesMedian, double stateBytesMean, long peakRssBytes,
                         ClientLatencyProbe.Figures client) {}

    private PipelineBench() {}

    public static Result run(Options options, PrintStream out) throws Exception {
        InputRecords workload = InputRecords.load(options.workload(), options.events());
        out.printf("workload: %,d events (%,d decisions expected) for %,d users from %s%n",
                workload.size(), workload.decisionEvents, workload.users, options.workload());
        Path dir = Files.createTempDirectory("noos-bench-pipeline");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaBroker.Options.defaults().withPort(0).withDataDir(dir.resolve("broker")))) {
            ServiceConfig config = serviceConfig(options, broker.bootstrapServers(), dir.resolve("state"));
            out.printf("broker %s; service %s, %d partitions%n", broker.bootstrapServers(),
                    config.get(ServiceConfig.PROCESSING_GUARANTEE), config.topicPartitions());
            try (RegulatorService service = new RegulatorService(config).start()) {
                if (!service.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the service did not reach RUNNING within 60 s");
                }
                return drive(options, workload, config, broker.bootstrapServers(), service, out);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static ServiceConfig serviceConfig(Options options, String bootstrap, Path stateDir) throws IOException {
        Map<String, String> flags = new HashMap<>();
        flags.put(ServiceConfig.HTTP_PORT, "-1");   // no HTTP server unless asked for (--set noos.http.port=0)
        flags.putAll(options.extraConfig());
        flags.put(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap);
        flags.put(ServiceConfig.APPLICATION_ID, "noos-bench-pipeline");
        flags.put(ServiceConfig.STATE_DIR, stateDir.toString());
        flags.put(ServiceConfig.PROCESSING_GUARANTEE, options.exactlyOnce() ? "exactly_once_v2" : "at_least_once");
        flags.put(ServiceConfig.TOPIC_PARTITIONS, Integer.toString(options.partitions()));
        return ServiceConfig.load(null, Map.of(), flags);
    }

    private static Result drive(Options options, InputRecords workload, ServiceConfig config, String bootstrap,
                                RegulatorService service, PrintStream out) throws Exception {
        String decisionsTopic = config.get(ServiceConfig.DECISIONS_TOPIC);
        DecisionCollector collector = new DecisionCollector(bootstrap, decisionsTopic, config.topicPartitions(),
                workload.decisionEvents);
        Thread consumer = new Thread(collector, "bench-decisions-consumer");
        consumer.start();
        ClientLatencyProbe probe = ClientLatencyProbe.start(config, options.clientProbeAgents());

        long started = System.nanoTime();
        long sent = produce(options, workload, bootstrap, config.get(ServiceConfig.INPUT_TOPIC), out);
        long sendSeconds = System.nanoTime() - started;
        out.printf("sent %,d events in %.2f s (%,.0f events/s offered)%n", sent, sendSeconds / 1e9,
                sent / (sendSeconds / 1e9));

        consumer.join(TimeUnit.MINUTES.toMillis(10));
        collector.stop();
        consumer.join();
        ClientLatencyProbe.Figures client = probe.finish();
        probe.close();
        double seconds = (collector.lastArrival.get() - started) / 1e9;
        long[] latencies = collector.latencies();
        Arrays.sort(latencies);

        StateSize state = stateSize(service, config);
        long peakRss = peakRssBytes();
        return new Result(sent, workload.decisionEvents, collector.seen.get(), seconds, sent / seconds,
                percentile(latencies, 0.50), percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6,
                state.users, state.median, state.mean, peakRss, client);
    }

    private static long produce(Options options, InputRecords workload, String bootstrap, String topic, PrintStream out) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            double nanosPerEvent = options.rate() > 0 ? 1e9 / options.rate() : 0;
            int n = workload.size();
            for (int i = 0; i < n; i++) {
                if (nanosPerEvent > 0) {
                    long due = start + (long) (i * nanosPerEvent);
                    long wait = due - System.nanoTime();
                    if (wait > 50_000) {
                        LockSupport.parkNanos(wait);
                    }
                }
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, workload.keys[i], workload.values[i]);
                record.headers().add(SENT_HEADER, longBytes(System.nanoTime()));
                producer.send(record);
            }
            producer.flush();
            return n;
        }
    }

    /** Reads the decisions topic read_committed and keeps each decision's end-to-end latency. */
    private static final class DecisionCollector implements Runnable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final long expected;
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong lastArrival = new AtomicLong();
        private long[] latencies = new long[1 << 16];
        private volatile boolean stopped;

        DecisionCollector(String bootstrap, String topic, int partitions, long expected) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
            this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> assigned = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                assigned.add(new TopicPartition(topic, i));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            this.expected = expected;
        }

        @Override
        public void run() {
            try (consumer) {
                long idleSince = System.nanoTime();
                while (!stopped && seen.get() < expected) {
                    var records = consumer.poll(Duration.ofMillis(50));
                    long now = System.nanoTime();
                    if (records.isEmpty()) {
                        if (now - idleSince > TimeUnit.SECONDS.toNanos(60)) {
                            return;   // nothing for a minute: report what arrived
                        }
                        continue;
                    }
                    idleSince = now;
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        Header sentHeader = r.headers().lastHeader(SENT_HEADER);
                        if (sentHeader != null) {   // the workload's (not the client probe's)
                            record(now - bytesLong(sentHeader.value()));
                            seen.incrementAndGet();
                        }
                    }
                    lastArrival.set(now);
                }
            }
        }

        private synchronized void record(long latencyNanos) {
            int n = (int) seen.get();
            if (n >= latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[n] = latencyNanos;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latencies, (int) Math.min(seen.get(), latencies.length));
        }

        void stop() {
            stopped = true;
        }
    }

    private record StateSize(long users, long median, double mean) {}

    /** The serialized size of every user's state in the service's store. */
    private static StateSize stateSize(RegulatorService service, ServiceConfig config) {
        ReadOnlyKeyValueStore<String, UserState> store = service.streams().store(StoreQueryParameters.fromNameAndType(
                config.topologySettings().userStateStore(), QueryableStoreTypes.keyValueStore()));
        UserStateSerde serde = new UserStateSerde();
        List<Integer> sizes = new ArrayList<>();
        try (KeyValueIterator<String, UserState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, UserState> kv = all.next();
                sizes.add(serde.serializer().serialize(null, kv.value).length);
            }
        }
        if (sizes.isEmpty()) {
            return new StateSize(0, 0, 0);
        }
        int[] sorted = sizes.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new StateSize(sorted.length, sorted[sorted.length / 2], Arrays.stream(sorted).average().orElse(0));
    }

    /** Peak resident set size of this process (VmHWM), or -1 where /proc is not available. */
    static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static long bytesLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** Input records in memory: key and value bytes, as the service expects them. */
    static final class InputRecords {
        final byte[][] keys;
        final byte[][] values;
        final long decisionEvents;
        final long users;

        private InputRecords(byte[][] keys, byte[][] values, long decisionEvents, long users) {
            this.keys = keys;
            this.values = values;
            this.decisionEvents = decisionEvents;
            this.users = users;
        }

        int size() {
            return keys.length;
        }

        /**
         * The first {@code events} events of the file, read again with every user renamed
         * ({@code user-1~r2}) on each further pass when the file holds fewer.
         */
        static InputRecords load(Path file, long events) throws IOException {
            List<byte[]> lines = new ArrayList<>();
            try (RawLineReader reader = RawLineReader.open(file)) {
                for (byte[] line; (line = reader.next()) != null; ) {
                    if (!new String(line, StandardCharsets.ISO_8859_1).isBlank()) {
                        lines.add(line);
                    }
                }
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("workload " + file + " has no events");
            }
            int n = (int) Math.min(Integer.MAX_VALUE - 8, events <= 0 ? lines.size() : events);
            byte[][] keys = new byte[n][];
            byte[][] values = new byte[n][];
            long decisions = 0;
            java.util.Set<String> users = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                int pass = i / lines.size();
                byte[] line = lines.get(i % lines.size());
                EventEnvelope envelope = EnvelopeJson.parse(line);
                if (pass > 0) {
                    envelope = new EventEnvelope(envelope.eventId(), envelope.userId() + "~r" + (pass + 1),
                            envelope.agentId(), envelope.sessionId() == null ? null : envelope.sessionId() + "~r" + (pass + 1),
                            envelope.atMs(), envelope.event());
                    line = EnvelopeJson.toBytes(envelope);
                }
                keys[i] = envelope.userId().getBytes(StandardCharsets.UTF_8);
                values[i] = line;
                users.add(envelope.userId());
                if (!envelope.event().isTokenLike()) {
                    decisions++;
                }
            }
            return new InputRecords(keys, values, decisions, users.size());
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
