package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.conformance.ConformanceRunner;
import io.noos.streams.core.Regulator;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public regulator vector fed through the real topology: each event becomes an envelope on
 * agent-events, and every {@code decide} observation must equal the decision record the topology
 * emitted for the latest non-token event. A {@code reimport} step becomes a new session id (the
 * topology's per-task reset) with the step's config as the user's settings from then on.
 */
class TopologyConformanceTest {
    private static final java.util.concurrent.atomic.AtomicInteger COMPARED = new java.util.concurrent.atomic.AtomicInteger();

    /** Each vector's user's settings: every vector runs on one topology, as its own user. */
    private static final Map<String, UserSettings> SETTINGS = new ConcurrentHashMap<>();
    private static TopologyHarness harness;

    /** Nearly every decide observation follows an event, so nearly all must have been compared. */
    @org.junit.jupiter.api.AfterAll
    static void mostDecideObservationsWereCompared() {
        if (harness != null) {
            harness.close();
        }
        assertTrue(COMPARED.get() > 9_000, "compared only " + COMPARED.get() + " decide observations");
    }

    /**
     * One topology for all vectors (a topology per vector took most of this test's time): users are
     * independent in it, as each has its own state, event ids and settings.
     */
    private static synchronized TopologyHarness harness() {
        if (harness == null) {
            harness = new TopologyHarness(TopologySettings.builder().userSettings((u, a) -> SETTINGS.get(u)).build());
        }
        return harness;
    }

    @TestFactory
    Stream<DynamicTest> decideObservationsMatchThroughTheTopology() throws Exception {
        Path folder = Path.of(getClass().getClassLoader().getResource("conformance/vectors").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : ConformanceRunner.vectorFiles(List.of(folder))) {
            JsonNode vector = Json.mapper().readTree(Files.readString(file));
            if ("otel".equals(vector.path("kind").asText())) {
                continue;
            }
            int n = tests.size();
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> runVector(vector, n)));
        }
        assertEquals(309, tests.size());
        return tests.stream();
    }

    static UserSettings settingsOf(JsonNode config) {
        long cap = config.has("cost_cap") ? config.get("cost_cap").asLong() : Regulator.DEFAULT_COST_CAP;
        double threshold = Regulator.DEFAULT_SCOPE_DRIFT_THRESHOLD;
        JsonNode t = config.get("scope_drift_threshold");
        if (t != null) {
            threshold = t.isNumber() ? t.doubleValue() : Double.NaN; // NaN/Infinity strings: ignored by the builder
        }
        Long window = config.hasNonNull("implicit_correction_window_ms")
                ? config.get("implicit_correction_window_ms").asLong() : null;
        return new UserSettings(cap, threshold, window);
    }

    /** {@code node} with every string {@code from} in it replaced by {@code to}. */
    private static JsonNode renamed(JsonNode node, String from, String to) {
        if (node.isTextual() && node.asText().equals(from)) {
            return Json.mapper().getNodeFactory().textNode(to);
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> field.setValue(renamed(field.getValue(), from, to)));
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, renamed(array.get(i), from, to));
            }
        }
        return node;
    }

    private static int stepIndex(JsonNode steps, JsonNode step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == step) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The vector's events as user {@code <user_id>#<n>}, its own in the shared topology; its decisions
     * are read back with the vector's user id (a procedural warning's patterns name the user).
     */
    private static void runVector(JsonNode vector, int n) {
        String vectorUser = vector.path("user_id").asText();
        String user = vectorUser + "#" + n;
        SETTINGS.put(user, settingsOf(vector.path("config")));
        int session = 0;
        JsonNode lastDecision = null;
        TopologyHarness h = harness();
        h.decisions.readValuesToList();   // what an earlier, failed vector left
        h.deadLetters.readValuesToList();
        JsonNode steps = vector.get("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            switch (step.path("op").asText()) {
                case "event" -> {
                    ObjectNode envelope = Json.mapper().createObjectNode();
                    envelope.put("event_id", "e" + i);
                    envelope.put("user_id", user);
                    envelope.put("session_id", "s" + session);
                    envelope.put("at_ms", step.path("at_ms").asLong());
                    envelope.set("event", step.get("event"));
                    h.send(user, envelope.toString());
                    assertTrue(h.deadLetters.isEmpty(), "a valid vector event was dead-lettered at step " + i);
                    if (!h.decisions.isEmpty()) {
                        List<String> out = h.decisions.readValuesToList();
                        assertEquals(1, out.size(), "one decision per event");
                        JsonNode record = renamed(tree(out.get(0)), user, vectorUser);
                        assertEquals("e" + i, record.path("event_id").asText());
                        lastDecision = record.get("decision");
                    }
                }
                case "reimport" -> {
                    SETTINGS.put(user, settingsOf(step.path("config")));
                    session++;
                    lastDecision = null; // the next event's decision reflects the reset
                }
                case "decide" -> {
                    if (lastDecision != null) {
                        JsonNode expect = step.get("expect");
                        JsonNode actual = lastDecision;
                        assertTrue(ConformanceRunner.matches(expect, actual),
                                () -> "step " + stepIndex(steps, step) + ": expected " + expect + " but was " + actual);
                        COMPARED.incrementAndGet();
                    }
                }
                default -> { }
            }
        }
    }
}
