package io.noos.streams.kafka.config;

import io.noos.streams.alerts.AlertSettings;
import io.noos.streams.detect.Detector;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.detect.SpendBudgetDetector;
import io.noos.streams.pricing.Money;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.fleet.FleetStatsSettings;
import io.noos.streams.kafka.topology.EventTimeBound;
import io.noos.streams.kafka.serde.RecordSizeLimit;
import io.noos.streams.kafka.topology.ServiceTopic;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.DeciderSettings;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.decide.UserState;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's configuration, layered: built-in defaults, then a properties file, then environment
 * variables, then command-line flags (each layer overrides the one before).
 *
 * <p>Keys starting with {@code noos.} are the service's own; every other key (for example
 * {@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.truststore.location},
 * {@code num.stream.threads}) is passed to Kafka Streams and its clients unchanged. Environment:
 * {@code NOOS_COST_CAP} sets {@code noos.cost.cap}; {@code KAFKA_SECURITY_PROTOCOL} sets
 * {@code security.protocol} (prefix dropped, lowercased, {@code _} becomes {@code .}).
 */
public final class ServiceConfig {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    /** The keys naming the topics are {@link ServiceTopic}'s. */
    public static final String INPUT_TOPIC = ServiceTopic.AGENT_EVENTS.configKey();
    public static final String DECISIONS_TOPIC = ServiceTopic.DECISIONS.configKey();
    public static final String DLQ_TOPIC = ServiceTopic.DEAD_LETTERS.configKey();
    public static final String INPUT_FORMAT = "noos.input.format";
    public static final String DECISIONS_FORMAT = "noos.decisions.format";
    public static final String COST_CAP = "noos.cost.cap";
    public static final String SCOPE_DRIFT_THRESHOLD = "noos.scope.drift.threshold";
    public static final String IMPLICIT_WINDOW_MS = "noos.implicit.correction.window.ms";
    public static final String RESET_ON_NEW_SESSION = "noos.reset.on.new.session";
    public static final String TOPIC_PARTITIONS = "noos.topic.partitions";
    public static final String TOPIC_REPLICATION = "noos.topic.replication.factor";
    public static final String OUTPUT_RETENTION_MS = "noos.output.retention.ms";
    public static final String RECENT_EVENT_IDS = "noos.dedupe.recent.event.ids";
    /** Total bytes for block cache, memtables, indexes and filters of all RocksDB stores of the process. */
    public static final String ROCKSDB_MEMORY_BYTES = "noos.rocksdb.memory.bytes";
    public static final long DEFAULT_ROCKSDB_MEMORY_BYTES = 64L << 20;
    /** Port of the HTTP server (health, metrics, queries, dashboard): 0 picks a free one, -1 turns it off. */
    public static final String HTTP_PORT = "noos.http.port";
    /**
     * Address the HTTP server binds to; unset: every interface ({@code 0.0.0.0}), so other instances
     * and Prometheus reach it, except under {@code run} with its in-process broker (loopback only).
     */
    public static final String HTTP_HOST = "noos.http.host";
    /** {@code host:port} other instances reach this one's HTTP server at (Kafka Streams' {@code application.server}). */
    public static final String HTTP_ADVERTISED_URL = "noos.http.advertised.url";
    /** Bearer token required by the endpoints that return user data; unset or blank: none required. */
    public static final String HTTP_TOKEN = "noos.http.token";
    public static final String POLICIES_TOPIC = ServiceTopic.POLICIES.configKey();
    public static final String FLEET_STATS_TOPIC = ServiceTopic.FLEET_STATS.configKey();
    public static final String AGENT_SPEND_TOPIC = ServiceTopic.AGENT_SPEND.configKey();
    public static final String FLEET_STATS_GRACE_MS = "noos.fleet.stats.grace.ms";
    public static final String FLEET_STATS_RETENTION_MS = "noos.fleet.stats.retention.ms";
    public static final String FLEET_STATS_EMIT_INTERVAL_MS = "noos.fleet.stats.emit.interval.ms";
    /**
     * How far ahead of the instance's clock an envelope's {@code at_ms} may be before the envelope is
     * dead-lettered (ms, default 300000); see {@link EventTimeBound}.
     */
    public static final String EVENT_TIME_MAX_FUTURE_MS = EventTimeBound.CONFIG_KEY;
    /**
     * Stream-thread failures in a row, without a commit between them, after which the instance
     * stops instead of replacing the thread again (the rule: {@code StreamThreadFailures}).
     */
    public static final String MAX_CONSECUTIVE_THREAD_FAILURES = "noos.stream.thread.max.consecutive.failures";
    /**
     * How long a start waits for the Kafka cluster to answer and for the service's topics to be
     * ready (ms, default 300000), logging while it waits; then the start fails naming the address.
     */
    public static final String STARTUP_TIMEOUT_MS = "noos.startup.timeout.ms";
    /**
     * Prefix of the opt-in detectors' settings: {@code noos.detector.<name>.enabled=true},
     * {@code noos.detector.<name>.<parameter>=<number>} (from the environment,
     * {@code NOOS_DETECTOR_TOKEN_BUDGET_MAX_TOKENS} works too).
     */
    public static final String DETECTOR_PREFIX = "noos.detector.";
    /** A JSON price table ({@code pricing/PriceTableJson}); unset: no prices, every cost unpriced. */
    public static final String PRICES_FILE = "noos.prices.file";
    /** How often the price file is checked for changes, ms. */
    public static final String PRICES_CHECK_INTERVAL_MS = "noos.prices.check.interval.ms";

