package io.noos.streams.replay;

import io.noos.streams.avro.AvroCodec;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.JsonPeek;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.logfile.EnvelopeFileReader;
import io.noos.streams.logfile.JsonLinesWriter;
import io.noos.streams.clients.ClusterProbe;
import io.noos.streams.clients.CommittedTopicReader;
import io.noos.streams.clients.EnvelopeFileProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Utils;

/**
 * Replays an envelope file through the real service on a real Kafka: starts a single-node broker
 * in this JVM, creates the service's topics, runs {@link RegulatorService} (fresh application id,
 * temporary state directory), produces the file exactly as {@code produce} does (same event-id
 * derivation), and reads the decisions topic ({@code read_committed}) until there is one decision
 * per non-token event or the idle timeout passes.
 *
 * <p>Decisions are written sorted by user; within a user they keep the order in which they were
 * read, which is the order of that user's input events (a user's records share one partition, the
 * producer is idempotent and the service runs exactly-once, so the order is that of the file).
 * Across users the order of the live run is arbitrary, so the output is the offline replay's
 * output grouped by user whenever the service decides as the offline replay does.
 */
public final class KafkaReplay {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    /** Hears how a replay through Kafka goes; every method is called on the replaying thread. */
    public interface Listener {
        /** A listener that does nothing. */
        Listener NONE = new Listener() { };

        /** The service is running; the file is about to be produced. */
        default void serviceRunning() { }

        /** The file was produced: {@code sent} records, {@code expectedDecisions} decisions to wait for. */
        default void produced(long sent, long expectedDecisions) { }

        /** One decision record read back, as JSON (also when the decisions topic is Avro). */
        default void decision(byte[] json) { }
    }

    private final ServiceConfig serviceConfig;
    private final Duration idleTimeout;

    /**
     * A replay with the service configured by {@code serviceConfig} (bootstrap servers, application
     * id and state directory are replaced) that waits at most {@code idleTimeout} for the next decision.
     */
    public KafkaReplay(ServiceConfig serviceConfig, Duration idleTimeout) {
        this.serviceConfig = serviceConfig;
        this.idleTimeout = idleTimeout;
    }

    /** Replays {@code input} into {@code output}; lines that are not envelopes go to {@code onBadLine}. */
    public ReplaySummary run(Path input, Path output, Consumer<EnvelopeFileReader.Line.Bad> onBadLine)
            throws IOException, InterruptedException {
        return run(input, output, onBadLine, Listener.NONE);
    }

    /**
     * Replays {@code input} into {@code output}, telling {@code listener} how it goes; lines that are
     * not envelopes go to {@code onBadLine}.
     */
    public ReplaySummary run(Path input, Path output, Consumer<EnvelopeFileReader.Line.Bad> onBadLine,
                             Listener listener) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path stateDir = Files.createTempDirectory("noos-replay-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            ServiceConfig config = serviceConfig
                    .with(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ServiceConfig.APPLICATION_ID, "noos-replay-" + UUID.randomUUID())
                    .with(ServiceConfig.STATE_DIR, stateDir.toString())
                    .with(ServiceConfig.HTTP_PORT, "-1") // a replay serves no HTTP
                    // recorded event times are not checked against today's clock, as offline
                    .with(ServiceConfig.EVENT_TIME_MAX_FUTURE_MS, Long.toString(Long.MAX_VALUE));
            broker.createTopics(TopicSetup.topics(config));
            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());

            EnvelopeFileProducer.Result produced;
            List<UserDecision> decisions;
            try (RegulatorService service = new RegulatorService(config).start()) {
                if (!service.awaitRunning(STARTUP_TIMEOUT)) {
                    throw new IllegalStateException("the service did not reach RUNNING within "
                            + STARTUP_TIMEOUT.toSeconds() + " s");
                }
                listener.serviceRunning();
                try (EnvelopeFileProducer producer =
                             new EnvelopeFileProducer(client, config.get(ServiceConfig.INPUT_TOPIC))) {
                    produced = producer.sendEnvelopes(input,
                            new EnvelopeCodec(WireFormat.parse(config.get(ServiceConfig.INPUT_FORMAT))), onBadLine);
                    if (produced.failed() > 0) {
                        throw new IOException(produced.failed() + " records could not be produced",
                                producer.firstFailure());
                    }
                }
                listener.produced(produced.sent(), produced.decisionEvents());
                decisions = readDecisions(client, config, produced.decisionEvents(), listener);
            }
            decisions.sort(Comparator.comparing(UserDecision::userId, Comparator.nullsFirst(Comparator.naturalOrder())));   // stable: per-user order kept
            try (JsonLinesWriter out = JsonLinesWriter.create(output)) {
                for (UserDecision d : decisions) {
                    out.write(d.json());
                }
            }
            return new ReplaySummary(produced.sent(), decisions.size(),
                    Math.max(0, produced.decisionEvents() - decisions.size()), produced.badLines(),
                    produced.blankLines(), Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }

