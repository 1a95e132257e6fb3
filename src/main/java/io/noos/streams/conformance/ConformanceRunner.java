package io.noos.streams.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Regulator;
import io.noos.streams.core.RegulatorSnapshot;
import io.noos.streams.json.DecisionJson;
import io.noos.streams.json.EventJson;
import io.noos.streams.json.Json;
import io.noos.streams.json.SnapshotJson;
import io.noos.streams.otel.OtelSpanAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs conformance vector files (format: {@code conformance/FORMAT.md}): builds a regulator, replays
 * the steps and compares every observation with the reference's recorded value.
 */
public final class ConformanceRunner {

    /** One observation that did not match. */
    public record Failure(String file, int stepIndex, String op, String expected, String actual) {
        @Override
        public String toString() {
            return file + " step " + stepIndex + " (" + op + "): expected " + expected + " but was " + actual;
        }
    }

    /** The outcome of one vector file. */
    public record FileResult(String file, int observations, List<Failure> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private ConformanceRunner() {}

    /** The vector files under each path (a file, or a folder searched for {@code *.json}), sorted. */
    public static List<Path> vectorFiles(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json"))
                            .sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    public static FileResult runFile(Path file) {
        String name = file.getFileName().toString();
        JsonNode vector;
        String text;
        try {
            text = Files.readString(file);
            vector = Json.mapper().readTree(text);
        } catch (IOException e) {
            return new FileResult(name, 0, List.of(new Failure(name, -1, "load", "a readable vector", e.toString())));
        }
        try {
            return "otel".equals(vector.path("kind").asText("regulator"))
                    ? runOtel(name, vector, rawMemberText(text, "span")) : runScenario(name, vector);
        } catch (IOException | RuntimeException e) {
            return new FileResult(name, 0, List.of(new Failure(name, -1, "run", "no exception", e.toString())));
        }
    }

    /**
     * The span goes to the adapter as its exact source text: a tree round trip would lose number
     * literals such as {@code -0}, which the adapter must tell from {@code 0}.
     */
    private static FileResult runOtel(String name, JsonNode vector, String spanText) {
        List<AgentEvent> events = OtelSpanAdapter.fromSpanJson(spanText);
        ArrayNode actual = JsonNodeFactory.instance.arrayNode();
        for (AgentEvent e : events) {
            actual.add(tree(EventJson.toJson(e)));
        }
        JsonNode expected = vector.get("expect_events");
        List<Failure> failures = JsonMatch.matches(expected, actual) ? List.of()
                : List.of(new Failure(name, 0, "otel", expected.toString(), actual.toString()));
        return new FileResult(name, 1, failures);
    }

    private static FileResult runScenario(String name, JsonNode vector) {
        String userId = vector.path("user_id").asText();
        Regulator regulator = configure(Regulator.forUser(userId), vector.path("config"));
        List<Failure> failures = new ArrayList<>();
        int observations = 0;
        JsonNode steps = vector.get("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String op = step.path("op").asText();
            JsonNode expect = step.get("expect");
            JsonNode actual;
            boolean partial = false;
            switch (op) {
                case "event" -> {
                    AgentEvent event = EventJson.parse(step.get("event").toString());
                    regulator.onEvent(event, step.path("at_ms").asLong());
                    continue;
                }
                case "reimport" -> {
                    RegulatorSnapshot snapshot = SnapshotJson.parse(SnapshotJson.toJson(regulator.export()));
                    regulator = configure(Regulator.fromSnapshot(snapshot), step.path("config"));
                    continue;
                }
                case "decide" -> actual = tree(DecisionJson.toJson(regulator.decide()));
                case "prelude" -> actual = regulator.correctionsPrelude()
                        .<JsonNode>map(JsonNodeFactory.instance::textNode).orElse(JsonNodeFactory.instance.nullNode());
                case "inject" -> actual = JsonNodeFactory.instance.textNode(
                        regulator.injectCorrections(step.path("prompt").asText()));
                case "accessors" -> {
                    actual = accessors(regulator);
                    partial = true;
                }
                case "metrics" -> {
                    ObjectNode m = JsonNodeFactory.instance.objectNode();
                    regulator.metricsSnapshot().forEach(m::put);
                    actual = m;
                    partial = true;
                }
                case "export" -> {
                    actual = tree(SnapshotJson.toJson(regulator.export()));
                    partial = true;
                }
                default -> {
                    failures.add(new Failure(name, i, op, "a known op", "unknown op '" + op + "'"));
                    continue;
                }
            }
            observations++;
            boolean ok = partial ? JsonMatch.matchesNamedKeys(expect, actual) : JsonMatch.matches(expect, actual);
            if (!ok) {
                failures.add(new Failure(name, i, op, String.valueOf(expect), String.valueOf(actual)));
            }
        }
        return new FileResult(name, observations, failures);
    }

    /** The vectors' comparison rule (FORMAT.md): numbers within 1e-9, everything else exact. */
    public static boolean matches(JsonNode expected, JsonNode actual) {
        return JsonMatch.matches(expected, actual);
    }

    /** Applies a vector's {@code config} through the regulator's builders (absent keys: defaults). */
    static Regulator configure(Regulator r, JsonNode config) {
        if (config == null || config.isMissingNode() || config.isNull()) {
            return r;
        }
        if (config.hasNonNull("cost_cap")) {
            r.withCostCap(config.get("cost_cap").asLong());
        }
        if (config.has("scope_drift_threshold")) {
            r.withScopeDriftThreshold(numberOrSpecial(config.get("scope_drift_threshold")));
        }
        if (config.hasNonNull("implicit_correction_window_ms")) {
            r.withImplicitCorrectionWindowMs(config.get("implicit_correction_window_ms").asLong());
        }
        return r;
    }

    private static double numberOrSpecial(JsonNode n) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return switch (n.asText()) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    private static ObjectNode accessors(Regulator r) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("confidence", r.confidence());
        a.put("logprob_coverage", r.logprobCoverage());
        a.put("total_tokens_out", r.totalTokensOut());
        a.put("cost_cap_tokens", r.costCapTokens());
        a.put("tool_total_calls", r.toolTotalCalls());
        ObjectNode counts = a.putObject("tool_counts_by_name");
        for (Map.Entry<String, Long> e : r.toolCountsByName().entrySet()) {
            counts.put(e.getKey(), e.getValue());
        }
        a.put("tool_total_duration_ms", new java.math.BigInteger(Long.toUnsignedString(r.toolTotalDurationMs())));
        a.put("tool_failure_count", r.toolFailureCount());
        a.put("implicit_corrections_count", r.implicitCorrectionsCount());
        a.put("scope_drift_threshold", r.scopeDriftThreshold());
        return a;
    }

    /** The exact source text of a top-level member's value. */
    public static String rawMemberText(String json, String member) throws IOException {
        try (JsonParser parser = Json.FACTORY.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                long start = parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                if (name.equals(member)) {
                    return json.substring((int) start, (int) parser.currentLocation().getCharOffset());
                }
            }
        }
        throw new IllegalArgumentException("vector has no member '" + member + "'");
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
