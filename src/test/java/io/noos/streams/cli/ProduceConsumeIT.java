package io.noos.streams.cli;

import io.noos.streams.testkit.JsonTrees;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.Poll;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce} → the running service → {@code consume}, on an in-process broker: envelopes are
 * decided, and a bad line sent with {@code --raw} lands on the dead-letter topic with its reason
 * while the good lines around it are decided.
 */
class ProduceConsumeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final TestKafkaCluster broker = TestKafkaCluster.perClass();
    private static RegulatorService service;
    private static Path stateDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServiceOnABroker() throws Exception {
        stateDir = Files.createTempDirectory("noos-it-state");
        ServiceConfig config = ServiceConfig.load(null, Map.of(), Map.of(
                ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                ServiceConfig.APPLICATION_ID, "produce-consume-it",
                ServiceConfig.STATE_DIR, stateDir.toString(),
                ServiceConfig.HTTP_PORT, "0"));
        broker.createTopics(TopicSetup.topics(config));
        service = new RegulatorService(config).start();
        assertTrue(service.awaitRunning(Duration.ofSeconds(60)), "service running");
    }

    @AfterAll
    static void stop() throws IOException {
        if (service != null) {
            service.close();
        }
        Utils.delete(stateDir.toFile());
    }

    @Test
    void producedEnvelopesAreDecidedAndConsumedAsJsonLines() throws Exception {
        Path input = Files.writeString(dir.resolve("turns.jsonl"), String.join("\n",
                Logs.line("pc-alice", 1000, Logs.turnStart("refactor this function to be async")),
                Logs.line("pc-bob", 1001, Logs.turnStart("explain the kafka rebalance protocol")),
                Logs.line("pc-alice", 1002, "{\"type\":\"token\",\"token\":\"x\",\"logprob\":-0.5,\"index\":0}"),
                "{\"user_id\":\"pc-alice\",\"at_ms\":1003}",
                Logs.line("pc-alice", 1900, Logs.turnComplete("add logging and error handling"))) + "\n");

        CliRun produce = CliRun.of("produce", "--bootstrap-servers", broker.bootstrapServers(),
                "--input", input.toString());

        assertEquals(0, produce.exitCode(), produce.stderr());
        assertTrue(produce.stdout().contains("sent 4 records to agent-events (json, bad lines skipped: 1)"),
                produce.stdout());
        assertTrue(produce.stderr().contains("turns.jsonl:4: skipped, event is required"), produce.stderr());

        List<JsonNode> decisions = consumeUntil("regulator-decisions", false,
                lines -> lines.stream().filter(l -> l.get("user_id").asText().startsWith("pc-")).count() >= 3);
        List<JsonNode> mine = decisions.stream().filter(l -> l.get("user_id").asText().startsWith("pc-")).toList();
        assertEquals(3, mine.size(), "one decision per non-token event: " + mine);
        JsonNode drift = mine.stream().filter(d -> d.get("event_id").asText().equals("turns.jsonl#5")).findFirst()
                .orElseThrow();
        assertEquals("pc-alice", drift.get("user_id").asText());
        assertEquals("scope_drift_warn", drift.at("/decision/kind").asText());
        assertEquals(1.0, drift.at("/decision/drift_score").asDouble());
        assertFalse(drift.has("offset"), "decision records are written as they are, not wrapped");
    }

    @Test
    void aFileWithoutOneEnvelopeIsAnErrorAndNothingIsSent() throws Exception {
        Path input = Files.writeString(dir.resolve("no-envelopes.jsonl"), "oops\n{\"user_id\":\"pc-dave\",\"at_ms\":1}\n");

        CliRun produce = CliRun.of("produce", "--bootstrap-servers", broker.bootstrapServers(),
                "--input", input.toString());

        assertEquals(1, produce.exitCode(), produce.stderr());
        String error = produce.stderr().substring(produce.stderr().indexOf("error: "));
        assertEquals(String.join(System.lineSeparator(),
                "error: not one of the 2 non-blank lines of " + input + " is an envelope; nothing was sent. "
                        + "The first reasons:",
                "  line 1: not valid JSON: Unrecognized token 'oops': was expecting (JSON String, Number, Array, "
                        + "Object or token 'null', 'true' or 'false')",
                "  line 2: event is required"), error.strip());
        assertFalse(produce.stdout().contains("sent "), produce.stdout());
    }

    /**
     * A topic the cluster does not have (auto-creation is off): the first record waits
     * {@code max.block.ms} for its metadata, then the command stops, instead of waiting as long
     * again for every record.
     */
    @Test
    void produceToATopicTheClusterDoesNotHaveStopsAtTheFirstRecord() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append(Logs.line("pc-erin", 1000 + i, Logs.turnStart("refactor the payment client"))).append('\n');
        }
        Path input = Files.writeString(dir.resolve("many.jsonl"), lines);
        long start = System.nanoTime();

        CliRun produce = CliRun.of("produce", "--bootstrap-servers", broker.bootstrapServers(),
                "--input", input.toString(), "--topic", "no-such-topic");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(1, produce.exitCode(), produce.stderr());
        assertEquals("error: gave up sending to topic no-such-topic at line 1 (0 records acknowledged before): "
                + "Topic no-such-topic not present in metadata after 30000 ms.", produce.stderr().strip());
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "one wait, not one per record: " + took);
    }

    @Test
    void aRawBadLineIsDeadLetteredWithItsReasonWhileTheGoodLinesAroundItAreDecided() throws Exception {
        String badType = "{\"event_id\":\"raw-2\",\"user_id\":\"raw-carol\",\"at_ms\":1001,\"event\":{\"type\":\"no_such_event\"}}";
        byte[] notUtf8 = {'{', '"', 'x', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write((TestEvent.user("raw-carol").id("raw-1").at(1000).json(Logs.turnStart("refactor this function to be async"))
                + "\n").getBytes(StandardCharsets.UTF_8));
        file.write((badType + "\n").getBytes(StandardCharsets.UTF_8));
        file.write((TestEvent.user("raw-carol").id("raw-3").at(1900).json(Logs.turnComplete("add logging and error handling"))
                + "\n").getBytes(StandardCharsets.UTF_8));
        file.write(notUtf8);
        file.write('\n');
        Path input = Files.write(dir.resolve("raw.jsonl"), file.toByteArray());

        CliRun produce = CliRun.of("produce", "--bootstrap-servers", broker.bootstrapServers(),
                "--input", input.toString(), "--raw");

        assertEquals(0, produce.exitCode(), produce.stderr());
        assertTrue(produce.stdout().contains("sent 4 records to agent-events (raw lines, 1 without key)"),
                produce.stdout());

        List<JsonNode> decisions = consumeUntil("regulator-decisions", false,
                lines -> lines.stream().filter(l -> l.get("user_id").asText().equals("raw-carol")).count() >= 2);
        List<JsonNode> carol = decisions.stream().filter(d -> d.get("user_id").asText().equals("raw-carol")).toList();
        assertEquals(List.of("raw-1", "raw-3"), carol.stream().map(d -> d.get("event_id").asText()).toList());
        assertEquals("scope_drift_warn", carol.get(1).at("/decision/kind").asText(),
                "the dead letter did not disturb carol's turn");

        // --envelope: a dead letter that is a JSON object would otherwise be written as it is, without its headers
        List<JsonNode> deadLetters = consumeUntil("regulator-dlq", true, lines -> lines.stream()
                .filter(l -> l.path("value").asText().contains("raw-2") || l.has("value_base64")).count() >= 2);
        JsonNode bad = deadLetters.stream().filter(l -> l.path("value").asText().contains("raw-2")).findFirst()
                .orElseThrow();
        assertEquals("raw-carol", bad.get("key").asText());
        assertEquals(badType, bad.get("value").asText(), "the value is the line, verbatim");
        assertEquals("unknown event type 'no_such_event'; expected one of [turn_start, token, turn_complete, cost, "
                + "user_correction, quality_feedback, tool_call, tool_result]", bad.at("/headers/noos.dlq.reason").asText());
        assertEquals("agent-events", bad.at("/headers/noos.dlq.topic").asText());
        assertEquals("regulator-dlq", bad.get("topic").asText());

        JsonNode binary = deadLetters.stream().filter(l -> l.has("value_base64")).findFirst().orElseThrow();
        assertTrue(binary.get("key").isNull());
        assertArrayEquals(notUtf8, Base64.getDecoder().decode(binary.get("value_base64").asText()));
        assertEquals("not valid UTF-8: byte that never occurs in UTF-8 at byte 6", // 0xFF, after {"x":"
                binary.at("/headers/noos.dlq.reason").asText());
    }

    /** Runs {@code consume} (1 s idle timeout) until its output satisfies {@code done}, for at most 30 s. */
    private List<JsonNode> consumeUntil(String topic, boolean envelope, Predicate<List<JsonNode>> done)
            throws Exception {
        Path output = dir.resolve(topic + ".jsonl");
        AtomicReference<List<JsonNode>> last = new AtomicReference<>(List.of());
        return Poll.value("consume's output from " + topic + " is complete", WAIT, () -> {
            CliRun consume = envelope
                    ? CliRun.of("consume", "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic,
                            "--output", output.toString(), "--idle-timeout", "1", "--envelope")
                    : CliRun.of("consume", "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic,
                            "--output", output.toString(), "--idle-timeout", "1");
            assertEquals(0, consume.exitCode(), consume.stderr());
            List<String> lines = Files.readAllLines(output);
            assertTrue(consume.stdout().contains("consumed " + lines.size() + " records from " + topic),
                    consume.stdout());
            last.set(lines.stream().map(JsonTrees::tree).toList());
            return done.test(last.get()) ? Optional.of(last.get()) : Optional.empty();
        }, () -> last.get().toString());
    }

}