    /**
     * What {@link #toTopic} did.
     *
     * @param produced     what was sent
     * @param topicCreated whether the topic did not exist and was created
     * @param firstFailure the first send error, or null when every record was acknowledged
     */
    public record ToTopicResult(EnvelopeFileProducer.Result produced, boolean topicCreated, Exception firstFailure) {}

    /**
     * Produces {@code input} into {@code topic} of a running cluster instead of replaying it here:
     * exactly as {@code produce} does (keyed by user, idempotent producer, {@code acks=all}, missing
     * event ids derived from the file name and line number, values encoded in the service's
     * {@code noos.input.format}). A topic that does not exist is first created as the service creates
     * its input topic ({@code noos.topic.partitions}, {@code noos.topic.replication.factor},
     * {@code LogAppendTime}, {@code noos.output.retention.ms}), so old event times are not expired
     * at once and each user's events stay in one partition, in file order.
     *
     * @param client        {@code bootstrap.servers} and any client settings (security, TLS, SASL)
     * @param serviceConfig the service's configuration (wire format, topic settings)
     * @throws ClusterProbe.ClusterUnreachableException when the cluster does not answer
     */
    public static ToTopicResult toTopic(Properties client, ServiceConfig serviceConfig, String topic, Path input,
                                        Consumer<EnvelopeFileReader.Line.Bad> onBadLine)
            throws IOException, InterruptedException {
        ClusterProbe.requireReachable(client);
        boolean created = createTopicIfMissing(client, serviceConfig.with(ServiceConfig.INPUT_TOPIC, topic));
        try (EnvelopeFileProducer producer = new EnvelopeFileProducer(client, topic)) {
            EnvelopeFileProducer.Result produced = producer.sendEnvelopes(input,
                    new EnvelopeCodec(WireFormat.parse(serviceConfig.get(ServiceConfig.INPUT_FORMAT))), onBadLine);
            return new ToTopicResult(produced, created, produced.failed() > 0 ? producer.firstFailure() : null);
        }
    }

    /** Creates the input topic of {@code config} when it is missing; true when it was created. */
    private static boolean createTopicIfMissing(Properties client, ServiceConfig config) throws InterruptedException {
        NewTopic topic = TopicSetup.topics(config).get(0);
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get().contains(topic.name())) {
                return false;
            }
            admin.createTopics(List.of(topic)).all().get();
            awaitLeaders(admin, topic.name());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
        }
    }

    /**
     * Waits until every partition of a topic just created has a leader: a producer that starts
     * before that meets NOT_LEADER_OR_FOLLOWER, and its idempotent retries may then fail with an
     * out-of-order sequence on a busy broker.
     */
    private static void awaitLeaders(Admin admin, String topic) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (!description.partitions().isEmpty() && description.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("topic " + topic + " has no leader for every partition after "
                + LEADER_WAIT.toSeconds() + " s");
    }

    private List<UserDecision> readDecisions(Properties client, ServiceConfig config, long expected,
                                             Listener listener) throws IOException {
        boolean avro = WireFormat.parse(config.get(ServiceConfig.DECISIONS_FORMAT)) == WireFormat.AVRO;
        AvroCodec avroCodec = avro ? new AvroCodec() : null;
        List<UserDecision> decisions = new ArrayList<>((int) Math.min(expected, 1 << 20));
        try (CommittedTopicReader reader =
                     new CommittedTopicReader(client, config.get(ServiceConfig.DECISIONS_TOPIC), true)) {
            reader.read(idleTimeout, expected, r -> {
                byte[] json = avro ? DecisionRecordJson.toBytes(avroCodec.decodeDecision(r.value())) : r.value();
                decisions.add(new UserDecision(JsonPeek.topLevelString(json, "user_id"), json));
                listener.decision(json);
            });
        }
        return decisions;
    }

    /** A decision record as JSON, with its user for sorting. */
    private record UserDecision(String userId, byte[] json) {}
}
