package io.noos.streams.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.noos.streams.conformance.ConformanceRunner;
import io.noos.streams.core.AgentEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code otel__*.json} conformance vector: the vector's {@code span}, passed as the raw
 * text it has in the file (so number literals such as {@code 1.6e+18} reach the adapter as written),
 * must convert into exactly the {@code expect_events}, in order.
 */
class OtelConformanceVectorsTest {

    private static final String VECTOR_FOLDER = "conformance/vectors";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> otelVectors() throws IOException, URISyntaxException {
        List<Path> files = otelVectorFiles();
        assertEquals(32, files.size(), "the otel__*.json vectors of the public set under " + VECTOR_FOLDER);
        // No test source URI: surefire's -Dtest filter drops dynamic tests whose source is not a method.
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> runVector(file)));
    }

    private static List<Path> otelVectorFiles() throws IOException, URISyntaxException {
        URL folder = OtelConformanceVectorsTest.class.getClassLoader().getResource(VECTOR_FOLDER);
        assertTrue(folder != null, "missing test resource folder " + VECTOR_FOLDER);
        try (Stream<Path> paths = Files.list(Path.of(folder.toURI()))) {
            return paths.filter(p -> p.getFileName().toString().matches("otel__.*\\.json")).sorted().toList();
        }
    }

    private static void runVector(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonNode vector = MAPPER.readTree(text);
        assertEquals("otel", vector.path("kind").asText(), "kind");

        List<AgentEvent> actual = OtelSpanAdapter.fromSpanJson(ConformanceRunner.rawMemberText(text, "span"));

        assertEquals(expectedEvents(vector.get("expect_events")), actual);
    }

    private static List<AgentEvent> expectedEvents(JsonNode expected) {
        List<AgentEvent> events = new ArrayList<>();
        expected.forEach(node -> events.add(expectedEvent(node)));
        return events;
    }

    private static AgentEvent expectedEvent(JsonNode node) {
        String type = node.get("type").asText();
        return switch (type) {
            case "turn_start" -> new AgentEvent.TurnStart(text(node, "user_message"));
            case "turn_complete" -> new AgentEvent.TurnComplete(text(node, "full_response"));
            case "cost" -> new AgentEvent.Cost(unsigned(node, "tokens_in"), unsigned(node, "tokens_out"),
                    unsigned(node, "wallclock_ms"), text(node, "provider"));
            case "tool_call" -> new AgentEvent.ToolCall(text(node, "tool_name"), text(node, "args_json"));
            case "tool_result" -> new AgentEvent.ToolResult(text(node, "tool_name"),
                    node.get("success").booleanValue(), unsigned(node, "duration_ms"), text(node, "error_summary"));
            default -> throw new AssertionError("an OTel span never yields an event of type " + type);
        };
    }

    /** A string field; {@code null} when the field is null or absent. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        assertTrue(value.isTextual(), field + " should be a string: " + value);
        return value.textValue();
    }

    /** An unsigned integer field, as unsigned bits in a long (u64 values above 2^63−1 go negative). */
    private static long unsigned(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertTrue(value != null && value.isIntegralNumber() && value.bigIntegerValue().signum() >= 0,
                field + " should be an unsigned integer: " + value);
        return value.bigIntegerValue().longValue();
    }
}
