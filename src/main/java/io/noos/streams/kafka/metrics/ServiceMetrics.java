package io.noos.streams.kafka.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionVocabulary;
import io.noos.streams.kafka.topology.ProcessingObserver;
import io.noos.streams.policy.PolicyRejections;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The service's meters in one Prometheus registry: Kafka Streams' own metrics (once
 * {@link #bindStreams} is called), JVM and process metrics, and the regulator's counters and
 * per-record latency, which the topology reports through {@link ProcessingObserver}.
 *
 * <p>Other parts of the service register their own meters on {@link #registry()}; meter names
 * start with {@code noos.} (Prometheus: {@code noos_...}).
 *
 * <p>Counters count processing attempts: a record reprocessed after an aborted exactly-once
 * transaction is counted again, while the topics hold it once.
 */
public final class ServiceMetrics implements ProcessingObserver, AutoCloseable {
    public static final String DECISIONS = "noos.decisions";
    public static final String CIRCUIT_BREAKS = "noos.circuit.breaks";
    public static final String DEAD_LETTERS = "noos.dead.letters";
    public static final String DUPLICATES = "noos.duplicates";
    public static final String PROCESSING_LATENCY = "noos.processing.latency";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> breaks = new ConcurrentHashMap<>();
    private final Counter deadLetters;
    private final Counter duplicates;
    private final Timer latency;
    private final PolicyRejections policyRejections = new PolicyRejections();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private KafkaStreamsMetrics streamsMetrics;

    public ServiceMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Every kind and reason up front, so they read 0 before the first (and a dashboard sees the
        // opt-in detectors' series whether or not they are on).
        DecisionVocabulary.kinds().forEach(this::decisionCounter);
        DecisionVocabulary.breakReasons().forEach(this::breakCounter);
        deadLetters = Counter.builder(DEAD_LETTERS)
                .description("Records the regulator processor sent to the dead-letter topic")
                .register(registry);
        duplicates = Counter.builder(DUPLICATES)
                .description("Records repeating an event id already applied for the user (not applied again)")
                .register(registry);
        latency = Timer.builder(PROCESSING_LATENCY)
                .description("The regulator processor's work on one record: decode, state read, regulator, state write")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        registry.gauge("noos_policy_rejections", policyRejections, PolicyRejections::count);
    }

    /** Where the service's other parts register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds the Kafka Streams client, thread, task and store metrics of {@code streams}. */
    public synchronized void bindStreams(KafkaStreams streams) {
        if (streamsMetrics != null) {
            throw new IllegalStateException("Kafka Streams metrics are already bound");
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /** Every meter in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void decided(Decision decision) {
        decisionCounter(decision.kind()).increment();
        if (decision instanceof Decision.CircuitBreak cb) {
            breakCounter(cb.reason().kind()).increment();
        }
    }

    @Override
    public void deadLettered() {
        deadLetters.increment();
    }

    @Override
    public void duplicate() {
        duplicates.increment();
    }

    @Override
    public void processed(long elapsedNanos) {
        latency.record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void policyRejected(String key, String reason) {
        policyRejections.record(key, reason);
    }

    /** Policy records this instance refused (each logged at WARN with its key and reason). */
    public PolicyRejections policyRejections() {
        return policyRejections;
    }

    private Counter decisionCounter(String kind) {
        return decisions.computeIfAbsent(kind, k -> Counter.builder(DECISIONS)
                .description("Decisions emitted, by kind")
                .tag("kind", k)
                .register(registry));
    }

    /** Tagged with {@link BreakReason#kind()}: a closed set, so the tag's cardinality stays bounded. */
    private Counter breakCounter(String reason) {
        return breaks.computeIfAbsent(reason, r -> Counter.builder(CIRCUIT_BREAKS)
                .description("Circuit-break decisions, by reason")
                .tag("reason", r)
                .register(registry));
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gc.close();
        registry.close();
    }
}
