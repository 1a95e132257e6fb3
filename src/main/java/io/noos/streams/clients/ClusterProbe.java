package io.noos.streams.clients;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Checks that a cluster answers before a tool starts work on it. Kafka's clients wait for a broker
 * that is not there (a producer up to {@code max.block.ms}, a minute by default, for every record),
 * so a wrong address would otherwise look like a hang; this asks for the cluster id once, with a
 * bound, and turns silence, an unresolvable address or refused credentials into one
 * {@link ClusterUnreachableException} that names the address.
 */
public final class ClusterProbe {
    /** How long a cluster has to answer. Generous for a live cluster, which answers in milliseconds. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private ClusterProbe() {}

    /** Returns once the cluster {@code client} points at answers; else throws {@link ClusterUnreachableException}. */
    public static void requireReachable(Properties client) {
        requireReachable(client, TIMEOUT);
    }

    static void requireReachable(Properties client, Duration timeout) {
        String bootstrap = String.valueOf(client.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        int ms = (int) timeout.toMillis();
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {   // e.g. no address in bootstrap.servers resolves
            throw new ClusterUnreachableException("cannot connect to Kafka at " + bootstrap + ": " + rootMessage(e), e);
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).clusterId()
                    .get(ms + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw silent(bootstrap, timeout, cause);
            }
            if (cause instanceof AuthenticationException) {
                throw new ClusterUnreachableException("authentication to Kafka at " + bootstrap + " failed: "
                        + cause.getMessage(), cause);
            }
            throw new ClusterUnreachableException("cannot reach Kafka at " + bootstrap + ": " + rootMessage(cause),
                    cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw silent(bootstrap, timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnreachableException("interrupted while reaching Kafka at " + bootstrap, e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static ClusterUnreachableException silent(String bootstrap, Duration timeout, Throwable cause) {
        return new ClusterUnreachableException("no Kafka broker answered at " + bootstrap + " within "
                + timeout.toSeconds() + " s", cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** The cluster a tool was pointed at did not answer, or refused it; the message names the address. */
    public static final class ClusterUnreachableException extends KafkaException {
        private static final long serialVersionUID = 1L;

        ClusterUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
