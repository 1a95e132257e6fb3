package io.noos.streams.kafka.app;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.ServiceTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the service starts: waits for the cluster, creates the service's topics when they are
 * missing and waits until they have leaders, within {@code noos.startup.timeout.ms}. Each topic is
 * created as its {@link ServiceTopic} says: the event logs (input, decisions, dead letters, fleet
 * stats) with LogAppendTime, the policies topic compacted, with one partition (policies are few and
 * every instance reads all of them). The state changelogs are Kafka Streams' own, compacted, so user
 * state never expires.
 *
 * <p>It also holds the service to its partitioning guarantee: the decisions topic has as many
 * partitions as the input topic, so a user's decisions, written with the same key (the user id) by
 * Kafka's default partitioner, land in the partition of the same number as the user's events, and an
 * orchestrator can compute which decision partition to read. Topics created beforehand with other
 * counts stop the start ({@link #requireSamePartitioning}).
 */
public final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    /** How long Kafka Streams' global consumer waits for its topic's partitions ({@link ServiceKafkaClients}). */
    static final Duration METADATA_WAIT = Duration.ofSeconds(60);
    private static final Duration QUIET_WAIT = Duration.ofSeconds(2);
    private static final int WAIT_LOG_SECONDS = 30;
    private static final Duration WAIT_LOG_INTERVAL = Duration.ofSeconds(WAIT_LOG_SECONDS);
    /** The longest one request of the setup may take before it is tried again (within the start's bound). */
    private static final Duration ATTEMPT = Duration.ofSeconds(10);

    private TopicSetup() {}

    public static List<NewTopic> topics(ServiceConfig config) {
        return Arrays.stream(ServiceTopic.values())
                .map(topic -> new NewTopic(config.get(topic.configKey()), topic.partitions(config.topicPartitions()),
                        config.topicReplication()).configs(topic.topicConfigs(config.outputRetentionMs())))
                .toList();
    }

    /**
     * Waits for the cluster to answer, creates whatever of {@link #topics} does not exist yet, then
     * waits until every one of them (created here, by another instance starting at the same moment,
     * or long ago) is described with a leader for every partition; all within
     * {@code noos.startup.timeout.ms} ({@link ServiceConfig#startupTimeout()}). A cluster that does
     * not answer yet (started after the service, restarting, its name not resolvable yet) and a
     * request that times out are waited out, with a log line when the wait starts and every
     * {@value #WAIT_LOG_SECONDS} s after. A topic that exists is not necessarily visible yet: an
     * instance that loses the creation race gets {@code TopicExistsException} before the brokers'
     * metadata shows the topic, and Kafka Streams fails at start on a topic it cannot see (a global
     * store: "no partitions available"; a source topic: a missing-topic error on the stream thread).
     *
     * @return the {@code max.message.bytes} of the topics the service writes its records to (dead
     *         letters, decisions), as the brokers report them: what those topics accept
     * @throws ServiceStartException when the bound passes, the credentials are refused or a topic
     *                               cannot be created; its message is one line naming what to fix
     */
    public static Map<String, Integer> ensureTopics(ServiceConfig config) {
        StartWait wait = new StartWait(config);
        try (Admin admin = awaitCluster(config, wait)) {
            List<String> names = createMissing(config, admin, wait);
            Map<String, Integer> partitions = awaitLeaders(config, admin, names, wait);
            String input = config.get(ServiceTopic.AGENT_EVENTS.configKey());
            String decisions = config.get(ServiceTopic.DECISIONS.configKey());
            requireSamePartitioning(input, partitions.get(input), decisions, partitions.get(decisions));
            return maxMessageBytes(admin,
                    List.of(config.get(ServiceConfig.DLQ_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStartException("interrupted while waiting for the Kafka cluster at " + wait.bootstrap, e);
        }
    }

    /** An admin client of the cluster, once the cluster has answered it. */
    private static Admin awaitCluster(ServiceConfig config, StartWait wait) throws InterruptedException {
        Admin admin = null;
        long unresolvedPauseMs = 1_000;   // doubled up to ATTEMPT: Kafka warns at each try to resolve
        while (true) {
            String reason;
            try {
                if (admin == null) {
                    admin = Admin.create(config.kafkaProperties());
                }
                // a short question, so a cluster that is not there is reported at once (the client
                // keeps connecting in the background between questions)
                admin.describeCluster(new DescribeClusterOptions()
                        .timeoutMs((int) Math.min(QUIET_WAIT.toMillis(), wait.attemptMs()))).nodes().get();
                wait.done("the Kafka cluster at " + wait.bootstrap + " answered");
                return admin;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException auth) {
                    admin.close(Duration.ZERO);
                    throw new ServiceStartException(authenticationFailure(config, auth), auth);
                }
                reason = reason(e.getCause());
            } catch (KafkaException e) {
                if (!unresolvable(e)) {   // a client setting Kafka refuses, for example
                    throw new ServiceStartException("cannot make a Kafka client for " + wait.bootstrap + ": "
                            + reason(e), e);
                }
                reason = reason(e);   // no address in bootstrap.servers resolves yet (a broker not started)
            }
            if (wait.passed()) {
                if (admin != null) {
                    admin.close(Duration.ZERO);
                }
                throw new ServiceStartException("no Kafka broker answered at " + wait.bootstrap + " within "
                        + wait.boundSeconds() + " s (" + ServiceConfig.STARTUP_TIMEOUT_MS + "); check "
                        + ServiceConfig.BOOTSTRAP_SERVERS + " (--bootstrap-servers) and that the brokers are up"
                        + (reason == null ? "" : "; last: " + reason), null);
            }
            wait.waiting("the Kafka cluster at " + wait.bootstrap, reason);
            if (admin == null) {
                wait.pause(unresolvedPauseMs);
                unresolvedPauseMs = Math.min(2 * unresolvedPauseMs, ATTEMPT.toMillis());
            } else {
                wait.pause(1_000);
            }
        }
    }

    /** Creates the topics that do not exist; the names of all of them. */
    private static List<String> createMissing(ServiceConfig config, Admin admin, StartWait wait)
            throws InterruptedException {
        List<NewTopic> missing = new ArrayList<>(topics(config));
        List<String> names = missing.stream().map(NewTopic::name).toList();
        while (true) {
            String reason = null;
            for (Iterator<NewTopic> it = missing.iterator(); it.hasNext(); ) {
                NewTopic t = it.next();
                try {
                    admin.createTopics(List.of(t), new CreateTopicsOptions().timeoutMs(wait.attemptMs())).all().get();
                    it.remove();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof TopicExistsException) {
                        it.remove();
                    } else if (cause instanceof AuthenticationException auth) {
                        throw new ServiceStartException(authenticationFailure(config, auth), auth);
                    } else if (cause instanceof RetriableException) {
                        reason = reason(cause);
                    } else {
                        throw new ServiceStartException("cannot create topic " + t.name() + " at "
                                + wait.bootstrap + ": " + cause, cause);
                    }
                }
            }
            if (missing.isEmpty()) {
                wait.done("the topics are there");
                return names;
            }
            List<String> pending = missing.stream().map(NewTopic::name).toList();
            if (wait.passed()) {
                throw new ServiceStartException("cannot create topics " + pending + " at " + wait.bootstrap + " within "
                        + wait.boundSeconds() + " s (" + ServiceConfig.STARTUP_TIMEOUT_MS + ")"
                        + (reason == null ? "; the brokers did not answer in time" : ": " + reason), null);
            }
            wait.waiting("topics " + pending + " to be created at " + wait.bootstrap, reason);
            wait.pause(1_000);
        }
    }

    /**
     * The partitioning guarantee: a user's decisions go to the decisions partition numbered as the
     * partition of their events, which holds when both topics have the same number of partitions
     * (both are keyed by the user id and written by Kafka's default partitioner).
     *
     * @throws ServiceStartException with one line saying what to fix when the counts differ
     */
    public static void requireSamePartitioning(String input, int inputPartitions, String decisions,
                                               int decisionsPartitions) {
        if (inputPartitions != decisionsPartitions) {
            throw new ServiceStartException("topic " + decisions + " has " + decisionsPartitions + " partition"
                    + (decisionsPartitions == 1 ? "" : "s") + " but " + input + " has " + inputPartitions
                    + "; they must have the same number, so that each user's decisions are in the partition numbered "
                    + "as their events' (orchestrators rely on it): recreate " + decisions + " with " + inputPartitions
                    + " partitions, or use topics created by the service", null);
        }
    }

    /**
     * Polls until every topic has partitions, each with a leader, and returns each topic's number of
     * partitions. Fresh topics take a moment, so only a wait longer than {@link #QUIET_WAIT} is
     * logged.
     */
    private static Map<String, Integer> awaitLeaders(ServiceConfig config, Admin admin, List<String> topics,
                                                     StartWait wait) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            Set<String> notReady = new TreeSet<>(topics);
            Map<String, Integer> partitions = new HashMap<>();
            String reason = null;
            for (Map.Entry<String, KafkaFuture<TopicDescription>> d : admin.describeTopics(topics,
                    new DescribeTopicsOptions().timeoutMs(wait.attemptMs())).topicNameValues().entrySet()) {
                try {
                    TopicDescription description = d.getValue().get();
                    if (!description.partitions().isEmpty() && description.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        notReady.remove(d.getKey());
                        partitions.put(d.getKey(), description.partitions().size());
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AuthenticationException auth) {
                        throw new ServiceStartException(authenticationFailure(config, auth), auth);
                    }
                    if (!(e.getCause() instanceof RetriableException)) {
                        throw new ServiceStartException("cannot describe topic " + d.getKey() + " at " + wait.bootstrap
                                + ": " + e.getCause(), e.getCause());
                    }
                    reason = reason(e.getCause());   // not visible yet (just created, here or by another instance)
                }
            }
            if (notReady.isEmpty()) {
                wait.done("every topic has a leader for every partition");
                return partitions;
            }
            if (wait.passed()) {
                throw new ServiceStartException("topics " + notReady + " have no leader for every partition after "
                        + wait.boundSeconds() + " s (" + ServiceConfig.STARTUP_TIMEOUT_MS + "); check that the brokers "
                        + "at " + wait.bootstrap + " are up and the topics are not being deleted", null);
            }
            if (System.nanoTime() - start > QUIET_WAIT.toNanos()) {
                wait.waiting("topics " + notReady + " to have a leader for every partition", reason);
            }
            Thread.sleep(100);
        }
    }

    /** Each topic's {@code max.message.bytes}; a topic whose setting cannot be read is left out. */
    private static Map<String, Integer> maxMessageBytes(Admin admin, List<String> topics) throws InterruptedException {
        List<ConfigResource> resources =
                topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Integer> out = new TreeMap<>();
        try {
            DescribeConfigsOptions options = new DescribeConfigsOptions().timeoutMs((int) ATTEMPT.toMillis());
            admin.describeConfigs(resources, options).all().get().forEach((resource, config) -> {
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

    /** Whether a client could not be made because no address in {@code bootstrap.servers} resolves. */
    private static boolean unresolvable(KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException
                    && String.valueOf(t.getMessage()).startsWith("No resolvable bootstrap urls")) {
                return true;
            }
        }
        return false;
    }

    /** Why a request failed, in a few words; null when it only timed out (no broker answered in time). */
    private static String reason(Throwable e) {
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return null;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /**
     * The start's one bound ({@code noos.startup.timeout.ms}) and its log lines while it waits: one
     * when a wait for something starts, then every {@value #WAIT_LOG_SECONDS} s; one when it ends.
     */
    private static final class StartWait {
        final String bootstrap;
        private final Duration bound;
        private final long start = System.nanoTime();
        private String waitingFor;
        private long nextLog;

        StartWait(ServiceConfig config) {
            this.bootstrap = config.get(ServiceConfig.BOOTSTRAP_SERVERS);
            this.bound = config.startupTimeout();
        }

        boolean passed() {
            return System.nanoTime() - start >= bound.toNanos();
        }

        long boundSeconds() {
            return bound.toSeconds();
        }

        /** How long the next request may take: {@link #ATTEMPT}, or what is left of the bound (at least 100 ms). */
        int attemptMs() {
            long left = bound.toMillis() - (System.nanoTime() - start) / 1_000_000;
            return (int) Math.max(100, Math.min(ATTEMPT.toMillis(), left));
        }

        /** Sleeps {@code ms}, or what is left of the bound when less (at least 100 ms). */
        void pause(long ms) throws InterruptedException {
            Thread.sleep(Math.min(ms, attemptMs()));
        }

        void waiting(String what, String reason) {
            long now = System.nanoTime();
            long waited = (now - start) / 1_000_000_000;
            String why = reason == null ? "" : " (" + reason + ")";
            if (!what.equals(waitingFor)) {
                waitingFor = what;
                nextLog = now + WAIT_LOG_INTERVAL.toNanos();
                LOG.info("waiting for {}{}; the start gives up after {} s ({})", what, why, bound.toSeconds(),
                        ServiceConfig.STARTUP_TIMEOUT_MS);
            } else if (now >= nextLog) {
                nextLog = now + WAIT_LOG_INTERVAL.toNanos();
                LOG.info("still waiting for {}{}: {} s of {} s", what, why, waited, bound.toSeconds());
            }
        }

        void done(String what) {
            if (waitingFor != null) {
                LOG.info("{} after {} s", what, (System.nanoTime() - start) / 1_000_000_000);
                waitingFor = null;
            }
        }
    }
}
