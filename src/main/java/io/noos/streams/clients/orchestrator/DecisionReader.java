package io.noos.streams.clients.orchestrator;

import io.noos.streams.codec.DecisionCodec;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.JsonPeek;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's reading side: the events in flight, the decisions partitions they need, and the
 * thread that reads those partitions and hands each decision to its event's future.
 *
 * <p>A partition is assigned (no consumer group) when the first event of one of its users is
 * registered, from the topic's end offset (read_committed: the last stable offset) looked up
 * before that event is produced, so its decision, written later, is always read. It is released
 * once no event of it has been in flight for the linger. Events in flight are keyed by user and
 * event id (the decision record's key and {@code event_id}); a decision for an event not in flight
 * (another client's user, a duplicate, one that timed out) is skipped. A bounded memory of delivered
 * decisions answers an event sent again after its decision arrived.
 */
final class DecisionReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(5);
    private static final long RETRY_PAUSE_MS = 200;
    /** Delivered decisions remembered for events sent again ({@link OrchestratorClient}'s doc says how many). */
    static final int DELIVERED_MEMORY = 4_096;

    /** What {@link #register} gives the sender: the decision's future and when its partition is being read. */
    record Registration(String key, CompletableFuture<DecisionRecord> decision, CompletableFuture<Void> partitionReady,
                        boolean isNew) {}

    private static final class InFlight {
        final String userId;
        final String eventId;
        final int partition;
        final long sentNanos;
        final CompletableFuture<DecisionRecord> future = new CompletableFuture<>();
        ScheduledFuture<?> timeout;

        InFlight(String userId, String eventId, int partition, long sentNanos) {
            this.userId = userId;
            this.eventId = eventId;
            this.partition = partition;
            this.sentNanos = sentNanos;
        }
    }

    private static final class Part {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        boolean assigned;
        int inFlight;
        long idleSinceNanos;
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final DecisionCodec codec;
    private final DecisionLatency latency;
    private final long lingerNanos;
    private final Object lock = new Object();
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<Integer, Part> parts = new HashMap<>();
    private final Map<String, DecisionRecord> delivered = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DecisionRecord> eldest) {
            return size() > DELIVERED_MEMORY;
        }
    };
    private final java.util.concurrent.atomic.LongAdder timeouts = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;
    private volatile String lastError;

    DecisionReader(Consumer<byte[], byte[]> consumer, String topic, WireFormat format, DecisionLatency latency,
                   Duration linger) {
        this.consumer = consumer;
        this.topic = topic;
        this.codec = new DecisionCodec(format);
        this.latency = latency;
        this.lingerNanos = linger.toNanos();
    }

    static String key(String userId, String eventId) {
        return userId + '\u0000' + eventId;
    }

    /**
     * Puts an event in flight (or finds it: in flight already, or decided and remembered) and has
     * its partition read. The caller produces the event once {@code partitionReady} completes.
     */
    Registration register(String userId, String eventId, int partition, long sentNanos) {
        String key = key(userId, eventId);
        boolean wake;
        Registration r;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the orchestrator client is closed");
            }
            InFlight known = inFlight.get(key);
            if (known != null) {
                return new Registration(key, known.future, CompletableFuture.completedFuture(null), false);
            }
            DecisionRecord done = delivered.get(key);
            if (done != null) {
                return new Registration(key, CompletableFuture.completedFuture(done),
                        CompletableFuture.completedFuture(null), false);
            }
            Part part = parts.computeIfAbsent(partition, p -> new Part());
            part.inFlight++;
            InFlight f = new InFlight(userId, eventId, partition, sentNanos);
            inFlight.put(key, f);
            wake = !part.assigned;
            r = new Registration(key, f.future, part.ready, true);
            lock.notifyAll();   // a reader waiting with nothing assigned
        }
        if (wake) {
            consumer.wakeup();   // the poll returns and the loop assigns the partition
        }
        return r;
    }

    /** Sets the timeout task of an event in flight, cancelled when its decision arrives. */
    void timeoutTask(String key, ScheduledFuture<?> task) {
        synchronized (lock) {
            InFlight f = inFlight.get(key);
            if (f != null) {
                f.timeout = task;
                return;
            }
        }
        task.cancel(false);
    }

    /** Fails an event in flight with a {@link DecisionTimeoutException}; false when it was no longer in flight. */
    boolean expire(String key, Duration timeout, String what) {
        InFlight f = take(key);
        if (f == null) {
            return false;
        }
        String error = lastError;
        timeouts.increment();
        f.future.completeExceptionally(new DecisionTimeoutException(what + " for event " + f.eventId + " of user "
                + f.userId + " within " + timeout.toMillis() + " ms (" + topic + " partition " + f.partition
                + "); the service may be down, restarting or lagging" + (error == null ? "" : "; last error reading "
                + "decisions: " + error), f.userId, f.eventId));
        return true;
    }

    /** Fails an event in flight with {@code cause} (it could not be sent). */
    void fail(String key, Throwable cause) {
        InFlight f = take(key);
        if (f != null) {
            f.future.completeExceptionally(cause);
        }
    }

    private InFlight take(String key) {
        synchronized (lock) {
            InFlight f = inFlight.remove(key);
            if (f != null) {
                Part part = parts.get(f.partition);
                if (part != null && --part.inFlight == 0) {
                    part.idleSinceNanos = System.nanoTime();
                }
            }
            return f;
        }
    }

    long timeouts() {
        return timeouts.sum();
    }

    int inFlightCount() {
        synchronized (lock) {
            return inFlight.size();
        }
    }

    /** The decisions partitions being read now. */
    Set<Integer> assignedPartitions() {
        synchronized (lock) {
            Set<Integer> out = new HashSet<>();
            parts.forEach((p, part) -> {
                if (part.assigned) {
                    out.add(p);
                }
            });
            return out;
        }
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                try {
                    updateAssignment();
                    if (consumer.assignment().isEmpty()) {
                        awaitWork();
                        continue;
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    long now = System.nanoTime();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        handle(r, now);
                    }
                    lastError = null;
                } catch (WakeupException wake) {
                    // a partition to assign, or closing
                } catch (InterruptException e) {
                    return;
                } catch (KafkaException | IllegalStateException e) {
                    if (!closed) {
                        noteError(e);
                        pause();
                    }
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing the decisions consumer: {}", e.toString());
            }
        }
    }

    /** Nothing to read: waits until an event is registered (or closing), at most one poll's time. */
    private void awaitWork() {
        synchronized (lock) {
            if (!closed && parts.isEmpty()) {
                try {
                    lock.wait(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }

    private void noteError(RuntimeException e) {
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (!message.equals(lastError)) {
            LOG.warn("reading {} failed, retrying: {}", topic, message);
        }
        lastError = message;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Assigns the partitions that events wait for (seeking each to its end) and releases idle ones. */
    private void updateAssignment() {
        List<Integer> add = new ArrayList<>();
        List<Integer> release = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (lock) {
            parts.entrySet().removeIf(e -> {
                Part part = e.getValue();
                if (!part.assigned) {
                    add.add(e.getKey());
                    return false;
                }
                if (part.inFlight == 0 && now - part.idleSinceNanos >= lingerNanos) {
                    release.add(e.getKey());
                    return true;
                }
                return false;
            });
        }
        if (add.isEmpty() && release.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        release.forEach(p -> assignment.remove(new TopicPartition(topic, p)));
        List<TopicPartition> added = add.stream().map(p -> new TopicPartition(topic, p)).toList();
        assignment.addAll(added);
        consumer.assign(assignment);
        if (added.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(added, OFFSETS_TIMEOUT);
        for (TopicPartition tp : added) {
            consumer.seek(tp, ends.get(tp));
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (lock) {
            for (int p : add) {
                Part part = parts.get(p);
                if (part != null) {
                    part.assigned = true;
                    ready.add(part.ready);
                }
            }
        }
        ready.forEach(r -> r.complete(null));
    }

    private void handle(ConsumerRecord<byte[], byte[]> r, long now) {
        if (r.key() == null || r.value() == null) {
            return;
        }
        String userId = new String(r.key(), StandardCharsets.UTF_8);
        DecisionRecord decoded = null;
        String eventId;
        if (codec.format() == WireFormat.JSON) {
            eventId = JsonPeek.topLevelString(r.value(), "event_id");
        } else {
            decoded = decode(r);
            eventId = decoded == null ? null : decoded.eventId();
        }
        if (eventId == null) {
            return;
        }
        String key = key(userId, eventId);
        InFlight f;
        synchronized (lock) {
            if (!inFlight.containsKey(key)) {
                return;   // not ours, a duplicate of one delivered, or one that timed out
            }
        }
        if (decoded == null) {
            decoded = decode(r);
        }
        f = take(key);
        if (f == null) {
            return;
        }
        if (f.timeout != null) {
            f.timeout.cancel(false);
        }
        if (decoded == null) {
            f.future.completeExceptionally(new IllegalStateException("the decision of event " + eventId + " of user "
                    + userId + " at " + topic + "-" + r.partition() + " offset " + r.offset()
                    + " cannot be read; check that the client's decisions format is the service's"));
            return;
        }
        synchronized (lock) {
            delivered.put(key, decoded);
        }
        latency.record(now - f.sentNanos);
        f.future.complete(decoded);
    }

    private DecisionRecord decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return codec.decode(r.value());
        } catch (InvalidEventException e) {
            LOG.warn("a record at {}-{} offset {} is not a decision record: {}", topic, r.partition(), r.offset(),
                    e.getMessage());
            return null;
        }
    }

    /** Stops reading; every event still in flight fails with an {@link IllegalStateException}. */
    void close() {
        List<InFlight> left;
        synchronized (lock) {
            closed = true;
            left = new ArrayList<>(inFlight.values());
            inFlight.clear();
            lock.notifyAll();
        }
        consumer.wakeup();
        for (InFlight f : left) {
            if (f.timeout != null) {
                f.timeout.cancel(false);
            }
            f.future.completeExceptionally(new IllegalStateException("the orchestrator client was closed before the "
                    + "decision of event " + f.eventId + " of user " + f.userId + " arrived"));
        }
    }
}
