package io.noos.streams.cli;

import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.DecisionLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.clients.CommittedTopicReader;
import io.noos.streams.replay.OfflineReplay;
import io.noos.streams.testkit.TestKafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented way to replay a log on a cluster: {@code replay --to-topic} into a dedicated input
 * topic, then the service under a new application id with that input topic and its own decisions
 * topic. A new application id has no committed offsets, so it reads the topic from the earliest
 * offset, with fresh state, and decides every user as the offline replay does.
 */
class ReplayToTopicIT {
    private static final String SETTINGS_THRESHOLD = "0.8";

    @TempDir
    Path dir;

    @Test
    void aLogProducedToATopicIsDecidedByAServiceUnderANewApplicationId() throws Exception {
        Path sample = Path.of(ReplayToTopicIT.class.getResource("/replay/replay-sample.jsonl").toURI());
        Path stateDir = Files.createTempDirectory("noos-replay-it-state");
        try (TestKafkaCluster broker = TestKafkaCluster.start()) {
            CliRun produced = CliRun.of("replay", "--to-topic", "--bootstrap-servers", broker.bootstrapServers(),
                    "--topic", "agent-events-replay", "--input", sample.toString());
            assertEquals(0, produced.exitCode(), produced.stderr());
            assertTrue(produced.stdout().contains("sent 536 records to agent-events-replay (created): 386 will get a "
                    + "decision; bad lines skipped: 1"), produced.stdout());
            assertTrue(produced.stderr().contains("replay-sample.jsonl:152: skipped"), produced.stderr());

            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                TopicDescription topic = admin.describeTopics(List.of("agent-events-replay")).allTopicNames().get()
                        .get("agent-events-replay");
                assertEquals(6, topic.partitions().size(), "created as the service creates its input topic");
            }

            // run --bootstrap-servers B --application-id noos-replay-<date>, with the replay topics
            ServiceConfig config = ServiceConfig.load(null, Map.of(), Map.of(
                    ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                    ServiceConfig.APPLICATION_ID, "noos-replay-20250101",
                    ServiceConfig.STATE_DIR, stateDir.toString(),
                    ServiceConfig.INPUT_TOPIC, "agent-events-replay",
                    ServiceConfig.DECISIONS_TOPIC, "regulator-decisions-replay",
                    ServiceConfig.SCOPE_DRIFT_THRESHOLD, SETTINGS_THRESHOLD,
                    ServiceConfig.HTTP_PORT, "0"));
            List<String> decided = new ArrayList<>();
            try (RegulatorService service = new RegulatorService(config).start()) {
                assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
                try (CommittedTopicReader reader =
                             new CommittedTopicReader(client, "regulator-decisions-replay", true)) {
                    reader.read(Duration.ofSeconds(20), 386,
                            r -> decided.add(new String(r.value(), StandardCharsets.UTF_8)));
                }
            }
            assertEquals(386, decided.size(), "every non-token event decided: read from the earliest offset");

            Path offline = dir.resolve("offline.jsonl");
            new OfflineReplay(config.topologySettings()).run(sample, offline, bad -> { });
            assertEquals(DecisionLines.byUser(Files.readAllLines(offline)), DecisionLines.byUser(decided));
        } finally {
            Utils.delete(stateDir.toFile());
        }
    }
}
