package io.noos.streams.crash;

import io.noos.streams.json.JsonPeek;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces log lines verbatim, keyed by their {@code user_id}, with an idempotent producer and
 * {@code acks=all} (so each user's events land in one partition in log order, once), at a steady
 * rate.
 */
final class PacedDriver implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final long nanosPerEvent;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private long sent;
    private long paceStart;
    private long pacedSince;

    PacedDriver(String bootstrap, String topic, int eventsPerSecond) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.nanosPerEvent = 1_000_000_000L / eventsPerSecond;
        resetPace();
    }

    long sent() {
        return sent;
    }

    /** Paces from now on: after a pause the driver does not burst to catch up. */
    void resetPace() {
        paceStart = System.nanoTime();
        pacedSince = sent;
    }

    void send(byte[] line) throws InterruptedException {
        String user = JsonPeek.topLevelString(line, "user_id");
        if (user == null) {
            throw new IllegalStateException("a log line without user_id: " + new String(line, StandardCharsets.UTF_8));
        }
        producer.send(new ProducerRecord<>(topic, user, line), (metadata, error) -> {
            if (error != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
        sent++;
        if (sent % 50 == 0) {
            long ahead = paceStart + (sent - pacedSince) * nanosPerEvent - System.nanoTime();
            if (ahead > 0) {
                Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
            }
        }
    }

    /** Waits for every acknowledgement; fails if the broker refused any record. */
    void finish() {
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records were not produced", firstFailure.get());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
