package io.noos.streams.clients.orchestrator;

import static io.noos.streams.testkit.JsonTrees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python orchestrator example ({@code docs/examples/python/orchestrator.py}, Debian's
 * {@code python3-confluent-kafka}) against the in-process broker and the real service: the same
 * partition for every user as the Java client, each event's decision equal to the reference run
 * (tokens coalesced by the example), and its demo agent stopped by the service at the loop.
 *
 * <p>Needs {@code /usr/bin/python3} with the package (or {@code -Dnoos.python=PATH}); skipped with
 * the install hint where it is missing, except where {@code NOOS_REQUIRE_PYTHON_KAFKA} is set
 * ({@code .ci/run} installs it and sets it), where a missing package fails the build.
 */
class PythonOrchestratorIT {
    private static final Path SCRIPT = Path.of("docs/examples/python/orchestrator.py");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(150);

    @RegisterExtension
    static final TestKafkaCluster kafka = TestKafkaCluster.perClass();
    private static String python;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        python = locatePython();
    }

    private static String locatePython() throws Exception {
        String binary = System.getProperty("noos.python", "/usr/bin/python3");
        boolean usable = Files.isExecutable(Path.of(binary))
                && new ProcessBuilder(binary, "-c", "import confluent_kafka").redirectErrorStream(true).start().waitFor() == 0;
        if (!usable) {
            String message = "The Python orchestrator example needs " + binary + " with confluent_kafka: install "
                    + "Debian's package (apt-get install -y python3-confluent-kafka; PyPI is not reachable here) or "
                    + "point -Dnoos.python at a Python that has it.";
            if (System.getenv("NOOS_REQUIRE_PYTHON_KAFKA") != null) {
                throw new AssertionError(message);
            }
            org.junit.jupiter.api.Assumptions.abort(message);
        }
        return binary;
    }

    private record Run(int exit, List<String> stdout, String stderr) {}

    private static Run python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the example did not finish within " + PROCESS_TIMEOUT + ": " + command);
        }
        return new Run(p.exitValue(), out.get().lines().toList(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ServiceConfig config(String name) throws IOException {
        String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return RegulatorFlow.config(kafka.bootstrapServers(), "noos-py-" + suffix, dir.resolve("state"), suffix)
                .with(ServiceConfig.HTTP_PORT, "-1");
    }

    @Test
    @Timeout(60)
    void usersArePartitionedAsTheJavaClientPartitionsThem() throws Exception {
        List<String> users = List.of("alice", "user-1475", "", "\u6570\u636e-\ud83d\ude00", "agent:x", "a-much-longer-user-id-47");
        for (int n : new int[] {1, 6, 7, 64}) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-servers", "unused", "--partitions", Integer.toString(n)));
            args.addAll(users);
            Run run = python(args.toArray(String[]::new));
            assertEquals(0, run.exit(), run.stderr());
            for (int i = 0; i < users.size(); i++) {
                JsonNode line = Json.mapper().readTree(run.stdout().get(i));
                assertEquals(users.get(i), line.get("user_id").asText());
                assertEquals(OrchestratorClient.partitionOf(users.get(i), n), line.get("partition").asInt(), users.get(i));
            }
        }
    }

    @Test
    @Timeout(240)
    void eachEventsDecisionIsTheReferenceRunsAndTheDemoAgentIsStopped() throws Exception {
        ServiceConfig config = config("replay");
        List<EventEnvelope> events = RegulatorFlow.fleet();
        Map<String, JsonNode> expected = new HashMap<>();
        RegulatorFlow.expectedDecisions(events, config.topologySettings()).values()
                .forEach(list -> list.forEach(json -> {
                    JsonNode d = tree(json);
                    expected.put(d.get("event_id").asText(), d);
                }));
        Path input = dir.resolve("fleet.jsonl");
        StringBuilder lines = new StringBuilder();
        events.forEach(e -> lines.append(new String(EnvelopeJson.toBytes(e), StandardCharsets.UTF_8)).append('\n'));
        Files.writeString(input, lines);

        try (RegulatorService service = new RegulatorService(config).start()) {
            assertTrue(service.awaitRunning(Duration.ofSeconds(60)));
            String[] topics = {"--bootstrap-servers", kafka.bootstrapServers(), "--input-topic",
                    config.get(ServiceConfig.INPUT_TOPIC), "--decisions-topic", config.get(ServiceConfig.DECISIONS_TOPIC),
                    "--timeout", "60"};
            List<String> replay = new ArrayList<>(List.of(topics));
            replay.addAll(List.of("--replay", input.toString()));
            Run run = python(replay.toArray(String[]::new));
            assertEquals(0, run.exit(), run.stderr());
            Map<String, JsonNode> got = new HashMap<>();
            JsonNode summary = null;
            for (String line : run.stdout()) {
                JsonNode node = Json.mapper().readTree(line);
                if (node.has("summary")) {
                    summary = node.get("summary");
                } else {
                    got.put(node.get("event_id").asText(), node.get("decision"));
                }
            }
            assertEquals(expected, got, "each event's decision, as the reference run decides it");
            assertEquals(expected.size(), summary.get("decisions").asInt());
            assertEquals(0, summary.get("timeouts").asInt());
            assertTrue(summary.get("token_batches").asInt() > 0, summary.toString());
            assertTrue(summary.get("p99_ms").asDouble() > 0);

            List<String> demo = new ArrayList<>(List.of(topics));
            demo.add("--demo");
            Run agent = python(demo.toArray(String[]::new));
            assertEquals(0, agent.exit(), agent.stderr());
            assertTrue(agent.stdout().contains("tool_call 5 -> halt: stop the agent now (repeated_tool_call_loop); "
                    + "no further tool call"), String.join("\n", agent.stdout()));
            assertTrue(agent.stdout().stream().noneMatch(l -> l.startsWith("tool_call 6")), "stopped at the break");
        }
    }
}
