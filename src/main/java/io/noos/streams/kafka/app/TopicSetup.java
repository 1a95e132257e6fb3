package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.ServiceTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the service's topics when they are missing, each as its {@link ServiceTopic} says: the
 * event logs (input, decisions, dead letters, fleet stats) with LogAppendTime, the policies topic
 * compacted, with one partition (policies are few and every instance reads all of them). The state
 * changelogs are Kafka Streams' own, compacted, so user state never expires.
 */
public final class TopicSetup {
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    private TopicSetup() {}

    public static List<NewTopic> topics(ServiceConfig config) {
        return Arrays.stream(ServiceTopic.values())
                .map(topic -> new NewTopic(config.get(topic.configKey()), topic.partitions(config.topicPartitions()),
                        config.topicReplication()).configs(topic.topicConfigs(config.outputRetentionMs())))
                .toList();
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
