package io.noos.streams.otel.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.conformance.ConformanceRunner;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.otel.JsonValue;
import io.noos.streams.otel.OtelSpanAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old shape goes through the reference adapter unchanged: every {@code otel__*} conformance
 * vector whose span has an old message event, written as one line of a span file, gives exactly the
 * adapter's events in the adapter's order. The one intended difference is OTLP array attributes,
 * which ingest converts before the adapter sees them.
 */
class ReferenceShapeVectorsTest {
    private static final String ARRAY_ATTRIBUTES_VECTOR = "otel__array_style_attributes_ignored.json";
    /** The otel__ vectors of the public set whose span has a gen_ai.*.message event, but the array-style one. */
    private static final int OLD_SHAPE_VECTORS = 18;

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> oldShapeVectorsGiveTheAdapterEvents() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource("conformance/vectors").toURI());
        List<Path> oldShape;
        try (Stream<Path> files = Files.list(folder)) {
            oldShape = files.filter(p -> p.getFileName().toString().matches("otel__.*\\.json"))
                    .filter(p -> !p.getFileName().toString().equals(ARRAY_ATTRIBUTES_VECTOR))
                    .filter(p -> hasOldMessageEvent(JsonValue.parse(spanText(p))))
                    .sorted().toList();
        }
        assertEquals(OLD_SHAPE_VECTORS, oldShape.size(), "old-shape otel vectors found");
        return oldShape.stream().map(v -> DynamicTest.dynamicTest(v.getFileName().toString(), () -> {
            String span = spanText(v);
            assertEquals(OtelSpanAdapter.fromSpanJson(span), ingestOneLine(span));
        }));
    }

    @Test
    void otlpArrayAttributesAreConvertedBeforeTheAdapterSeesThem() throws IOException, URISyntaxException {
        Path vector = Path.of(getClass().getClassLoader().getResource("conformance/vectors/" + ARRAY_ATTRIBUTES_VECTOR)
                .toURI());
        // the adapter alone ignores the array and gives only the TurnStart; ingest also reads the count
        assertEquals(List.of(new AgentEvent.TurnStart("still read"), new AgentEvent.Cost(0, 5, 0, null)),
                ingestOneLine(spanText(vector)));
    }

    private List<AgentEvent> ingestOneLine(String span) throws IOException {
        Path file = Files.writeString(dir.resolve("span.jsonl"), span + "\n", StandardCharsets.UTF_8);
        IngestResult r = SpanFileIngest.read(file, IngestOptions.defaults().withDefaultUser("v"));
        return r.envelopes().stream().map(e -> ((EnvelopeEvent.Single) e.event()).event()).toList();
    }

    /** The vector's span as written (number literals intact), on one line. */
    private static String spanText(Path vector) {
        String raw;
        try {
            raw = ConformanceRunner.rawMemberText(Files.readString(vector, StandardCharsets.UTF_8), "span");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw.replace('\n', ' ').replace('\r', ' ');   // JSON strings cannot hold raw line breaks
    }

    private static boolean hasOldMessageEvent(JsonValue span) {
        for (JsonValue e : span.get("events").flatMap(JsonValue::asArray).orElse(List.of())) {
            if (e.get("name").flatMap(JsonValue::asString).filter(ReferenceShape.MESSAGE_EVENTS::contains).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
