package io.noos.streams.clients;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.JsonPeek;
import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.logfile.EnvelopeFileReader;
import io.noos.streams.logfile.RawLineReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the lines of a JSON Lines envelope file to a topic, keyed by {@code user_id}, with an
 * idempotent producer and {@code acks=all}, so each user's events land in one partition in file
 * order, once.
 *
 * <p>It first checks that the cluster answers ({@link ClusterProbe}), and gives up at the first
 * record that times out (the topic missing from the cluster's metadata within
 * {@code max.block.ms}, {@value #MAX_BLOCK_MS} ms unless the client settings say otherwise, or not
 * acknowledged in time): every later record would wait as long again.
 */
public final class EnvelopeFileProducer implements AutoCloseable {

    /**
     * What a file send did.
     *
     * @param sent           records the broker acknowledged
     * @param decisionEvents of those envelopes, the ones the service decides after (all but tokens);
     *                       0 for raw sends, where lines are not parsed
     * @param unkeyed        raw lines sent without a key (no top-level string {@code user_id})
     * @param failed         records the broker did not accept
     * @param badLines       lines that are not envelopes, not sent (always 0 for raw sends)
     * @param blankLines     blank lines, skipped
     */
    public record Result(long sent, long decisionEvents, long unkeyed, long failed, long badLines,
                         long blankLines) {}

    /** How long a send may wait for the topic's metadata or buffer space, unless the client settings say. */
    static final int MAX_BLOCK_MS = 30_000;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    /** The first send that timed out: the cluster or the topic is not there, so sending stops. */
    private final AtomicReference<TimeoutException> timedOut = new AtomicReference<>();
    private final Callback callback = (metadata, error) -> {
        if (error == null) {
            acknowledged.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, error);
            if (error instanceof TimeoutException timeout) {
                timedOut.compareAndSet(null, timeout);
            }
        }
    };

    /**
     * A producer for {@code topic}; {@code client} holds {@code bootstrap.servers} and any client settings.
     *
     * @throws ClusterProbe.ClusterUnreachableException when the cluster does not answer
     */
    public EnvelopeFileProducer(Properties client, String topic) {
        ClusterProbe.requireReachable(client);
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Sends one record; stops everything once a send has timed out. */
    private void send(String key, byte[] value, long lineNumber) {
        producer.send(new ProducerRecord<>(topic, key, value), callback);
        TimeoutException timeout = timedOut.get();
        if (timeout != null) {
            throw new KafkaException("gave up sending to topic " + topic + " at line " + lineNumber + " ("
                    + acknowledged.get() + " records acknowledged before): " + timeout.getMessage(), timeout);
        }
    }

    /**
     * Parses each line into an envelope (deriving missing event ids, see {@link EnvelopeFileReader}),
     * encodes it with {@code codec} and sends it keyed by its user. Lines that are not envelopes are
     * passed to {@code onBadLine} and not sent.
     */
    public Result sendEnvelopes(Path file, EnvelopeCodec codec, Consumer<EnvelopeFileReader.Line.Bad> onBadLine)
            throws IOException {
        long acknowledgedBefore = acknowledged.get();
        long failedBefore = failed.get();
        long decisionEvents = 0;
        try (EnvelopeFileReader in = EnvelopeFileReader.open(file)) {
            for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
                if (line instanceof EnvelopeFileReader.Line.Parsed parsed) {
                    EventEnvelope e = parsed.envelope();
                    send(e.userId(), codec.encode(e), line.lineNumber());
                    if (!e.event().isTokenLike()) {
                        decisionEvents++;
                    }
                } else {
                    onBadLine.accept((EnvelopeFileReader.Line.Bad) line);
                }
            }
            producer.flush();
            return new Result(acknowledged.get() - acknowledgedBefore, decisionEvents, 0,
                    failed.get() - failedBefore, in.counts().badLines(), in.counts().blankLines());
        }
    }

    /**
     * Sends each non-blank line verbatim as a record value, keyed by its top-level {@code user_id}
     * when one can be read (no key otherwise). Nothing is validated: this is how operators inject
     * bad input to exercise the dead-letter path.
     */
    public Result sendRawLines(Path file) throws IOException {
        long acknowledgedBefore = acknowledged.get();
        long failedBefore = failed.get();
        long unkeyed = 0;
        long blank = 0;
        try (RawLineReader in = RawLineReader.open(file)) {
            for (byte[] line; (line = in.next()) != null; ) {
                if (RawLineReader.isBlank(line)) {
                    blank++;
                    continue;
                }
                String user = JsonPeek.topLevelString(line, "user_id");
                if (user == null) {
                    unkeyed++;
                }
                send(user, line, in.lineNumber());
            }
        }
        producer.flush();
        return new Result(acknowledged.get() - acknowledgedBefore, 0, unkeyed, failed.get() - failedBefore, 0, blank);
    }

    /** The first send error, if any record failed. */
    public Exception firstFailure() {
        return firstFailure.get();
    }

    /** Closes the producer; after a timeout, without waiting for the records still buffered. */
    @Override
    public void close() {
        producer.close(timedOut.get() == null ? Duration.ofMillis(Long.MAX_VALUE) : Duration.ZERO);
    }
}
