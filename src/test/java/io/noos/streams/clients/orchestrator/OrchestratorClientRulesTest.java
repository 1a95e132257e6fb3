package io.noos.streams.clients.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.noos.streams.kafka.topology.ServiceTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** What the client assumes about the service, checked against the service's own declarations. */
class OrchestratorClientRulesTest {

    @Test
    void aUsersPartitionIsKafkasDefaultPartitionersForTheKey() {
        for (int partitions : new int[] {1, 2, 6, 7, 64}) {
            for (String user : List.of("alice", "user-1475", "", "\u6570\u636e-\ud83d\ude00", "agent:x")) {
                assertEquals(BuiltInPartitioner.partitionForKey(user.getBytes(StandardCharsets.UTF_8), partitions),
                        OrchestratorClient.partitionOf(user, partitions), user + " of " + partitions);
            }
        }
    }

    @Test
    void theDefaultTopicsAreTheServices() {
        assertEquals(ServiceTopic.AGENT_EVENTS.defaultName(), OrchestratorSettings.DEFAULT_INPUT_TOPIC);
        assertEquals(ServiceTopic.DECISIONS.defaultName(), OrchestratorSettings.DEFAULT_DECISIONS_TOPIC);
    }

    @Test
    void settingsRefuseWhatCannotWork() {
        OrchestratorSettings s = OrchestratorSettings.of(new Properties());
        assertThrows(IllegalArgumentException.class, () -> s.withDecisionTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.withTokenBatching(0, Duration.ofMillis(5)));
        assertThrows(IllegalArgumentException.class, () -> s.withTokenBatching(10, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.withPartitionLinger(Duration.ofMillis(-1)));
        assertEquals(Duration.ZERO, s.withPartitionLinger(Duration.ZERO).partitionLinger());
    }

    /** The client is a library for orchestrators: nothing of the service's runtime or topology in it. */
    @Test
    void theClientPackageDependsOnNothingOfTheServiceRuntime() throws IOException {
        Path dir = Path.of("src/main/java/io/noos/streams/clients/orchestrator");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import ")) {
                        assertFalse(line.contains("io.noos.streams.kafka."), f + " uses the service's runtime: " + line);
                        assertFalse(line.contains("io.noos.streams.decide."), f + " uses the service's rules: " + line);
                    }
                }
            }
        }
    }
}
