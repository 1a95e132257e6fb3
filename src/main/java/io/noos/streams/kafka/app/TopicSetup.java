package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;

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
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

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
     * Creates whatever of {@link #topics} does not exist yet, and waits until the ones it created
     * have a leader for every partition: the service's global stores (on the policies and the
     * fleet-stats topics) fail at start on a topic whose partitions are not known yet.
     */
    public static void ensureTopics(ServiceConfig config) {
        Properties admin = config.kafkaProperties();
        try (Admin a = Admin.create(admin)) {
            List<String> created = new ArrayList<>();
            for (NewTopic t : topics(config)) {
                try {
                    a.createTopics(List.of(t)).all().get();
                    created.add(t.name());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AuthenticationException auth) {
                        throw new IllegalStateException(authenticationFailure(config, auth), auth);
                    }
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause(), e);
                    }
                }
            }
            awaitLeaders(a, created);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (!topics.isEmpty()) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                if (described.values().stream().allMatch(d -> !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return;
                }
            } catch (ExecutionException notYetKnown) {
                // metadata not propagated yet: retry
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have no leaders after " + LEADER_WAIT);
            }
            Thread.sleep(50);
        }
    }

    /** Names the broker and the security settings in use (never the secrets), then Kafka's reason. */
    static String authenticationFailure(ServiceConfig config, AuthenticationException e) {
        return "authentication to Kafka at " + config.get(ServiceConfig.BOOTSTRAP_SERVERS) + " failed (security.protocol="
                + config.get("security.protocol") + ", sasl.mechanism=" + config.get("sasl.mechanism")
                + "); check the credentials in sasl.jaas.config: " + e.getMessage();
    }
}
