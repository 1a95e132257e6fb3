package io.noos.streams.cli;

import io.noos.streams.clients.ClusterProbe;
import org.apache.kafka.common.KafkaException;

/** Kafka client errors of the tool commands, worded to say which option to fix. */
final class KafkaErrors {
    private KafkaErrors() {}

    /**
     * A {@link CommandFailedException} for {@code e}; when the cluster did not answer, it points at
     * {@code --bootstrap-servers} and at {@code settingsOption}, where the security settings come from.
     */
    static CommandFailedException failure(KafkaException e, String settingsOption) {
        if (e instanceof ClusterProbe.ClusterUnreachableException) {
            return new CommandFailedException(e.getMessage() + "; check --bootstrap-servers (and, for TLS or SASL, "
                    + settingsOption + ")");
        }
        return new CommandFailedException(e.getMessage());
    }
}
