package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics when they are missing.
 *
 * <p>Retention and old logs: producers may stamp records with the event time, months in the past
 * for a replayed log; with the default CreateTime, time-based retention would delete such records
 * almost as soon as they land. So the input, decisions, dead-letter and fleet-stats topics are
 * created with {@code message.timestamp.type=LogAppendTime}: retention counts from arrival, and the
 * broker refuses no producer's timestamp. Event time travels in the payload ({@code at_ms}); what
 * the service writes carries the input record's timestamp (see {@code RecordTimestampExtractor}),
 * so CreateTime topics created beforehand work too. The state changelog is compacted, so user
 * state never expires. The policies topic is compacted (the newest entry per key is kept forever, a
 * tombstone deletes it) and has one partition: policies are few and every instance reads all of them.
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    /** How long a start waits for the service's topics to be visible with leaders. */
    static final Duration METADATA_WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET_WAIT = Duration.ofSeconds(2);

    private TopicSetup() {}

    public static List<NewTopic> topics(ServiceConfig config) {
        Map<String, String> appendTime = Map.of(
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime",
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.outputRetentionMs()));
        int partitions = config.topicPartitions();
        short rf = config.topicReplication();
        return List.of(
                new NewTopic(config.get(ServiceConfig.INPUT_TOPIC), partitions, rf).configs(appendTime),
                new NewTopic(config.get(ServiceConfig.DECISIONS_TOPIC), partitions, rf).configs(appendTime),
                new NewTopic(config.get(ServiceConfig.DLQ_TOPIC), partitions, rf).configs(appendTime),
                new NewTopic(config.get(ServiceConfig.FLEET_STATS_TOPIC), partitions, rf).configs(appendTime),
                new NewTopic(config.get(ServiceConfig.POLICIES_TOPIC), 1, rf).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /**
     * Creates whatever of {@link #topics} does not exist yet, then waits until every one of them
     * (created here, by another instance starting at the same moment, or long ago) is described with
     * a leader for every partition. A topic that exists is not necessarily visible yet: an instance
     * that loses the creation race gets {@code TopicExistsException} before the brokers' metadata
     * shows the topic, and Kafka Streams fails at start on a topic it cannot see (a global store:
     * "no partitions available"; a source topic: a missing-topic error on the stream thread).
     *
     * @return the {@code max.message.bytes} of the topics the service writes its records to (dead
     *         letters, decisions), as the brokers report them: what those topics accept
     */
    public static Map<String, Integer> ensureTopics(ServiceConfig config) {
        Properties admin = config.kafkaProperties();
        try (Admin a = Admin.create(admin)) {
            List<String> names = new ArrayList<>();
            for (NewTopic t : topics(config)) {
                names.add(t.name());
                try {
                    a.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AuthenticationException auth) {
                        throw new IllegalStateException(authenticationFailure(config, auth), auth);
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause(), e);
                    }
                }
            }
            awaitLeaders(config, a, names, METADATA_WAIT);
            return maxMessageBytes(a, List.of(config.get(ServiceConfig.DLQ_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Polls until every topic has partitions, each with a leader. Fresh topics take a moment, so
     * only a wait longer than {@link #QUIET_WAIT} is logged (once).
     */
    private static void awaitLeaders(ServiceConfig config, Admin admin, List<String> topics, Duration wait)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        boolean logged = false;
        while (true) {
            Set<String> notReady = new TreeSet<>(topics);
            for (Map.Entry<String, KafkaFuture<TopicDescription>> d : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    TopicDescription description = d.getValue().get();
                    if (!description.partitions().isEmpty()
                            && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        notReady.remove(d.getKey());
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AuthenticationException auth) {
                        throw new IllegalStateException(authenticationFailure(config, auth), auth);
                    }
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new IllegalStateException("cannot describe topic " + d.getKey() + ": " + e.getCause(), e);
                    }
                    // not visible yet (just created, here or by another instance): wait
                }
            }
            if (notReady.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + notReady + " have no leader for every partition after "
                        + wait.toSeconds() + " s; check that the brokers are up and the topics are not being deleted");
            }
            if (!logged && System.nanoTime() - start > QUIET_WAIT.toNanos()) {
                LOG.info("waiting up to {} s for topics {} to have a leader for every partition", wait.toSeconds(), notReady);
                logged = true;
            }
            Thread.sleep(100);
        }
    }

    /** Each topic's {@code max.message.bytes}; a topic whose setting cannot be read is left out. */
    private static Map<String, Integer> maxMessageBytes(Admin admin, List<String> topics) throws InterruptedException {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Integer> out = new TreeMap<>();
        try {
            admin.describeConfigs(resources).all().get().forEach((resource, config) -> {
                ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry != null && entry.value() != null) {
                    out.put(resource.name(), Integer.parseInt(entry.value()));
                }
            });
        } catch (ExecutionException | NumberFormatException e) {
            // not allowed to read topic settings (an ACL), for example: the producer's limit stands
            LOG.info("cannot read max.message.bytes of {} ({}); assuming they accept what the producer sends", topics,
                    e instanceof ExecutionException ? e.getCause() : e);
        }
        return out;
    }

    /** Names the broker and the security settings in use (never the secrets), then Kafka's reason. */
    static String authenticationFailure(ServiceConfig config, AuthenticationException e) {
        return "authentication to Kafka at " + config.get(ServiceConfig.BOOTSTRAP_SERVERS) + " failed (security.protocol="
                + config.get("security.protocol") + ", sasl.mechanism=" + config.get("sasl.mechanism")
                + "); check the credentials in sasl.jaas.config: " + e.getMessage();
    }
}
