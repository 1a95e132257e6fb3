package io.noos.streams.kafka.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.http.HttpSettings;
import io.noos.streams.kafka.http.ServiceHttpServer;
import io.noos.streams.kafka.http.StreamThreadStatus;
import io.noos.streams.kafka.metrics.ServiceMetrics;
import io.noos.streams.kafka.serde.RecordSizeLimit;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.alerts.AlertSettings;
import io.noos.streams.alerts.AlertsRunner;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceFileWatcher;
import io.noos.streams.policy.PolicyRejections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle of the Kafka Streams application: topics, start, readiness, stream-thread failures
 * ({@link StreamThreadFailures}), clean shutdown; and its HTTP server (health, metrics, interactive
 * queries, dashboard) unless {@code noos.http.port} is -1.
 */
public final class RegulatorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegulatorService.class);
    /** Prometheus: {@code noos_stream_thread_replacements_total}. */
    public static final String THREAD_REPLACEMENTS = "noos.stream.thread.replacements";
    /** Prometheus: {@code noos_stream_thread_consecutive_failures}. */
    public static final String CONSECUTIVE_THREAD_FAILURES = "noos.stream.thread.consecutive.failures";
    /** Prometheus: {@code noos_dropped_records_total}. */
    public static final String DROPPED_RECORDS = "noos.dropped.records";
    private static final int MAX_STATE_DIRS = 16;

    private final TopologySettings settings;
    private final TopologyFactory topology;
    private final ServiceMetrics metrics;
    private final ServiceHttpServer http;
    private final StreamThreadFailures failures;
    private final PriceFileWatcher priceWatcher;
    private final AlertSettings alertSettings;
    private AlertsRunner alerts;
    private Thread alertsThread;
    private final RecordSizeLimit recordSizeLimit;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CompletableFuture<String> failed = new CompletableFuture<>();
    /** The configuration, with the state directory actually used once {@link #start} has built Kafka Streams. */
    private volatile ServiceConfig config;
    private volatile KafkaStreams streams;
    private Set<String> stores;
    /** Called with Kafka Streams just before it starts (tests watch restores). */
    Consumer<KafkaStreams> beforeStart = streams -> { };

    public RegulatorService(ServiceConfig config) {
        this(config, RegulatorTopology::build);
    }

    /** The service running the topology {@code topology} builds (tests extend the standard one). */
    public RegulatorService(ServiceConfig config, TopologyFactory topology) {
        this.config = config;
        this.topology = topology;
        this.alertSettings = config.alertSettings();   // a bad noos.alerts.* key fails here, before anything starts
        PriceBook prices = new PriceBook();
        this.settings = config.topologySettings().toBuilder().prices(prices).build();
        this.priceWatcher = config.pricesFile() == null ? null
                : PriceFileWatcher.start(config.pricesFile(), prices, config.pricesCheckIntervalMs());
        this.failures = new StreamThreadFailures(config.maxConsecutiveThreadFailures());
        this.recordSizeLimit = settings.recordSizeLimit();
        HttpSettings httpSettings = HttpSettings.from(config);
        this.metrics = new ServiceMetrics();
        // Bound before Kafka Streams exists: the port actually bound is this instance's application.server.
        this.http = httpSettings.enabled() ? ServiceHttpServer.bind(httpSettings) : null;
        FunctionCounter.builder(THREAD_REPLACEMENTS, failures, StreamThreadFailures::replacements)
                .description("Stream threads replaced after a failure")
                .register(metrics.registry());
        Gauge.builder(CONSECUTIVE_THREAD_FAILURES, failures, StreamThreadFailures::consecutive)
                .description("Stream-thread failures since the last commit; the instance stops at "
                        + ServiceConfig.MAX_CONSECUTIVE_THREAD_FAILURES)
                .register(metrics.registry());
        FunctionCounter.builder(DROPPED_RECORDS, recordSizeLimit, RecordSizeLimit::droppedCount)
                .description("Dead letters not written: too large even with their value cut, or refused by the broker")
                .register(metrics.registry());
    }

    /** Kafka Streams' handlers: stream-thread failures and state changes. */
    private void watch(KafkaStreams streams) {
        streams.setUncaughtExceptionHandler(this::onThreadFailure);
        streams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            } else if (now == KafkaStreams.State.ERROR) {
                failed.complete(failures.stopReason().orElse("Kafka Streams stopped in state ERROR"
                        + failures.lastFailure().map(f -> " after: " + f).orElse("")));
            }
        });
    }

    /**
     * Answers a failed stream thread as {@link StreamThreadFailures} rules, and logs it: the stack
     * trace once, at the first failure after progress; a repeat of it as one line.
     */
    private StreamThreadExceptionResponse onThreadFailure(Throwable e) {
        // Kafka Streams names its global thread <client id>-GlobalStreamThread; it cannot be replaced.
        boolean replaceable = !Thread.currentThread().getName().endsWith("-GlobalStreamThread");
        StreamThreadExceptionResponse response = failures.failed(e, replaceable);
        String failure = failures.lastFailure().orElseThrow();
        if (response == StreamThreadExceptionResponse.SHUTDOWN_CLIENT) {
            LOG.error("stopping: {}", failures.stopReason().orElseThrow());
            LOG.debug("the failure that stopped the instance", e);
        } else if (failures.consecutive() == 1) {
            LOG.warn("stream thread failed; replacing it (failure 1 of at most {} without progress): {}",
                    failures.limit(), failure, e);
        } else {
            LOG.warn("stream thread failed again; replacing it (failure {} of at most {} without progress): {}",
                    failures.consecutive(), failures.limit(), failure);
            LOG.debug("the repeated failure", e);
        }
        return response;
    }

    private record Built(KafkaStreams streams, Set<String> stores, ServiceConfig config) {}

    /**
     * Kafka Streams over the topology. A state directory holds one running instance of an
     * application (Kafka Streams locks it); when another instance on this machine holds it (several
     * instances started with the default directory), the next free sibling {@code <dir>-2},
     * {@code <dir>-3}, ... is used instead: the state lives in the changelogs, a directory only
     * spares restoring it.
     */
    private Built build(ServiceConfig config, TopologySettings settings, TopologyFactory topology) {
        String stateDir = Path.of(config.get(ServiceConfig.STATE_DIR)).toString();   // no trailing separator
        for (int n = 1; ; n++) {
            ServiceConfig c = n == 1 ? config : config.with(ServiceConfig.STATE_DIR, stateDir + "-" + n);
            Properties properties = StreamsProperties.of(c, settings.recordSizeLimit());
            if (http != null) {
                properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG,
                        http.advertised().host() + ":" + http.advertised().port());
            }
            Topology built = topology.build(settings, metrics);
            createStateDirectory(c);
            try {
                return new Built(new KafkaStreams(built, properties, new ServiceKafkaClients(failures::committed)),
                        storeNames(built), c);
            } catch (StreamsException e) {
                // Kafka Streams' only sign that another process holds the directory's lock.
                if (e.getMessage() == null || !e.getMessage().startsWith("Unable to initialize state")) {
                    throw e;
                }
                if (n == MAX_STATE_DIRS) {
                    throw new IllegalStateException("the state directories " + stateDir + " to " + stateDir + "-" + n
                            + " are all in use by other instances of " + config.get(ServiceConfig.APPLICATION_ID)
                            + "; give this one its own --state-dir", e);
                }
                LOG.info("state directory {} is in use by another instance of {}; trying {}-{}",
                        c.get(ServiceConfig.STATE_DIR), config.get(ServiceConfig.APPLICATION_ID), stateDir, n + 1);
            }
        }
    }

    /**
     * Creates the application's folder in the state directory before Kafka Streams does: instances
     * started together that move to the same sibling would otherwise race in Kafka Streams' own
     * check-then-create, and the loser fails with "doesn't exist and couldn't be created".
     */
    private static void createStateDirectory(ServiceConfig c) {
        try {
            java.nio.file.Files.createDirectories(Path.of(c.get(ServiceConfig.STATE_DIR), c.get(ServiceConfig.APPLICATION_ID)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the state directory " + c.get(ServiceConfig.STATE_DIR), e);
        }
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
     * Waits for the cluster and creates missing topics ({@link TopicSetup}, within
     * {@code noos.startup.timeout.ms}; the record size limit is lowered to what the output topics
     * accept), then builds Kafka Streams (its clients need the cluster's addresses to resolve), starts
     * the HTTP server and starts processing. If that fails ({@link ServiceStartException}: the cluster
     * not answering in time, the credentials refused, a topic that cannot be created), the service is
     * closed and the error, saying why, is thrown.
     */
    public RegulatorService start() {
        LOG.info("effective configuration: {}", config.redacted());
        try {
            TopicSetup.ensureTopics(config).forEach(recordSizeLimit::lowerTo);
            Built built = build(config, settings, topology);
            config = built.config();
            stores = built.stores();
            streams = built.streams();
            metrics.bindStreams(streams);
            watch(streams);
            beforeStart.accept(streams);
            if (http != null) {
                http.serve(streams, this::threadStatus, settings.userStateStore(), stores, metrics);
                LOG.info("HTTP on {} (advertised to other instances as {}:{})", http.localUrl(),
                        http.advertised().host(), http.advertised().port());
            }
            streams.start();
            if (alertSettings != null) {
                alerts = new AlertsRunner(config.kafkaProperties(), alertSettings);
                alertsThread = new Thread(() -> {
                    try {
                        alerts.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.error("alerts stopped: {}", e.toString());
                    }
                }, "noos-alerts");
                alertsThread.setDaemon(true);
                alertsThread.start();
                LOG.info("alerts: posting to {} webhook(s)", alertSettings.webhooks().size());
            }
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

    /**
     * Completes, with a one-line reason, when the service stops by itself: Kafka Streams reached
     * ERROR (too many stream-thread failures in a row, or the global thread failed).
     */
    public CompletableFuture<String> failure() {
        return failed.copy();
    }

    /** The stream threads' failures, as {@code /health} shows them. */
    public StreamThreadStatus threadStatus() {
        return new StreamThreadStatus(failures.replacements(), failures.consecutive(), failures.limit(),
                failures.lastFailure(), failures.stopReason());
    }

    /** Kafka Streams, once {@link #start} has built it (null before). */
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
        if (alerts != null) {
            alerts.close();
            try {
                alertsThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            // Leave the group so a replacement instance takes over at once instead of waiting for
            // this member's session to expire.
            if (streams != null) {
                streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
        } finally {
            if (http != null) {
                http.close();
            }
            if (priceWatcher != null) {
                priceWatcher.close();
            }
            metrics.close();
        }
    }
}
