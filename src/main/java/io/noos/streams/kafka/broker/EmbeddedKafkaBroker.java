package io.noos.streams.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker running in this JVM: Kafka's own {@link KafkaRaftServer} in
 * combined mode (broker and the only KRaft controller in one node), listening on 127.0.0.1 only.
 *
 * <p>{@link #start} formats the data directory the way {@code kafka-storage.sh format} does (unless
 * it is already formatted, so a restart on the same directory keeps its topics and records),
 * starts the server and returns once the broker answers a client. Internal topics have one
 * replica and the transaction log accepts one in-sync replica, so exactly-once producers and
 * Kafka Streams' {@code exactly_once_v2} work. Topics are never auto-created.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
 *     broker.createTopics(List.of(new NewTopic("agent-events", 6, (short) 1)));
 *     String bootstrap = broker.bootstrapServers();   // "127.0.0.1:<port>"
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** Ports we pick can be taken by another process before the broker binds them. */
    private static final int START_ATTEMPTS = 3;

    /**
     * How to start the broker.
     *
     * @param port             the client port on 127.0.0.1; 0 picks a free port
     * @param dataDir          the broker's log directory, created and formatted if needed; null for
     *                         a temporary directory that {@link #close()} deletes
     * @param brokerProperties extra broker settings ({@code server.properties} keys), applied last
     *                         so they override the defaults
     * @param clientProperties settings for the broker's own admin client (readiness check and
     *                         {@link #createTopics}), over those of {@code saslPlain}
     * @param saslPlain        null for a PLAINTEXT client listener; else the listener is
     *                         SASL_PLAINTEXT and accepts only this PLAIN user
     */
    public record Options(int port, Path dataDir, Map<String, String> brokerProperties,
                          Map<String, String> clientProperties, SaslPlain saslPlain) {
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
            }
            brokerProperties = Map.copyOf(Objects.requireNonNull(brokerProperties, "brokerProperties"));
            clientProperties = Map.copyOf(Objects.requireNonNull(clientProperties, "clientProperties"));
        }

        /** A free port, a temporary data directory, a PLAINTEXT listener, no extra settings. */
        public static Options defaults() {
            return new Options(0, null, Map.of(), Map.of(), null);
        }

        /** These options with another client port (0 = a free port). */
        public Options withPort(int port) {
            return new Options(port, dataDir, brokerProperties, clientProperties, saslPlain);
        }

        /** These options with another data directory (null = a temporary one). */
        public Options withDataDir(Path dataDir) {
            return new Options(port, dataDir, brokerProperties, clientProperties, saslPlain);
        }

        /** These options with other extra broker settings. */
        public Options withBrokerProperties(Map<String, String> brokerProperties) {
            return new Options(port, dataDir, brokerProperties, clientProperties, saslPlain);
        }

        /** These options with other settings for the broker's own admin client. */
        public Options withClientProperties(Map<String, String> clientProperties) {
            return new Options(port, dataDir, brokerProperties, clientProperties, saslPlain);
        }

        /**
         * These options with a SASL_PLAINTEXT client listener that accepts only {@code user}
         * (mechanism PLAIN); clients need {@link SaslPlain#clientProperties()}.
         */
        public Options withSaslPlain(SaslPlain user) {
            return new Options(port, dataDir, brokerProperties, clientProperties, user);
        }
    }

    private final KafkaRaftServer server;
    private final Admin admin;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Admin admin, String bootstrapServers,
                                Path dataDir, boolean deleteDataDirOnClose) {
        this.server = server;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
    }

    /**
     * Formats the data directory if needed, starts the broker and waits until it answers.
     *
     * @throws KafkaException if the broker does not start or does not answer within 60 s
     *                        (for instance because the port is in use)
     */
    public static EmbeddedKafkaBroker start(Options options) {
        long startNanos = System.nanoTime();
        boolean temporary = options.dataDir() == null;
        Path dataDir = temporary ? createTempDir() : options.dataDir().toAbsolutePath();
        try {
            EmbeddedKafkaBroker broker = startServer(options, dataDir, temporary);
            log.info("Kafka broker ready at {} in {} ms (data dir {})", broker.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir);
            return broker;
        } catch (RuntimeException | Error e) {
            if (temporary) {
                deleteQuietly(dataDir);
            }
            throw e;
        }
    }

    private static EmbeddedKafkaBroker startServer(Options options, Path dataDir, boolean temporary) {
        // Fail fast with a clear message: Kafka would start the controller, fail to bind the broker
        // listener, log several stack traces and shut down again.
        if (options.port() != 0 && !LoopbackPorts.isFree(options.port())) {
            throw new KafkaException("Kafka broker cannot start: port " + options.port() + " on "
                    + LoopbackPorts.HOST + " is already in use");
        }
        for (int attempt = 1; ; attempt++) {
            int brokerPort = options.port() != 0 ? options.port() : LoopbackPorts.freePort();
            int controllerPort = LoopbackPorts.freePort();
            if (controllerPort == brokerPort) {
                continue;
            }
            Properties properties =
                    BrokerConfig.create(brokerPort, controllerPort, dataDir, options.saslPlain(), options.brokerProperties());
            boolean formatted = LogDirFormatter.formatIfNeeded(properties);
            log.debug("Log dir {} {}", dataDir, formatted ? "formatted" : "already formatted, reused");

            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                shutdownQuietly(server);
                if (isBindFailure(e) && attempt < START_ATTEMPTS) {
                    log.debug("Port taken while starting the broker, retrying with other ports", e);
                    continue;
                }
                throw new KafkaException("Kafka broker failed to start: " + rootCauseMessage(e), e);
            }

            String bootstrap = LoopbackPorts.HOST + ":" + brokerPort;
            Admin admin = null;
            try {
                admin = createAdmin(bootstrap, adminProperties(options));
                awaitBroker(admin);
                return new EmbeddedKafkaBroker(server, admin, bootstrap, dataDir, temporary);
            } catch (RuntimeException e) {
                if (admin != null) {
                    admin.close(Duration.ZERO);
                }
                shutdownQuietly(server);
                throw e;
            }
        }
    }

    /** The client bootstrap address, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's log directory (a temporary one unless {@link Options#dataDir()} was given). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates the topics that do not exist yet and waits until every partition of every given topic
     * has a leader, so clients can use them at once. Topics that already exist are left as they are.
     *
     * @throws KafkaException if a topic cannot be created or does not get leaders within 60 s
     */
    public void createTopics(Collection<NewTopic> topics) {
        if (topics.isEmpty()) {
            return;
        }
        for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
            try {
                created.getValue().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("cannot create topic " + created.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("timed out creating topic " + created.getKey(), e);
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
        awaitLeaders(topics.stream().map(NewTopic::name).toList());
    }

    /** Stops the broker cleanly and deletes the data directory if it is a temporary one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        if (deleteDataDirOnClose) {
            deleteQuietly(dataDir);
        }
    }

    private static Map<String, String> adminProperties(Options options) {
        Map<String, String> p = new HashMap<>();
        if (options.saslPlain() != null) {
            p.putAll(options.saslPlain().clientProperties());
        }
        p.putAll(options.clientProperties());
        return p;
    }

    private static Admin createAdmin(String bootstrap, Map<String, String> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-broker-admin");
        return Admin.create(config);
    }

    /** The server's startup returns once the broker is unfenced; this checks that clients get answers. */
    private static void awaitBroker(Admin admin) {
        awaitCondition("the broker to answer describeCluster", () -> !admin
                .describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                .nodes().get().isEmpty());
    }

    private void awaitLeaders(List<String> topicNames) {
        awaitCondition("leaders for topics " + topicNames, () -> {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topicNames).allTopicNames().get();
            return descriptions.values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        });
    }

    private interface Check {
        boolean passes() throws Exception;
    }

    private static void awaitCondition(String what, Check check) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (check.passes()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            } catch (Exception e) {
                last = e;   // not ready yet (unknown topic, broker not reachable): try again
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("timed out after " + READY_TIMEOUT.toSeconds() + " s waiting for " + what, last);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                throw new InterruptException(e);
            }
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Error stopping a Kafka broker that failed to start", e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("noos-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka data dir", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            log.warn("Cannot delete Kafka data dir {}", dir, e);
        }
    }
}
