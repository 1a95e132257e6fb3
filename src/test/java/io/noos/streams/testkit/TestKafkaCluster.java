package io.noos.streams.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * An in-process single-node Kafka cluster for tests (one combined broker + controller, random
 * loopback ports, a temporary directory deleted on close), built on Kafka's own test kit.
 *
 * <p>This is the only class that touches {@code org.apache.kafka.common.test}: the test kit is an
 * internal Kafka API that moves and changes between releases, so a Kafka upgrade is fixed here.
 * Internal topics have one replica and the transaction log accepts one in-sync replica, so
 * exactly-once producers and {@code exactly_once_v2} Streams apps work.
 *
 * <pre>{@code
 * try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
 *     kafka.createTopics(6, "agent-events");
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class TestKafkaCluster implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private TestKafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats, starts and waits for a one-node cluster. */
    public static TestKafkaCluster start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new TestKafkaCluster(cluster);
    }

    /**
     * The features a freshly formatted 4.x broker starts with ({@code kafka-storage format} without
     * options): the latest production metadata version and each feature's default level for it.
     * The test kit would otherwise start at the newest unreleased metadata version; setting only
     * the metadata version through its builder drops the other features (transaction.version,
     * group.version, ...) to level 0.
     */
    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, features, "noos TestKafkaCluster");
    }

    /** The client bootstrap address, e.g. {@code localhost:41234}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Creates single-partition topics and waits for their leaders; topics that already exist are
     * left as they are.
     */
    public void createTopics(String... names) throws Exception {
        createTopics(1, names);
    }

    /**
     * Creates topics with {@code partitions} partitions each and waits for their leaders; topics
     * that already exist are left as they are.
     */
    public void createTopics(int partitions, String... names) throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        List<NewTopic> topics = Arrays.stream(names)
                .map(name -> new NewTopic(name, partitions, (short) 1))
                .toList();
        try (Admin admin = cluster.admin(Map.of())) {
            for (var created : admin.createTopics(topics).values().values()) {
                try {
                    created.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, Arrays.asList(names));
        }
    }

    /** Topic creation returns before the broker's metadata has every leader; clients want leaders. */
    private static void awaitLeaders(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leaders for " + names + " after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /** Stops the cluster and deletes its directory. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the test Kafka cluster", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test Kafka cluster", e);
        }
    }
}
