package io.noos.streams.testkit;

import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-process Kafka broker of the tests: the product's own {@link EmbeddedKafkaBroker} (one
 * KRaft node, broker and controller in one, on loopback; a temporary data directory deleted on
 * close unless the options name one), so the tests run on the broker {@code run} and {@code broker}
 * start. Internal topics have one replica and the transaction log one in-sync replica, so
 * exactly-once producers and {@code exactly_once_v2} Streams apps work.
 *
 * <p>One broker for a test class, started before its first test and stopped after its last:
 * <pre>{@code
 * @RegisterExtension
 * static final TestKafkaCluster kafka = TestKafkaCluster.perClass();
 * }</pre>
 * One for a single test (or one that stops and starts again on the same options):
 * <pre>{@code
 * try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
 *     kafka.createTopics(6, "agent-events");
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class TestKafkaCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final EmbeddedKafkaBroker.Options options;
    private EmbeddedKafkaBroker broker;

    private TestKafkaCluster(EmbeddedKafkaBroker.Options options) {
        this.options = options;
    }

    /** Starts a broker on a free port and a temporary directory and waits until it answers. */
    public static TestKafkaCluster start() {
        return start(EmbeddedKafkaBroker.Options.defaults());
    }

    /** Starts a broker with these options (a SASL listener, a fixed port or data directory, ...). */
    public static TestKafkaCluster start(EmbeddedKafkaBroker.Options options) {
        TestKafkaCluster kafka = new TestKafkaCluster(options);
        kafka.broker = EmbeddedKafkaBroker.start(options);
        return kafka;
    }

    /** A broker for the test class that registers it: started before all its tests, stopped after. */
    public static TestKafkaCluster perClass() {
        return perClass(EmbeddedKafkaBroker.Options.defaults());
    }

    /** {@link #perClass()} with these options. */
    public static TestKafkaCluster perClass(EmbeddedKafkaBroker.Options options) {
        return new TestKafkaCluster(options);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedKafkaBroker.start(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the test broker is not started (register it with @RegisterExtension "
                    + "on a static field, or use TestKafkaCluster.start())");
        }
        return broker;
    }

    /** The client bootstrap address, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The broker's data directory. */
    public Path dataDir() {
        return broker().dataDir();
    }

    /**
     * Creates single-partition topics and waits for their leaders; topics that already exist are
     * left as they are.
     */
    public void createTopics(String... names) {
        createTopics(1, names);
    }

    /**
     * Creates topics with {@code partitions} partitions each and waits for their leaders; topics
     * that already exist are left as they are.
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        createTopics(Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList());
    }

    /** Creates these topics and waits for their leaders; topics that already exist are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        broker().createTopics(topics);
    }

    /** Stops the broker and deletes its directory unless the options named one; a second call does nothing. */
    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
