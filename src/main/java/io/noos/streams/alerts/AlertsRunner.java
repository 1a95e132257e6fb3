package io.noos.streams.alerts;

import io.noos.streams.codec.DecisionCodec;
import io.noos.streams.envelope.DecisionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the decisions topic and posts the alerts {@link AlertRules} calls for to every webhook.
 * Restart-safe: a record's offset is committed (under {@link AlertSettings#groupId()}) only after
 * its alert was posted to every webhook, so a restart resumes after the last alert sent; at start
 * the records before the committed offsets are read again to rebuild the memory of what was sent
 * (nothing is posted for them), so deduplication holds across restarts. One runner reads every
 * partition (no group rebalancing). A record that cannot be decoded is logged (partition, offset,
 * why) and skipped.
 * <p>Where reading starts on a partition the group has no committed offset for: when the group has
 * none at all (its first start), at the topic's end, or its beginning when {@link
 * AlertSettings#fromEarliest()}; when the group has offsets for other partitions, the partition was
 * added since and is read from its beginning. A partition added while running (seen once the
 * consumer's metadata is refreshed, {@code metadata.max.age.ms}) is read from its beginning too.
 * Either way that starting position is committed at once, before any record is read, so a restart
 * before the first alert's commit resumes there instead of at a new end.
 */
public final class AlertsRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsRunner.class);
    /** How often the decisions topic is checked for added partitions. */
    private static final long PARTITION_CHECK_MS = 10_000;

    private final AlertSettings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final DecisionCodec codec;
    private final AlertRules rules = new AlertRules();
    private final WebhookSender sender;
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final CountDownLatch started = new CountDownLatch(1);
    private final List<TopicPartition> assigned = new ArrayList<>();
    private volatile boolean stopping;

    public AlertsRunner(Properties kafka, AlertSettings settings) {
        this.settings = settings;
        this.codec = new DecisionCodec(settings.decisionsFormat());
        this.sender = new WebhookSender(settings);
        Properties p = new Properties();
        kafka.forEach((k, v) -> {
            String key = k.toString();
            if (!key.equals("application.id") && !key.equals("state.dir") && !key.equals("processing.guarantee")) {
                p.put(key, v);
            }
        });
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.fromEarliest() ? "earliest" : "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    /** Alerts posted (to every webhook) since this runner started. */
    public long alertsSent() {
        return alerts.get();
    }

    /** Records that could not be decoded as decisions. */
    public long undecodable() {
        return undecodable.get();
    }

    /**
     * Waits until the runner reads: its starting positions are committed and what was sent before is
     * remembered, so every decision written from then on is considered. False after {@code timeout}.
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs until {@link #close()} is called from another thread. */
    public void run() throws InterruptedException {
        try {
            List<TopicPartition> partitions = partitions();
            if (partitions.isEmpty()) {
                return;   // closed while waiting for the topic
            }
            assigned.addAll(partitions);
            consumer.assign(assigned);
            Map<TopicPartition, OffsetAndMetadata> committed = committed(partitions);
            List<TopicPartition> uncommitted = partitions.stream().filter(tp -> !committed.containsKey(tp)).toList();
            boolean atBeginning = settings.fromEarliest() || !committed.isEmpty();
            commitStart(uncommitted, atBeginning, committed.isEmpty() ? "the group's first start" : "added since");
            rebuild(partitions, committed);
            started.countDown();
            long nextPartitionCheck = System.currentTimeMillis() + PARTITION_CHECK_MS;
            while (!stopping) {
                if (System.currentTimeMillis() >= nextPartitionCheck) {
                    addNewPartitions();
                    nextPartitionCheck = System.currentTimeMillis() + PARTITION_CHECK_MS;
                }
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : batch) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Alert alert = alertOf(r);
                    if (alert != null) {
                        for (AlertSettings.Webhook hook : settings.webhooks()) {
                            if (!sender.send(alert, hook)) {
                                commit(done);
                                return; // stopping: this record is read again after a restart
                            }
                        }
                        alerts.incrementAndGet();
                        done.put(tp, new OffsetAndMetadata(r.offset() + 1));
                        commit(done);   // at once: a restart does not post it again
                    } else {
                        done.put(tp, new OffsetAndMetadata(r.offset() + 1));
                    }
                }
                commit(done);
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> partitions() throws InterruptedException {
        while (!stopping) {
            List<PartitionInfo> infos = consumer.partitionsFor(settings.decisionsTopic(), Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> out = new ArrayList<>();
                infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
                return out;
            }
            LOG.info("waiting for the decisions topic {}", settings.decisionsTopic());
            Thread.sleep(1_000);
        }
        return List.of();
    }

    /** The partitions among {@code partitions} with a committed offset, and that offset. */
    private Map<TopicPartition, OffsetAndMetadata> committed(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        consumer.committed(Set.copyOf(partitions)).forEach((tp, o) -> {
            if (o != null) {
                committed.put(tp, o);
            }
        });
        return committed;
    }

    /**
     * Positions {@code partitions} (assigned, without a committed offset) at their beginning or end
     * and commits those positions before anything is read: a restart resumes there.
     */
    private void commitStart(List<TopicPartition> partitions, boolean atBeginning, String why) {
        if (partitions.isEmpty()) {
            return;
        }
        if (atBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        partitions.forEach(tp -> start.put(tp, new OffsetAndMetadata(consumer.position(tp))));
        consumer.commitSync(start);
        LOG.info("alerts: {} partition(s) of {} without a committed offset ({}) start at their {}, committed",
                partitions.size(), settings.decisionsTopic(), why, atBeginning ? "beginning" : "end");
    }

    /** Assigns the partitions of the decisions topic added since, from their beginning. */
    private void addNewPartitions() {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(settings.decisionsTopic(), Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            return;   // asked again at the next check
        }
        if (infos == null) {
            return;
        }
        List<TopicPartition> added = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .filter(tp -> !assigned.contains(tp)).toList();
        if (added.isEmpty()) {
            return;
        }
        assigned.addAll(added);
        consumer.assign(assigned);
        Map<TopicPartition, OffsetAndMetadata> committed = committed(added);
        commitStart(added.stream().filter(tp -> !committed.containsKey(tp)).toList(), true, "added while running");
    }

    /** Reads every partition with a committed offset from its beginning up to that offset, into the rules only. */
    private void rebuild(List<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<TopicPartition, Long> until = new HashMap<>();
        committed.forEach((tp, o) -> {
            if (o.offset() > 0) {
                until.put(tp, o.offset());
            }
        });
        if (until.isEmpty()) {
            return;
        }
        List<TopicPartition> others = partitions.stream().filter(tp -> !until.containsKey(tp)).toList();
        consumer.pause(others);
        consumer.seekToBeginning(until.keySet());
        long records = 0;
        while (!stopping && until.keySet().stream().anyMatch(tp -> consumer.position(tp) < until.get(tp))) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < until.get(tp)) {
                    alertOf(r);
                    records++;
                }
            }
            for (TopicPartition tp : until.keySet()) {
                if (consumer.position(tp) >= until.get(tp)) {
                    consumer.seek(tp, until.get(tp));
                    consumer.pause(List.of(tp));
                }
            }
        }
        until.forEach(consumer::seek);
        consumer.resume(partitions);
        LOG.info("alerts: {} decisions read again to remember what was sent; resuming after them", records);
    }

    private Alert alertOf(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        DecisionRecord record;
        try {
            record = codec.decode(r.value());
        } catch (RuntimeException e) {
            undecodable.incrementAndGet();
            // the reason may quote the record, which may hold user text: only its kind is logged
            LOG.warn("decision at {}-{} offset {} skipped: not a decision record ({})", r.topic(), r.partition(),
                    r.offset(), e.getClass().getSimpleName());
            return null;
        }
        return rules.offer(record);
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.clear();
        }
    }

    /** Stops: a post in progress is abandoned (not committed, so it is sent after a restart). */
    @Override
    public void close() {
        stopping = true;
        sender.stop();
        consumer.wakeup();
    }
}
