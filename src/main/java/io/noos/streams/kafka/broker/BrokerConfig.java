package io.noos.streams.kafka.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code server.properties} of the single-node KRaft broker: one process that is both broker
 * and the only controller (node 1), listening on loopback only. The client listener is
 * {@code PLAINTEXT}, or {@code SASL_PLAINTEXT} with PLAIN for one user; the controller listener is
 * always {@code PLAINTEXT}.
 */
final class BrokerConfig {
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String SASL_BROKER_LISTENER = SaslPlain.PROTOCOL;
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerConfig() {
    }

    /**
     * @param brokerPort     client port (already chosen, never 0)
     * @param controllerPort KRaft controller port (already chosen, never 0)
     * @param logDir         the broker's only log directory; it also holds the metadata log
     * @param saslPlain      the one user of a SASL/PLAIN client listener; null for a PLAINTEXT one
     * @param overrides      applied last, so they win over every default here
     */
    static Properties create(int brokerPort, int controllerPort, Path logDir, SaslPlain saslPlain,
                             Map<String, String> overrides) {
        String host = LoopbackPorts.HOST;
        String listener = saslPlain == null ? BROKER_LISTENER : SASL_BROKER_LISTENER;
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        // A static voter set (kraft.version 0) rather than a dynamic quorum: the controller port may
        // change between restarts of the same data dir, and a dynamic quorum records it in the log.
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("listeners", listener + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        p.setProperty("inter.broker.listener.name", listener);
        p.setProperty("listener.security.protocol.map",
                listener + ":" + listener + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        if (saslPlain != null) {
            p.setProperty("sasl.enabled.mechanisms", SaslPlain.MECHANISM);
            p.setProperty("sasl.mechanism.inter.broker.protocol", SaslPlain.MECHANISM);
            p.setProperty("listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".plain.sasl.jaas.config",
                    saslPlain.brokerJaasConfig());
        }
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());

        // One node: every internal topic has one replica, and exactly-once needs the
        // transaction log's min ISR to be reachable.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");

        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        // The log cleaner allocates its dedupe buffer on the heap up front (128 MiB by default);
        // this broker shares the heap of the application that embeds it.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));

        overrides.forEach(p::setProperty);
        return p;
    }
}
