package io.noos.streams.tools;

import io.noos.streams.avro.AvroCodec;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.serde.EnvelopeCodec;
import io.noos.streams.kafka.serde.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
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
        long start = System.nanoTime();
        Path stateDir = Files.createTempDirectory("noos-replay-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            ServiceConfig config = serviceConfig
                    .with(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ServiceConfig.APPLICATION_ID, "noos-replay-" + UUID.randomUUID())
                    .with(ServiceConfig.STATE_DIR, stateDir.toString());
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
                try (EnvelopeFileProducer producer =
                             new EnvelopeFileProducer(client, config.get(ServiceConfig.INPUT_TOPIC))) {
                    produced = producer.sendEnvelopes(input,
                            new EnvelopeCodec(WireFormat.parse(config.get(ServiceConfig.INPUT_FORMAT))), onBadLine);
                    if (produced.failed() > 0) {
                        throw new IOException(produced.failed() + " records could not be produced",
                                producer.firstFailure());
                    }
                }
                decisions = readDecisions(client, config, produced.decisionEvents());
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

    private List<UserDecision> readDecisions(Properties client, ServiceConfig config, long expected)
            throws IOException {
        boolean avro = WireFormat.parse(config.get(ServiceConfig.DECISIONS_FORMAT)) == WireFormat.AVRO;
        AvroCodec avroCodec = avro ? new AvroCodec() : null;
        List<UserDecision> decisions = new ArrayList<>((int) Math.min(expected, 1 << 20));
        try (CommittedTopicReader reader =
                     new CommittedTopicReader(client, config.get(ServiceConfig.DECISIONS_TOPIC), true)) {
            reader.read(idleTimeout, expected, r -> {
                byte[] json = avro ? DecisionRecordJson.toBytes(avroCodec.decodeDecision(r.value())) : r.value();
                decisions.add(new UserDecision(JsonPeek.topLevelString(json, "user_id"), json));
            });
        }
        return decisions;
    }

    /** A decision record as JSON, with its user for sorting. */
    private record UserDecision(String userId, byte[] json) {}
}
