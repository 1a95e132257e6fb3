package io.noos.streams.cli;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.broker.SaslPlain;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.noos.streams.kafka.topology.ServiceTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands and settings that need a broker, through the CLI's own entry point
 * ({@link CliRun}) or, where the environment matters, the product jar in a child JVM: {@code run
 * --simulate} on its in-process broker up to its printed decisions, with the topic settings; {@code
 * run} on a cluster warning that its HTTP server answers beyond loopback without a token; {@code
 * policy set} and {@code policy delete} against a broker, over SASL with {@code --client-config};
 * the configuration layers (file, environment, flags) overriding each other.
 */
class ReadmeCommandsIT {
    private static final Pattern DECISION_LINE =
            Pattern.compile("\\S+ user-[123] +agent-[1-7] +turn \\d+ +after [a-z_]+ +\\S.*");

    @TempDir
    Path dir;

    private Path properties(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    /** README "Running it": {@code run --simulate N} with no cluster, here on topics renamed by configuration. */
    @Test
    @Timeout(300)
    void runSimulateOnItsInProcessBrokerPrintsDecisionsFromTheConfiguredTopics() throws Exception {
        Path config = properties("topics.properties",
                "noos.input.topic=trial-events",
                "noos.decisions.topic=trial-decisions",
                "noos.dlq.topic=trial-dlq");

        CliRun run = CliRun.of("run", "--simulate", "3", "--turn-interval-ms", "200", "--all-decisions",
                "--duration", "15", "--http-port", "0", "--config-file", config.toString(),
                "--state-dir", dir.resolve("state").toString());

        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.get(0).matches("in-process Kafka broker at (127\\.0\\.0\\.1|localhost):\\d+"), lines.get(0));
        assertTrue(lines.contains("regulator service running: trial-events -> trial-decisions (dead letters: trial-dlq)"),
                run.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.matches("dashboard: http://localhost:\\d+/  \\(also /health /ready "
                + "/metrics /users/\\{id\\} /users/\\{id\\}/decision /fleet/stats\\)")), run.stdout());
        assertTrue(lines.contains("simulating 3 agents acting on their decisions; printing every decision; Ctrl-C stops"),
                run.stdout());
        List<String> decisions = lines.stream().filter(l -> DECISION_LINE.matcher(l).matches()).toList();
        assertFalse(decisions.isEmpty(), "the first decision was printed: " + run.stdout());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("interventions acted on: ")), "the simulation's report");
        assertFalse((run.stdout() + run.stderr()).contains("is not set: /users and /fleet answer anyone"),
                "on loopback: no warning about the missing token");
    }

    /**
     * README "Token": without a token the service warns when it listens beyond loopback; and the
     * topic settings: the topics it creates have {@code noos.topic.partitions} partitions (a
     * compacted one has one) and the event logs {@code noos.output.retention.ms}, as
     * {@link ServiceTopic} declares.
     */
    @Test
    @Timeout(300)
    void runOnAClusterBeyondLoopbackWithoutATokenWarnsAndCreatesItsTopicsAsConfigured() throws Exception {
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Path config = properties("open.properties",
                    "noos.http.host=0.0.0.0",
                    "noos.topic.partitions=3",
                    "noos.topic.replication.factor=1",
                    "noos.output.retention.ms=3600000",
                    "noos.input.topic=open-events-" + suffix,
                    "noos.decisions.topic=open-decisions-" + suffix,
                    "noos.dlq.topic=open-dlq-" + suffix,
                    "noos.policies.topic=open-policies-" + suffix,
                    "noos.fleet.stats.topic=open-fleet-" + suffix,
                    "noos.agent.spend.topic=open-agent-spend-" + suffix);

            CliRun run = CliRun.of("run", "--bootstrap-servers", kafka.bootstrapServers(), "--application-id",
                    "noos-open-" + suffix, "--duration", "1", "--http-port", "0", "--config-file", config.toString(),
                    "--state-dir", dir.resolve("state").toString());

            assertEquals(0, run.exitCode(), run.stderr());
            String printed = run.stdout() + run.stderr();
            assertTrue(Pattern.compile("noos\\.http\\.token is not set: /users and /fleet answer anyone who can reach "
                    + "0\\.0\\.0\\.0:\\d+").matcher(printed).find(), printed);

            Map<String, String> names = Map.of(
                    "noos.input.topic", "open-events-" + suffix, "noos.decisions.topic", "open-decisions-" + suffix,
                    "noos.dlq.topic", "open-dlq-" + suffix, "noos.policies.topic", "open-policies-" + suffix,
                    "noos.fleet.stats.topic", "open-fleet-" + suffix, "noos.agent.spend.topic", "open-agent-spend-" + suffix);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                for (ServiceTopic topic : ServiceTopic.values()) {
                    String name = names.get(topic.configKey());
                    assertTrue(name != null, "a name for " + topic);
                    TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                    assertEquals(topic.partitions(3), description.partitions().size(), name + " partitions");
                    assertEquals(1, description.partitions().get(0).replicas().size(), name + " replicas");
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    Config configs = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                    topic.topicConfigs(3_600_000L).forEach((key, value) ->
                            assertEquals(value, configs.get(key).value(), name + " " + key));
                }
            }
        }
    }

    /** README "Policies": set, then delete (a tombstone), on the policies topic. */
    @Test
    @Timeout(180)
    void policySetAndDeleteWriteTheValueAndThenATombstone() throws Exception {
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            kafka.createTopics("regulator-policies");

            CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", kafka.bootstrapServers(),
                    "alice", "{\"cost_cap\":5000}");
            assertEquals(0, set.exitCode(), set.stderr());
            assertEquals("policy alice = {\"cost_cap\":5000} sent to regulator-policies\n", set.stdout());
            CliRun delete = CliRun.of("policy", "delete", "--bootstrap-servers", kafka.bootstrapServers(), "alice");
            assertEquals(0, delete.exitCode(), delete.stderr());
            assertEquals("policy alice deleted on regulator-policies\n", delete.stdout());

            List<ConsumerRecord<String, String>> records = io.noos.streams.testkit.KafkaRoundTrip.readCommitted(
                    kafka.bootstrapServers(), "regulator-policies", 2, Duration.ofSeconds(1), Duration.ofSeconds(30));
            assertEquals(2, records.size());
            assertEquals("alice", records.get(0).key());
            assertEquals(tree("{\"cost_cap\":5000}"), tree(records.get(0).value()));
            assertEquals("alice", records.get(1).key());
            assertEquals(null, records.get(1).value(), "delete writes a tombstone");
        }
    }

    /**
     * README "bench pipeline": a tiny real run (its own in-process broker, both pipelines, 300
     * measured events of which 60 are tokens): every non-token event decided by each pipeline, and
     * the last line's ratio is the regulator's events/s over the minimal pipeline's.
     */
    @Test
    @Timeout(300)
    void benchPipelineRunsBothPipelinesAndPrintsTheRatioLast() throws Exception {
        List<String> envelopes = Logs.benchTurns(20);
        Path workload = Files.write(dir.resolve("workload.jsonl"), envelopes);

        CliRun run = CliRun.of("bench", "pipeline", "--workload", workload.toString(), "--events", "300",
                "--warmup", "50", "--client-agents", "0", "--partitions", "2");

        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertTrue(lines.contains("baseline: decisions 240 of 240 expected"), run.stdout());
        assertTrue(lines.contains("regulator: decisions 240 of 240 expected"), run.stdout());
        Matcher last = Pattern.compile("events_per_s=(\\d+) p99_ms=[\\d.]+ baseline_events_per_s=(\\d+) "
                + "baseline_p99_ms=[\\d.]+ ratio=(\\d+\\.\\d\\d)").matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), lines.get(lines.size() - 1));
        double ratio = Double.parseDouble(last.group(1)) / Double.parseDouble(last.group(2));
        // the figures are printed rounded: events/s to a whole number, the ratio to two decimals
        assertEquals(ratio, Double.parseDouble(last.group(3)), 0.006, lines.get(lines.size() - 1));
    }

    /** README "Security": {@code --client-config} carries the SASL credentials of the operator commands. */
    @Test
    @Timeout(180)
    void policySetReachesASaslBrokerWithItsClientConfig() throws Exception {
        SaslPlain operator = new SaslPlain("noos-operator", "op-s3cret");
        try (TestKafkaCluster broker = TestKafkaCluster.start(EmbeddedKafkaBroker.Options.defaults().withSaslPlain(operator))) {
            Path client = properties("client.properties",
                    "security.protocol=SASL_PLAINTEXT",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"noos-operator\" password=\"op-s3cret\";");

            CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", broker.bootstrapServers(),
                    "--client-config", client.toString(), "*", "{\"cost_cap\":7000}");

            assertEquals(0, set.exitCode(), set.stderr());
            assertEquals("policy * = {\"cost_cap\":7000} sent to regulator-policies\n", set.stdout());
        }
    }

    /**
     * README "Configuration": defaults, then the properties file, then {@code NOOS_*} environment
     * variables, then flags, each overriding the one before; the product jar in a child JVM, so the
     * environment is real. The cap in force shows in the cost-cap break of a poor 600-token turn.
     */
    @Test
    @Timeout(300)
    void theFileTheEnvironmentAndTheFlagsOverrideEachOtherInThatOrder() throws Exception {
        Path jar = Path.of("target/noos-streams.jar");
        assertTrue(Files.isRegularFile(jar), "the product jar is built before the integration tests: " + jar);
        Path log = Files.writeString(dir.resolve("log.jsonl"), Logs.poorTurn());
        Path file = properties("cap.properties", "noos.cost.cap=400");

        assertEquals(400, capInForce(jar, log, Map.of(), List.of("--config-file", file.toString())), "the file");
        assertEquals(500, capInForce(jar, log, Map.of("NOOS_COST_CAP", "500"),
                List.of("--config-file", file.toString())), "the environment over the file");
        assertEquals(550, capInForce(jar, log, Map.of("NOOS_COST_CAP", "500"),
                List.of("--config-file", file.toString(), "--cost-cap", "550")), "a flag over the environment");
        assertEquals(450, capInForce(jar, log, Map.of(), List.of("--cost-cap", "450")), "a flag over the default");
    }

    /** Replays the log offline in a child JVM; the tokens_cap of its last decision's cost-cap break. */
    private long capInForce(Path jar, Path log, Map<String, String> env, List<String> flags) throws Exception {
        Path out = Files.createTempFile(dir, "decisions", ".jsonl");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "replay", "--offline", "--no-progress", "--input", log.toString(),
                "--output", out.toString()));
        command.addAll(flags);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("NOOS_") || k.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        Process p = builder.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the replay ended");
        assertEquals(0, p.exitValue(), printed);
        List<String> lines = Files.readAllLines(out);
        var reason = tree(lines.get(lines.size() - 1)).path("decision").path("reason");
        assertEquals("cost_cap_reached", reason.path("kind").asText(), lines.get(lines.size() - 1));
        return reason.path("tokens_cap").asLong();
    }
}
