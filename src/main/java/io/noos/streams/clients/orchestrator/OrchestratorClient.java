package io.noos.streams.clients.orchestrator;

import io.noos.streams.clients.ClusterProbe;
import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's side of the loop: sends an agent's events to the service and hands back each
 * event's decision, in time to act on it before the agent's next step.
 *
 * <pre>{@code
 * try (OrchestratorClient noos = OrchestratorClient.start(OrchestratorSettings.of(kafka))) {
 *     DecisionRecord d = noos.send(toolCallEnvelope).get(2, TimeUnit.SECONDS);
 *     if (d.decision() instanceof Decision.CircuitBreak) { ... stop the agent ... }
 *     noos.token(tokenEnvelope);                        // streamed tokens: coalesced, no decision
 * }
 * }</pre>
 *
 * <p><b>Sending.</b> {@link #send} writes an envelope to the input topic, keyed by its user, into
 * the partition Kafka's default partitioner gives that key; an envelope without an {@code event_id}
 * gets a time-ordered one ({@link TimeOrderedIds}, UUID version 7). It returns a future that completes
 * with the event's decision record once the service has committed it to the decisions topic, or
 * fails with a {@link DecisionTimeoutException} after the decision timeout. Events of one user sent
 * from one thread reach the service in the order they were sent. Tokens get no decision:
 * {@link #token} buffers a user's tokens and sends them as one {@code token_batch}, which the service
 * applies exactly as the single tokens, once the batch is full, once its oldest token waited the
 * batch delay, before the user's next other event (so at the end of every turn), and on
 * {@link #flush()} and {@link #close()}.
 *
 * <p><b>Reading.</b> The service writes a user's decisions with the same key into the decisions
 * partition numbered as the user's input partition (both topics have the same number of partitions;
 * the service checks it at start, and so does this client). So the client reads only the decisions
 * partitions of the users it has events in flight for, assigned to itself without a consumer group
 * (several orchestrators may share a partition, and none wants another's share; nothing is committed,
 * since a client only ever needs decisions written after its own sends). A partition is first read
 * from its end offset taken before the event is produced, so no decision of this client's events
 * is missed, and released after {@link OrchestratorSettings#partitionLinger()} without events in
 * flight. Decisions are read {@code read_committed}.
 *
 * <p><b>When the service restarts or rebalances</b> decisions for events in flight come later: their
 * futures stay pending until they arrive or the timeout. A decision that arrives twice (the service
 * under at-least-once after a crash) is delivered once; an event sent again while in flight gets the
 * same future, and one sent again after its decision arrived (among the last 4 096 delivered) gets
 * that decision at once and is not sent again (the service would not decide it twice anyway).
 *
 * <p><b>Threads.</b> Thread-safe: any number of threads may send. Futures complete on the client's
 * reader thread; keep callbacks attached to them short or use the {@code *Async} variants. Close the
 * client when done: buffered tokens are sent, and events still in flight fail.
 *
 * <p>{@link #latency()} gives, over every decision delivered, the time from {@link #send} to the
 * decision in hand.
 */
public final class OrchestratorClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorClient.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);
    private static final int STRIPES = 64;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final OrchestratorSettings settings;
    private final EnvelopeCodec codec;
    private final KafkaProducer<String, byte[]> producer;
    private final DecisionReader reader;
    private final Thread readerThread;
    private final ScheduledThreadPoolExecutor timers;
    private final int partitions;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final Object[] stripes = new Object[STRIPES];
    private final TokenCoalescer tokens;
    private final DecisionLatency latency = new DecisionLatency();
    private final LongAdder tokenBatches = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    private OrchestratorClient(OrchestratorSettings settings, KafkaProducer<String, byte[]> producer,
                               KafkaConsumer<byte[], byte[]> consumer, int partitions, String name) {
        this.settings = settings;
        this.codec = new EnvelopeCodec(settings.inputFormat());
        this.producer = producer;
        this.partitions = partitions;
        this.tokens = new TokenCoalescer(settings.tokenBatchTokens(), ids::next);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        this.reader = new DecisionReader(consumer, settings.decisionsTopic(), settings.decisionsFormat(), latency,
                settings.partitionLinger());
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + "-timers");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        this.readerThread = new Thread(reader, name + "-decisions");
        readerThread.setDaemon(true);
        readerThread.start();
    }

    /**
     * Connects and checks the topics: both must exist and have the same number of partitions.
     *
     * @throws ClusterProbe.ClusterUnreachableException when no broker answers
     * @throws IllegalStateException when a topic is missing or the partition counts differ
     */
    public static OrchestratorClient start(OrchestratorSettings settings) {
        Properties kafka = settings.kafka();
        ClusterProbe.requireReachable(kafka);
        String name = "noos-orchestrator-" + INSTANCES.incrementAndGet();

        Properties c = settings.kafka();
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-decisions");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        int inputPartitions;
        int decisionPartitions;
        try {
            inputPartitions = partitionCount(consumer, settings.inputTopic());
            decisionPartitions = partitionCount(consumer, settings.decisionsTopic());
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        if (inputPartitions != decisionPartitions) {
            consumer.close();
            throw new IllegalStateException("topic " + settings.decisionsTopic() + " has " + decisionPartitions
                    + " partitions but " + settings.inputTopic() + " has " + inputPartitions + "; the client reads a "
                    + "user's decisions in the partition numbered as their events', which needs equal counts (the "
                    + "service refuses to start otherwise)");
        }
        Properties p = settings.kafka();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-events");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        return new OrchestratorClient(settings, producer, consumer, inputPartitions, name);
    }

    private static int partitionCount(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> info;
        try {
            info = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("topic " + topic + " is not in the cluster's metadata after "
                    + METADATA_TIMEOUT.toSeconds() + " s; start the service first (it creates its topics)", e);
        }
        if (info == null || info.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; start the service first (it creates "
                    + "its topics), or name the service's topics in the settings");
        }
        return info.size();
    }

    /**
     * The partition of a user's events and decisions among {@code partitions}: Kafka's default
     * partitioner on the user id's UTF-8 bytes, murmur2, as the service's producers use it.
     */
    public static int partitionOf(String userId, int partitions) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The partition of {@code userId} on this client's topics. */
    public int partitionOf(String userId) {
        return partitionOf(userId, partitions);
    }

    /**
     * Sends an event that gets a decision (any type but {@code token} and {@code token_batch}: use
     * {@link #token}) after the user's buffered tokens, and returns the future of its decision.
     * Blocks only while the event's decisions partition is first looked up (one request to the
     * broker, the first time a partition is needed after being idle) or the producer's buffer is full.
     *
     * @throws IllegalArgumentException for a token event
     * @throws io.noos.streams.core.InvalidEventException when the envelope cannot be encoded
     * @throws IllegalStateException once the client is closed
     */
    public CompletableFuture<DecisionRecord> send(EventEnvelope envelope) {
        long sent = System.nanoTime();
        requireOpen();
        if (envelope.event().isTokenLike()) {
            throw new IllegalArgumentException("a " + envelope.event().type() + " event gets no decision; send it "
                    + "with token(...)");
        }
        EventEnvelope e = envelope.eventId() == null ? envelope.withEventId(ids.next()) : envelope;
        byte[] value = codec.encode(e);
        int partition = partitionOf(e.userId());
        DecisionReader.Registration r = reader.register(e.userId(), e.eventId(), partition, sent);
        if (!r.isNew()) {
            return r.decision();
        }
        Duration timeout = settings.decisionTimeout();
        reader.timeoutTask(r.key(), timers.schedule(() -> reader.expire(r.key(), timeout, "no decision"),
                timeout.toNanos(), TimeUnit.NANOSECONDS));
        try {
            r.partitionReady().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException notReady) {
            reader.expire(r.key(), timeout, "the decisions partition could not be read, so the event was not sent,");
            return r.decision();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            reader.fail(r.key(), interrupted);
            return r.decision();
        } catch (ExecutionException impossible) {
            reader.fail(r.key(), impossible.getCause());
            return r.decision();
        }
        synchronized (stripe(e.userId())) {
            try {
                flushTokens(e.userId());
                produce(e.userId(), partition, value, r.key());
            } catch (RuntimeException failed) {
                reader.fail(r.key(), failed);
            }
        }
        return r.decision();
    }

    private void produce(String userId, int partition, byte[] value, String key) {
        try {
            producer.send(new ProducerRecord<>(settings.inputTopic(), partition, userId, value), (metadata, error) -> {
                if (error != null && key != null) {
                    reader.fail(key, new KafkaException("the event was not written to " + settings.inputTopic() + ": "
                            + error.getMessage(), error));
                } else if (error != null) {
                    LOG.warn("a token batch of user {} was not written to {}: {}", userId, settings.inputTopic(),
                            error.toString());
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            if (key == null) {
                throw e;
            }
            reader.fail(key, e);
        }
    }

    /**
     * Buffers one streamed token ({@code token}) or several ({@code token_batch}) of the envelope's
     * user; they are sent as one {@code token_batch} with the agent, session and time of the first
     * buffered token. Tokens of another agent or session than the buffered ones first send those.
     *
     * @throws IllegalArgumentException for an event that is not a token or token batch
     */
    public void token(EventEnvelope envelope) {
        requireOpen();
        String user = envelope.userId();
        synchronized (stripe(user)) {
            TokenCoalescer.Added added = tokens.add(envelope);
            for (EventEnvelope batch : added.batches()) {
                sendBatch(batch);
            }
            if (added.startedGeneration() >= 0) {
                long generation = added.startedGeneration();
                timers.schedule(() -> flushIfStill(user, generation), settings.tokenBatchDelay().toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Buffers one streamed token of {@code userId}. */
    public void token(String userId, String agentId, String sessionId, long atMs, double logprob) {
        token(new EventEnvelope(null, userId, agentId, sessionId, atMs,
                new EnvelopeEvent.Single(new AgentEvent.Token("", logprob, 0))));
    }

    private void flushIfStill(String user, long generation) {
        synchronized (stripe(user)) {
            EventEnvelope batch = tokens.drain(user, generation);
            if (batch != null) {
                sendBatch(batch);
            }
        }
    }

    /** Sends the user's buffered tokens; the caller holds the user's stripe. */
    private void flushTokens(String user) {
        EventEnvelope batch = tokens.drain(user);
        if (batch != null) {
            sendBatch(batch);
        }
    }

    private void sendBatch(EventEnvelope batch) {
        produce(batch.userId(), partitionOf(batch.userId()), codec.encode(batch), null);
        tokenBatches.increment();
    }

    /** Sends every buffered token now, then waits until everything sent so far is acknowledged. */
    public void flush() {
        for (String user : tokens.users()) {
            synchronized (stripe(user)) {
                flushTokens(user);
            }
        }
        producer.flush();
    }

    private Object stripe(String user) {
        return stripes[(user.hashCode() & 0x7fffffff) % STRIPES];
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the orchestrator client is closed");
        }
    }

    /** Send-to-decision times of every decision delivered so far. */
    public DecisionLatency.Snapshot latency() {
        return latency.snapshot();
    }

    /** Events whose decision did not arrive within the timeout, so far. */
    public long timeouts() {
        return reader.timeouts();
    }

    /** Token batches sent so far. */
    public long tokenBatches() {
        return tokenBatches.sum();
    }

    /** Events sent whose decision has not arrived yet (nor timed out). */
    public int inFlight() {
        return reader.inFlightCount();
    }

    /** The decisions partitions this client reads now. */
    public Set<Integer> readingPartitions() {
        return reader.assignedPartitions();
    }

    /** The settings the client was started with. */
    public OrchestratorSettings settings() {
        return settings;
    }

    /** Sends the buffered tokens, stops reading and fails the events still in flight. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            for (String user : tokens.users()) {
                synchronized (stripe(user)) {
                    flushTokens(user);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("buffered tokens could not be sent at close: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(10));
        } finally {
            reader.close();
            timers.shutdownNow();
            try {
                readerThread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