    private static final Set<String> SECRET_MARKERS = Set.of("password", "secret", "jaas", "token", "key");

    private final Map<String, String> values;

    private ServiceConfig(Map<String, String> values) {
        this.values = values;
    }

    public static Map<String, String> defaults() {
        Map<String, String> d = new TreeMap<>();
        d.put(APPLICATION_ID, "noos-streams");
        d.put(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "noos-streams-state").toString());
        d.put(PROCESSING_GUARANTEE, "exactly_once_v2");
        for (ServiceTopic topic : ServiceTopic.values()) {
            d.put(topic.configKey(), topic.defaultName());
        }
        d.put(INPUT_FORMAT, "json");
        d.put(DECISIONS_FORMAT, "json");
        d.put(COST_CAP, "10000");
        d.put(SCOPE_DRIFT_THRESHOLD, "0.5");
        d.put(RESET_ON_NEW_SESSION, "true");
        d.put(TOPIC_PARTITIONS, "6");
        d.put(TOPIC_REPLICATION, "1");
        d.put(OUTPUT_RETENTION_MS, Long.toString(7L * 24 * 3600 * 1000));
        d.put(ROCKSDB_MEMORY_BYTES, Long.toString(DEFAULT_ROCKSDB_MEMORY_BYTES));
        d.put(HTTP_PORT, "8080");
        d.put(RECENT_EVENT_IDS, Integer.toString(DeciderSettings.DEFAULT_RECENT_IDS));
        d.put(FLEET_STATS_GRACE_MS, Long.toString(FleetStatsSettings.DEFAULT_GRACE_MS));
        d.put(FLEET_STATS_RETENTION_MS, Long.toString(FleetStatsSettings.DEFAULT_RETENTION_MS));
        d.put(FLEET_STATS_EMIT_INTERVAL_MS, Long.toString(FleetStatsSettings.DEFAULT_EMIT_INTERVAL_MS));
        d.put(EVENT_TIME_MAX_FUTURE_MS, Long.toString(EventTimeBound.DEFAULT_MAX_FUTURE_MS));
        d.put(MAX_CONSECUTIVE_THREAD_FAILURES, "5");
        d.put(PRICES_CHECK_INTERVAL_MS, "5000");
        d.put(STARTUP_TIMEOUT_MS, "300000");
        return d;
    }

    /**
     * Layers defaults, the file (may be null), the environment and the flags (null values in
     * {@code flags} mean "not given").
     */
    public static ServiceConfig load(Path file, Map<String, String> env, Map<String, String> flags) throws IOException {
        Map<String, String> v = defaults();
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k).trim()));
        }
        env.forEach((name, value) -> {
            if (name.startsWith("NOOS_")) {
                v.put("noos." + envToKey(name.substring(5)), value);
            } else if (name.startsWith("KAFKA_")) {
                v.put(envToKey(name.substring(6)), value);
            }
        });
        flags.forEach((k, value) -> {
            if (value != null) {
                v.put(k, value);
            }
        });
        return new ServiceConfig(v);
    }

    private static String envToKey(String rest) {
        return rest.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public String get(String key) {
        return values.get(key);
    }

    public boolean hasBootstrapServers() {
        String b = values.get(BOOTSTRAP_SERVERS);
        return b != null && !b.isBlank();
    }

    public ServiceConfig with(String key, String value) {
        Map<String, String> v = new TreeMap<>(values);
        v.put(key, value);
        return new ServiceConfig(v);
    }

    public int topicPartitions() {
        return Integer.parseInt(values.get(TOPIC_PARTITIONS));
    }

    public short topicReplication() {
        return Short.parseShort(values.get(TOPIC_REPLICATION));
    }

    public long outputRetentionMs() {
        return Long.parseLong(values.get(OUTPUT_RETENTION_MS));
    }

    /** {@link #MAX_CONSECUTIVE_THREAD_FAILURES}; an IllegalArgumentException naming the key unless an integer ≥ 1. */
    public int maxConsecutiveThreadFailures() {
        String v = values.get(MAX_CONSECUTIVE_THREAD_FAILURES);
        try {
            int limit = v == null ? 0 : Integer.parseInt(v.trim());
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(
                MAX_CONSECUTIVE_THREAD_FAILURES + " must be an integer of at least 1, got \"" + v + "\"");
    }

    /** {@link #STARTUP_TIMEOUT_MS}; an IllegalArgumentException naming the key unless an integer ≥ 0. */
    public Duration startupTimeout() {
        String v = values.get(STARTUP_TIMEOUT_MS);
        try {
            long ms = v == null ? -1 : Long.parseLong(v.trim());
            if (ms >= 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(STARTUP_TIMEOUT_MS + " must be an integer >= 0 (milliseconds), got \"" + v + "\"");
    }

    public UserSettings userSettings() {
        String window = values.get(IMPLICIT_WINDOW_MS);
        return new UserSettings(Long.parseLong(values.get(COST_CAP)),
                Double.parseDouble(values.get(SCOPE_DRIFT_THRESHOLD)),
                window == null || window.isBlank() ? null : Long.parseLong(window),
                detectorSettings(DetectorRegistry.BUILT_IN));
    }

    /**
     * The {@code noos.detector.*} keys as detector settings; an unknown detector or parameter or a
     * refused value is an IllegalArgumentException naming the key.
     */
    public DetectorSettings detectorSettings(DetectorRegistry registry) {
        Map<String, Map<String, Double>> set = new TreeMap<>();
        values.forEach((key, value) -> {
            if (!key.startsWith(DETECTOR_PREFIX)) {
                return;
            }
            String rest = key.substring(DETECTOR_PREFIX.length());
            Detector detector = registry.detectors().stream()
                    .filter(d -> rest.startsWith(d.name() + ".") || rest.startsWith(d.name().replace('_', '.') + "."))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(key + ": unknown detector; known: "
                            + registry.knownNames()));
            String param = rest.substring(detector.name().length() + 1).replace('.', '_');
            double number;
            String v = value.trim();
            if (param.equals(DetectorSettings.ENABLED)) {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(key + " must be true or false, got " + v);
                }
                number = v.equalsIgnoreCase("true") ? 1.0 : 0.0;
            } else if (param.equals(SpendBudgetDetector.CURRENCY) && v.matches("[A-Za-z]{3}")) {
                try {
                    number = Money.numericCode(v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + e.getMessage());
                }
            } else {
                try {
                    number = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must be a number, got " + v);
                }
            }
            set.computeIfAbsent(detector.name(), n -> new TreeMap<>()).put(param, number);
        });
        try {
            return DetectorSettings.of(set, registry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("noos.detector.*: " + e.getMessage(), e);
        }
    }

    public TopologySettings topologySettings() {
        return TopologySettings.builder()
                .inputTopic(values.get(INPUT_TOPIC))
                .decisionsTopic(values.get(DECISIONS_TOPIC))
                .deadLetterTopic(values.get(DLQ_TOPIC))
                .policiesTopic(values.get(POLICIES_TOPIC))
                .fleetStatsTopic(values.get(FLEET_STATS_TOPIC))
                .agentSpendTopic(values.get(AGENT_SPEND_TOPIC))
                .formats(wireFormat(INPUT_FORMAT), wireFormat(DECISIONS_FORMAT))
                .userSettings(userSettings())
                .resetOnNewSession(Boolean.parseBoolean(values.get(RESET_ON_NEW_SESSION)))
                .recentEventIds(recentEventIds())
                .fleetStats(fleetStats())
                .eventTime(eventTimeBound())
                .recordSizeLimit(recordSizeLimit())
                .build();
    }

    /**
     * The alerts to run inside the service ({@code noos.alerts.enabled=true} and at least one
     * {@code noos.alerts.webhook.<name>.url}), or null when not enabled; an IllegalArgumentException
     * names a bad key.
     */
    public AlertSettings alertSettings() {
        if (!Boolean.parseBoolean(values.getOrDefault(AlertSettings.ENABLED, "false").trim())) {
            return null;
        }
        return AlertSettings.from(values, values.get(DECISIONS_TOPIC), WireFormat.parse(values.get(DECISIONS_FORMAT)));
    }

    /** {@link #PRICES_FILE}, or null when unset or blank. */
    public Path pricesFile() {
        String v = values.get(PRICES_FILE);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    /** {@link #PRICES_CHECK_INTERVAL_MS}; an IllegalArgumentException naming the key unless an integer >= 100. */
    public long pricesCheckIntervalMs() {
        String v = values.get(PRICES_CHECK_INTERVAL_MS).trim();
        try {
            long ms = Long.parseLong(v);
            if (ms >= 100) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(PRICES_CHECK_INTERVAL_MS + " must be an integer >= 100 (ms), got " + v);
    }

    /**
     * The record size limit its producer sets: Kafka Streams' producer's {@code max.request.size}
     * ({@code producer.max.request.size} over {@code max.request.size}, else Kafka's default); the
     * service lowers it at start to its output topics' {@code max.message.bytes} when smaller.
     * Anything but an integer above a few kilobytes is refused, naming the key.
     */
    public RecordSizeLimit recordSizeLimit() {
        String key = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (values.get(key) == null) {
            key = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
        }
        String value = values.get(key);
        if (value == null) {
            return RecordSizeLimit.defaults();
        }
        try {
            return new RecordSizeLimit(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got \"" + value + "\"");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + e.getMessage());
        }
    }

    /** {@link #EVENT_TIME_MAX_FUTURE_MS}; anything but an integer >= 0 is refused, naming the key. */
    public EventTimeBound eventTimeBound() {
        String value = values.get(EVENT_TIME_MAX_FUTURE_MS).trim();
        try {
            return new EventTimeBound(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EVENT_TIME_MAX_FUTURE_MS + " must be an integer >= 0, got " + value);
        }
    }

    /** The fleet-statistics settings; an IllegalArgumentException names a key that is not a valid integer for it. */
    public FleetStatsSettings fleetStats() {
        return new FleetStatsSettings(integer(FLEET_STATS_GRACE_MS), integer(FLEET_STATS_RETENTION_MS),
                integer(FLEET_STATS_EMIT_INTERVAL_MS));
    }

    /** {@link #RECENT_EVENT_IDS}; an IllegalArgumentException naming the key unless an integer in 0..65536. */
    public int recentEventIds() {
        long n = integer(RECENT_EVENT_IDS);
        if (n < 0 || n > UserState.MAX_RECENT_IDS) {
            throw new IllegalArgumentException(RECENT_EVENT_IDS + " must be an integer in 0.." + UserState.MAX_RECENT_IDS
                    + ", got " + n);
        }
        return (int) n;
    }

    /** {@link #ROCKSDB_MEMORY_BYTES}; an IllegalArgumentException naming the key unless an integer > 0. */
    public long rocksDbMemoryBytes() {
        long bytes = integer(ROCKSDB_MEMORY_BYTES);
        if (bytes <= 0) {
            throw new IllegalArgumentException(ROCKSDB_MEMORY_BYTES + " must be an integer > 0 (bytes), got " + bytes);
        }
        return bytes;
    }

    private WireFormat wireFormat(String key) {
        try {
            return WireFormat.parse(values.get(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + Arrays.stream(WireFormat.values())
                    .map(f -> f.name().toLowerCase(Locale.ROOT)).toList() + ", got \"" + values.get(key) + "\"");
        }
    }

    private long integer(String key) {
        String v = values.get(key).trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got \"" + v + "\"");
        }
    }

    /** Every key that is not the service's own: Kafka Streams and client settings. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> {
            if (!k.startsWith("noos.")) {
                p.put(k, v);
            }
        });
        return p;
    }

    /** The effective configuration with secrets redacted, for the startup log. */
    public Map<String, String> redacted() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, isSecret(k) ? "[redacted]" : v));
        return out;
    }

    private static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return SECRET_MARKERS.stream().anyMatch(k::contains) && !k.endsWith(".type") && !k.endsWith(".location");
    }
}
