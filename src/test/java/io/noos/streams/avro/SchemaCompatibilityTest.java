package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.RegulatorDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema evolution rules, checked: the current schema of each record reads every released
 * version and every released version reads the current one (full compatibility), and the current
 * schema is itself released.
 */
class SchemaCompatibilityTest {

    static Schema current(String record) {
        return switch (record) {
            case AvroCodec.ENVELOPE -> AgentEventEnvelope.getClassSchema();
            case AvroCodec.DECISION -> RegulatorDecision.getClassSchema();
            default -> throw new IllegalArgumentException(record);
        };
    }

    static void assertCompatible(Schema reader, Schema writer, String what) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                () -> what + ": " + result.getResult().getIncompatibilities());
    }

    @ParameterizedTest
    @ValueSource(strings = {AvroCodec.ENVELOPE, AvroCodec.DECISION})
    void currentAndEveryHistoryVersionReadEachOther(String record) {
        Schema current = current(record);
        List<Schema> history = SchemaHistory.versions(record);
        for (int i = 0; i < history.size(); i++) {
            String version = record + " v" + (i + 1);
            assertCompatible(current, history.get(i), "current reading " + version + " (backward)");
            assertCompatible(history.get(i), current, version + " reading current (forward)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {AvroCodec.ENVELOPE, AvroCodec.DECISION})
    void theCurrentSchemaIsReleased(String record) {
        List<Schema> history = SchemaHistory.versions(record);
        assertEquals(SchemaHistory.fingerprint(current(record)), SchemaHistory.fingerprint(history.get(history.size() - 1)),
                () -> "schemas/" + record + ".avsc differs from its newest history file: copy it to "
                        + SchemaHistory.resource(record, history.size() + 1) + " (a new version) before releasing");
    }

    @ParameterizedTest
    @ValueSource(strings = {AvroCodec.ENVELOPE, AvroCodec.DECISION})
    void everyHistoryFileIsNumberedWithoutGapsAndLoaded(String record) throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(Path.of("schemas", "history", record))) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        int loaded = SchemaHistory.versions(record).size();
        List<String> expected = IntStream.rangeClosed(1, loaded).mapToObj(v -> "v" + v + ".avsc").sorted().toList();
        assertEquals(expected, files, "history files must be v1.avsc, v2.avsc, ... with no gap and nothing else");
    }

    @Test
    void theCheckRejectsAnIncompatibleChange() {
        // A new required field without a default cannot be filled in when reading old records.
        Schema current = AgentEventEnvelope.getClassSchema();
        String json = current.toString().replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},");
        Schema withRequiredField = new Schema.Parser().parse(json);
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(withRequiredField, current);
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
        assertTrue(result.getResult().getIncompatibilities().toString().contains("tenant"));
    }
}
