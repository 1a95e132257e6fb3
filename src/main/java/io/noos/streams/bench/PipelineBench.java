package io.noos.streams.bench;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopologyFactory;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.ServiceTopic;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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
 * The whole pipeline on a real broker: an in-process KRaft broker, a Kafka Streams application (the
 * service's real topology through {@link RegulatorService}, or the minimal {@link BaselineTopology}
 * it is held against), a producer driving a workload into the input topic, and a
 * {@code read_committed} consumer on the decisions topic. Both pipelines run in the same harness:
 * one broker, the same driver, consumer, topic layout and Kafka Streams settings; each has its own
 * topics and application id.
 *
 * <p>Each input record carries its send time (System.nanoTime, same process) in a header; Kafka
 * Streams copies input headers to the records it emits, so the consumer reads each decision's
 * end-to-end latency, from the producer's send to the committed decision's arrival, off the
 * decision itself.
 *
 * <p>A run has two phases. The warm-up sends the first {@code warmup} events as fast as the
 * producer can and waits until every one of their decisions has been read, so the JIT has compiled
 * the hot paths of the driver, the broker and Kafka Streams. The measurement then sends the next
 * {@code events} events (as fast as possible, or paced to {@code rate} events per second); its
 * figures cover only these: throughput is the measured events over the time from the first measured
 * send to the last decision read, and the latency percentiles are those of the measured events'
 * decisions.
 */
public final class PipelineBench {
    /** Header holding the send time of an input record, in System.nanoTime nanoseconds. */
    public static final String SENT_HEADER = "noos.bench.sent-ns";

    /** What runs on the broker. */
    public enum Pipeline {
        /** The minimal pipeline ({@link BaselineTopology}). */
        BASELINE("baseline"),
        /** The service ({@link RegulatorTopology}). */
        REGULATOR("regulator");

        private final String label;

        Pipeline(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param workload    JSON Lines envelopes (.gz accepted), repeated with renamed users when more
     *                    events are asked for than it holds
     * @param exactlyOnce exactly_once_v2, else at_least_once
     * @param events      input events to measure (0: the workload's size)
     * @param warmup      input events sent, and decided, before the measured ones
     * @param rate        events per second for the measured events, or 0 for as fast as possible
     * @param partitions  input topic partitions
     * @param tokenBatch  each run of a user's consecutive tokens in a turn sent as one token_batch record
     * @param extraConfig further settings (noos.* or Kafka keys), for both pipelines
     */
    public record Options(Path workload, boolean exactlyOnce, long events, long warmup, double rate, int partitions,
                          boolean tokenBatch, Map<String, String> extraConfig, int clientProbeAgents) {}

    /**
     * The figures of one run's measured phase; latencies in milliseconds, sizes in bytes; {@code client}
     * is the latency in the probe agents' hands through the orchestrator client (regulator only, else null).
     */
    public record Result(Pipeline pipeline, long events, long turns, long decisionsExpected, long decisionsSeen,
                         double seconds, double eventsPerSecond, double turnsPerSecond, double p50Ms, double p95Ms,
                         double p99Ms, double maxMs, long users, long stateBytesMedian, double stateBytesMean,
                         ClientLatencyProbe.Figures client) {}

    private PipelineBench() {}

    /** Runs each pipeline of {@code pipelines} in turn on one broker, with the same workload and driver. */
    public static List<Result> run(Options options, List<Pipeline> pipelines, PrintStream out) throws Exception {
        long measured = options.events() > 0 ? options.events() : InputRecords.countLines(options.workload());
        InputRecords records = InputRecords.load(options.workload(), options.warmup() + measured, options.tokenBatch());
        int warmup = records.indexOfEvent(options.warmup());
        out.printf(Locale.ROOT, "workload: %s; %,d input events (%,d records%s) for %,d users: the first %,d events "
                        + "warm up, the next %,d are measured (%,d records, %,d decisions, %,d turns)%n",
                options.workload(), records.events(0, records.size()), records.size(),
                options.tokenBatch() ? ", tokens in token_batch records" : "", records.users,
                records.events(0, warmup), records.events(warmup, records.size()), records.size() - warmup,
                records.decisions(warmup, records.size()), records.turns(warmup, records.size()));
        Path dir = Files.createTempDirectory("noos-bench-pipeline");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaBroker.Options.defaults().withPort(0).withDataDir(dir.resolve("broker")))) {
            List<Result> results = new ArrayList<>();
            for (Pipeline pipeline : pipelines) {
                ServiceConfig config = serviceConfig(options, pipeline, broker.bootstrapServers(),
                        dir.resolve("state-" + pipeline.label()));
                out.printf("%s: broker %s, %s, %d partitions%n", pipeline.label(), broker.bootstrapServers(),
                        config.get(ServiceConfig.PROCESSING_GUARANTEE), config.topicPartitions());
                TopologyFactory topology = pipeline == Pipeline.BASELINE ? BaselineTopology::build : RegulatorTopology::build;
                try (RegulatorService service = new RegulatorService(config, topology).start()) {
                    if (!service.awaitRunning(Duration.ofSeconds(60))) {
                        throw new IllegalStateException("the " + pipeline.label() + " pipeline did not reach RUNNING within 60 s");
                    }
                    Result r = drive(options, pipeline, records, warmup, config, broker.bootstrapServers(), service, out);
                    results.add(r);
                }
                System.gc();
            }
            return results;
        } finally {
            deleteRecursively(dir);
        }
    }

