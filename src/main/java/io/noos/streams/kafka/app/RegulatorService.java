package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.http.HttpSettings;
import io.noos.streams.kafka.http.ServiceHttpServer;
import io.noos.streams.kafka.metrics.ServiceMetrics;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.policy.PolicyRejections;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle of the Kafka Streams application: topics, start, readiness, clean shutdown; and its
 * HTTP server (health, metrics, interactive queries, dashboard) unless {@code noos.http.port} is -1.
 */
public final class RegulatorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegulatorService.class);

    private final ServiceConfig config;
    private final ServiceMetrics metrics;
    private final ServiceHttpServer http;
    private final Set<String> stores;
    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    public RegulatorService(ServiceConfig config) {
        this(config, RegulatorTopology::build);
    }

    /** The service running the topology {@code topology} builds (tests extend the standard one). */
    public RegulatorService(ServiceConfig config, TopologyFactory topology) {
        this.config = config;
        TopologySettings settings = config.topologySettings();
        HttpSettings httpSettings = HttpSettings.from(config);
        this.metrics = new ServiceMetrics();
        // Bound before Kafka Streams exists: the port actually bound is this instance's application.server.
        this.http = httpSettings.enabled() ? ServiceHttpServer.bind(httpSettings) : null;
        try {
            Properties properties = StreamsProperties.of(config);
            if (http != null) {
                properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG,
                        http.advertised().host() + ":" + http.advertised().port());
            }
            Topology built = topology.build(settings, metrics);
            this.stores = storeNames(built);
            this.streams = new KafkaStreams(built, properties);
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
            }
            metrics.close();
            throw e;
        }
        metrics.bindStreams(streams);
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

    private static Set<String> storeNames(Topology topology) {
        Set<String> names = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    names.addAll(p.stores());
                }
            }
        }
        return names;
    }

    /**
     * Starts the HTTP server, creates missing topics and starts processing. If that fails (the
     * cluster unreachable, the credentials refused), the service is closed and the error, saying
     * why, is thrown.
     */
    public RegulatorService start() {
        LOG.info("effective configuration: {}", config.redacted());
        try {
            if (http != null) {
                http.serve(streams, config.topologySettings().userStateStore(), stores, metrics);
                LOG.info("HTTP on {} (advertised to other instances as {}:{})", http.localUrl(),
                        http.advertised().host(), http.advertised().port());
            }
            TopicSetup.ensureTopics(config);
            streams.start();
        } catch (RuntimeException e) {
            close();
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

    /** Where the service's meters are; other parts register theirs here. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The HTTP server, unless turned off. */
    public Optional<ServiceHttpServer> http() {
        return Optional.ofNullable(http);
    }

    /** Policy records this instance refused (each logged at WARN with its key and reason). */
    public PolicyRejections policyRejections() {
        return metrics.policyRejections();
    }

    @Override
    public void close() {
        try {
            // Leave the group so a replacement instance takes over at once instead of waiting for
            // this member's session to expire.
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } finally {
            if (http != null) {
                http.close();
            }
            metrics.close();
        }
    }
}
