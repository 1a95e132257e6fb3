package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.ServiceTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics when they are missing, each as its {@link ServiceTopic} says: the
 * event logs (input, decisions, dead letters, fleet stats) with LogAppendTime, the policies topic
 * compacted, with one partition (policies are few and every instance reads all of them). The state
 * changelogs are Kafka Streams' own, compacted, so user state never expires.
 *
 * <p>It also holds the service to its partitioning guarantee: the decisions topic has as many
 * partitions as the input topic, so a user's decisions, written with the same key (the user id) by
 * Kafka's default partitioner, land in the partition of the same number as the user's events, and an
 * orchestrator can compute which decision partition to read. Topics created beforehand with other
 * counts stop the start ({@link #requireSamePartitioning}).
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    /** How long a start waits for the service's topics to be visible with leaders. */
    static final Duration METADATA_WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET_WAIT = Duration.ofSeconds(2);

    private TopicSetup() {}

    /** The input and decisions topics exist with different numbers of partitions: the service does not start. */
    public static final class PartitioningMismatchException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PartitioningMismatchException(String message) {
            super(message);
        }
    }

    public static List<NewTopic> topics(ServiceConfig config) {
        return Arrays.stream(ServiceTopic.values())
                .map(topic -> new NewTopic(config.get(topic.configKey()), topic.partitions(config.topicPartitions()),
                        config.topicReplication()).configs(topic.topicConfigs(config.outputRetentionMs())))
                .toList();
    }

    /**
     * Creates whatever of {@link #topics} does not exist yet, then waits until every one of them
     * (created here, by another instance starting at the same moment, or long ago) is described with
     * a leader for every partition. A topic that exists is not necessarily visible yet: an instance
     * that loses the creation race gets {@code TopicExistsException} before the brokers' metadata
     * shows the topic, and Kafka Streams fails at start on a topic it cannot see (a global store:
     * "no partitions available"; a source topic: a missing-topic error on the stream thread).
     */
    public static void ensureTopics(ServiceConfig config) {
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
            Map<String, Integer> partitions = awaitLeaders(config, a, names, METADATA_WAIT);
            String input = config.get(ServiceTopic.AGENT_EVENTS.configKey());
            String decisions = config.get(ServiceTopic.DECISIONS.configKey());
            requireSamePartitioning(input, partitions.get(input), decisions, partitions.get(decisions));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * The partitioning guarantee: a user's decisions go to the decisions partition numbered as the
     * partition of their events, which holds when both topics have the same number of partitions
     * (both are keyed by the user id and written by Kafka's default partitioner).
     *
     * @throws PartitioningMismatchException with one line saying what to fix when the counts differ
     */
    public static void requireSamePartitioning(String input, int inputPartitions, String decisions,
                                               int decisionsPartitions) {
        if (inputPartitions != decisionsPartitions) {
            throw new PartitioningMismatchException("topic " + decisions + " has " + decisionsPartitions + " partition"
                    + (decisionsPartitions == 1 ? "" : "s") + " but " + input + " has " + inputPartitions
                    + "; they must have the same number, so that each user's decisions are in the partition numbered "
                    + "as their events' (orchestrators rely on it): recreate " + decisions + " with " + inputPartitions
                    + " partitions, or use topics created by the service");
        }
    }

    /**
     * Polls until every topic has partitions, each with a leader, and returns each topic's number of
     * partitions. Fresh topics take a moment, so only a wait longer than {@link #QUIET_WAIT} is
     * logged (once).
     */
    private static Map<String, Integer> awaitLeaders(ServiceConfig config, Admin admin, List<String> topics, Duration wait)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        boolean logged = false;
        while (true) {
            Set<String> notReady = new TreeSet<>(topics);
            Map<String, Integer> partitions = new HashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> d : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    TopicDescription description = d.getValue().get();
                    if (!description.partitions().isEmpty()
                            && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        notReady.remove(d.getKey());
                        partitions.put(d.getKey(), description.partitions().size());
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
                return partitions;
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

    /** Names the broker and the security settings in use (never the secrets), then Kafka's reason. */
    static String authenticationFailure(ServiceConfig config, AuthenticationException e) {
        return "authentication to Kafka at " + config.get(ServiceConfig.BOOTSTRAP_SERVERS) + " failed (security.protocol="
                + config.get("security.protocol") + ", sasl.mechanism=" + config.get("sasl.mechanism")
                + "); check the credentials in sasl.jaas.config: " + e.getMessage();
    }
}