    private static ServiceConfig serviceConfig(Options options, Pipeline pipeline, String bootstrap, Path stateDir)
            throws IOException {
        Map<String, String> flags = new HashMap<>();
        flags.put(ServiceConfig.HTTP_PORT, "-1");   // no HTTP server unless asked for (--set noos.http.port=0)
        flags.putAll(options.extraConfig());
        for (ServiceTopic topic : ServiceTopic.values()) {
            flags.put(topic.configKey(), topic.defaultName() + "-" + pipeline.label());
        }
        flags.put(ServiceConfig.BOOTSTRAP_SERVERS, bootstrap);
        flags.put(ServiceConfig.APPLICATION_ID, "noos-bench-" + pipeline.label());
        flags.put(ServiceConfig.STATE_DIR, stateDir.toString());
        flags.put(ServiceConfig.PROCESSING_GUARANTEE, options.exactlyOnce() ? "exactly_once_v2" : "at_least_once");
        flags.put(ServiceConfig.TOPIC_PARTITIONS, Integer.toString(options.partitions()));
        return ServiceConfig.load(null, Map.of(), flags);
    }

    private static Result drive(Options options, Pipeline pipeline, InputRecords records, int warmup,
                                ServiceConfig config, String bootstrap, RegulatorService service, PrintStream out)
            throws Exception {
        String topic = config.get(ServiceConfig.INPUT_TOPIC);
        long warmupDecisions = records.decisions(0, warmup);
        long measuredDecisions = records.decisions(warmup, records.size());
        DecisionCollector collector = new DecisionCollector(bootstrap, config.get(ServiceConfig.DECISIONS_TOPIC),
                config.topicPartitions(), warmupDecisions + measuredDecisions);
        Thread consumer = new Thread(collector, "bench-decisions-consumer");
        consumer.start();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            long warmStart = System.nanoTime();
            send(producer, topic, records, 0, warmup, 0);
            if (!collector.awaitSeen(warmupDecisions, TimeUnit.MINUTES.toNanos(5))) {
                throw new IllegalStateException("warm-up: " + collector.seen.get() + " of " + warmupDecisions
                        + " decisions after 5 minutes");
            }
            out.printf(Locale.ROOT, "%s: warm-up of %,d records decided in %.1f s%n", pipeline.label(), warmup,
                    (System.nanoTime() - warmStart) / 1e9);
            Thread.sleep(1000);   // let the last warm-up commit settle
            collector.startMeasuring();
            // The probe agents send through the orchestrator client during the measured phase; their
            // decisions carry no send-time header, so the collector's counts leave them out.
            ClientLatencyProbe probe = ClientLatencyProbe.start(config,
                    pipeline == Pipeline.REGULATOR ? options.clientProbeAgents() : 0);
            long started = System.nanoTime();
            send(producer, topic, records, warmup, records.size(), options.rate());
            long sendNanos = System.nanoTime() - started;
            out.printf(Locale.ROOT, "%s: sent %,d records in %.2f s (%,.0f records/s offered)%n", pipeline.label(),
                    records.size() - warmup, sendNanos / 1e9, (records.size() - warmup) / (sendNanos / 1e9));
            consumer.join(TimeUnit.MINUTES.toMillis(10));
            collector.stop();
            consumer.join();
            ClientLatencyProbe.Figures client = probe.finish();
            probe.close();
            double seconds = (collector.lastArrival.get() - started) / 1e9;
            long[] latencies = collector.latencies();
            Arrays.sort(latencies);
            long events = records.events(warmup, records.size());
            long turns = records.turns(warmup, records.size());
            StateSize state = pipeline == Pipeline.REGULATOR ? stateSize(service, config) : new StateSize(0, 0, 0);
            return new Result(pipeline, events, turns, measuredDecisions, collector.seen.get() - warmupDecisions,
                    seconds, events / seconds, turns / seconds, percentile(latencies, 0.50),
                    percentile(latencies, 0.95), percentile(latencies, 0.99),
                    latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6,
                    state.users, state.median, state.mean, client);
        } finally {
            collector.stop();
            consumer.join();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L << 20));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends records {@code [from, to)}, paced to {@code rate} records per second unless it is 0. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, InputRecords records, int from,
                             int to, double rate) {
        long start = System.nanoTime();
        double nanosPerRecord = rate > 0 ? 1e9 / rate : 0;
        for (int i = from; i < to; i++) {
            if (nanosPerRecord > 0) {
                long due = start + (long) ((i - from) * nanosPerRecord);
                long wait = due - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, records.keys[i], records.values[i]);
            record.headers().add(SENT_HEADER, longBytes(System.nanoTime()));
            producer.send(record);
        }
        producer.flush();
    }

    /** Reads the decisions topic read_committed and keeps the end-to-end latency of the measured decisions. */
    private static final class DecisionCollector implements Runnable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final long expected;
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong lastArrival = new AtomicLong();
        private long[] latencies = new long[1 << 16];
        private int measured;
        private volatile boolean measuring;
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
                        if (sentHeader == null) {
                            continue;   // a probe agent's decision (orchestrator client), not the workload's
                        }
                        if (measuring) {
                            record(now - bytesLong(sentHeader.value()));
                        }
                        seen.incrementAndGet();
                    }
                    lastArrival.set(now);
                }
            }
        }

        /** Waits until {@code count} decisions have been read; false after {@code timeoutNanos}. */
        boolean awaitSeen(long count, long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (seen.get() < count) {
                if (System.nanoTime() > deadline || stopped) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }

        /** From now on, decisions are measured (the warm-up's have all been read). */
        void startMeasuring() {
            measuring = true;
        }

        private synchronized void record(long latencyNanos) {
            if (measured == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[measured++] = latencyNanos;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latencies, measured);
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
    public static long peakRssBytes() {
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

    /**
     * Input records in memory: key and value bytes, as the service expects them, with for each
     * record the events it stands for (more than one for a token batch), whether it is decided and
     * whether it starts a turn.
     */
    static final class InputRecords {
        final byte[][] keys;
        final byte[][] values;
        /** Cumulative sums over records {@code [0, i)}: events, decisions, turns. */
        private final long[] eventsBefore;
        private final long[] decisionsBefore;
        private final long[] turnsBefore;
        final long users;

        private InputRecords(List<EventEnvelope> envelopes) {
            int n = envelopes.size();
            keys = new byte[n][];
            values = new byte[n][];
            eventsBefore = new long[n + 1];
            decisionsBefore = new long[n + 1];
            turnsBefore = new long[n + 1];
            Set<String> seenUsers = new HashSet<>();
            for (int i = 0; i < n; i++) {
                EventEnvelope e = envelopes.get(i);
                keys[i] = e.userId().getBytes(StandardCharsets.UTF_8);
                values[i] = EnvelopeJson.toBytes(e);
                seenUsers.add(e.userId());
                EnvelopeEvent event = e.event();
                eventsBefore[i + 1] = eventsBefore[i]
                        + (event instanceof EnvelopeEvent.TokenBatch batch ? batch.size() : 1);
                decisionsBefore[i + 1] = decisionsBefore[i] + (event.isTokenLike() ? 0 : 1);
                turnsBefore[i + 1] = turnsBefore[i] + (event instanceof EnvelopeEvent.Single s && s.event() instanceof AgentEvent.TurnStart ? 1 : 0);
            }
            users = seenUsers.size();
        }

        int size() {
            return keys.length;
        }

        long events(int from, int to) {
            return eventsBefore[to] - eventsBefore[from];
        }

        long decisions(int from, int to) {
            return decisionsBefore[to] - decisionsBefore[from];
        }

        long turns(int from, int to) {
            return turnsBefore[to] - turnsBefore[from];
        }

        /** The index of the record holding the {@code event}-th event (the size when there are fewer). */
        int indexOfEvent(long event) {
            int i = Arrays.binarySearch(eventsBefore, event);
            if (i < 0) {
                i = -i - 1;   // inside a token batch: from the batch on
                i = Math.max(0, i - 1);
            }
            while (i > 0 && eventsBefore[i - 1] == event) {
                i--;
            }
            return Math.min(i, size());
        }

        static long countLines(Path file) throws IOException {
            long n = 0;
            try (RawLineReader reader = RawLineReader.open(file)) {
                for (byte[] line; (line = reader.next()) != null; ) {
                    if (!new String(line, StandardCharsets.ISO_8859_1).isBlank()) {
                        n++;
                    }
                }
            }
            return n;
        }

        /**
         * The first {@code events} events of the file, read again with every user renamed
         * ({@code user-1~r2}) on each further pass when the file holds fewer; with
         * {@code tokenBatch}, each run of a user's consecutive tokens as one token batch
         * ({@link TokenBatching}).
         */
        static InputRecords load(Path file, long events, boolean tokenBatch) throws IOException {
            List<EventEnvelope> lines = new ArrayList<>();
            try (RawLineReader reader = RawLineReader.open(file)) {
                for (byte[] line; (line = reader.next()) != null; ) {
                    if (!new String(line, StandardCharsets.ISO_8859_1).isBlank()) {
                        lines.add(EnvelopeJson.parse(line));
                    }
                }
            }
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("workload " + file + " has no events");
            }
            int n = (int) Math.min(Integer.MAX_VALUE - 8, events);
            List<EventEnvelope> envelopes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int pass = i / lines.size();
                EventEnvelope envelope = lines.get(i % lines.size());
                if (pass > 0) {
                    String suffix = "~r" + (pass + 1);
                    envelope = new EventEnvelope(envelope.eventId() == null ? null : envelope.eventId() + suffix,
                            envelope.userId() + suffix, envelope.agentId(),
                            envelope.sessionId() == null ? null : envelope.sessionId() + suffix,
                            envelope.atMs(), envelope.event());
                }
                envelopes.add(envelope);
            }
            return new InputRecords(tokenBatch ? TokenBatching.coalesce(envelopes) : envelopes);
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
