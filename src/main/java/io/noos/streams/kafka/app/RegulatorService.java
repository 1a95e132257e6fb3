package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.RegulatorTopology;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lifecycle of the Kafka Streams application: topics, start, readiness, clean shutdown. */
public final class RegulatorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegulatorService.class);

    private final ServiceConfig config;
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    public RegulatorService(ServiceConfig config) {
        this.config = config;
        this.streams = new KafkaStreams(RegulatorTopology.build(config.topologySettings()), StreamsProperties.of(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
    }

    /**
     * Creates missing topics and starts processing. If that fails (the cluster unreachable, the
     * credentials refused), the service is closed and the error, saying why, is thrown.
     */
    public RegulatorService start() {
        LOG.info("effective configuration: {}", config.redacted());
        try {
            TopicSetup.ensureTopics(config);
            streams.start();
        } catch (RuntimeException e) {
            streams.close(Duration.ofSeconds(10));
            throw e;
        }
        return this;
    }

    /** Waits until the application is RUNNING (all tasks assigned and restored). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        // Leave the group so a replacement instance takes over at once instead of waiting for
        // this member's session to expire.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
