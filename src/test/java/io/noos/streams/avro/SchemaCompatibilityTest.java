package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.RegulatorDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema evolution rules, checked: the current schema of each record reads every released
 * version (backward), every released version reads the current one (forward) except for the union
 * branches added after it (rule 5: a record of a new decision kind or break reason cannot be read
 * by an old consumer, and nothing else may differ), and the current schema is itself released.
 */
class SchemaCompatibilityTest {
    private static final String NS = "io.noos.streams.avro.schema.";

    /**
     * Record -> version -> the union branches that version added (full names). A reader of an
     * older version lacks them; they are the only forward incompatibility allowed.
     */
    private static final Map<String, Map<Integer, List<String>>> ADDED_BRANCHES = Map.of(
            AvroCodec.DECISION, Map.of(2, List.of(NS + "RepeatedIdenticalToolCall", NS + "ToolCallCycle",
                    NS + "TokenBudgetExceeded", NS + "SpendAnomalyWarn"),
                    3, List.of(NS + "OperatorHalt"),
                    4, List.of(NS + "SpendBudgetExceeded", NS + "SpendBudgetWarn")));

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

    /** The branches of {@code record} added after {@code version}, as {@link #forwardIncompatibilities} names them. */
    static List<String> branchesAddedAfter(String record, int version) {
        List<String> added = new ArrayList<>();
        ADDED_BRANCHES.getOrDefault(record, Map.of()).forEach((v, branches) -> {
            if (v > version) {
                branches.forEach(b -> added.add("missing union branch " + b));
            }
        });
        return added.stream().sorted().toList();
    }

    /**
     * Why {@code reader} cannot read everything {@code writer} writes, sorted: a union branch of the
     * writer that the reader's union lacks by name is {@code "missing union branch <full name>"};
     * a branch the reader has by name but cannot read (Avro reports the whole branch, for example
     * {@code CircuitBreak} when only its reason union grew) is traced into that branch; anything
     * else is described by its type, location and message.
     */
    static List<String> forwardIncompatibilities(Schema reader, Schema writer) {
        List<String> out = new ArrayList<>();
        for (Incompatibility i : SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
                .getIncompatibilities()) {
            Schema readerUnion = i.getReaderFragment();
            if (i.getType() != SchemaIncompatibilityType.MISSING_UNION_BRANCH
                    || readerUnion.getType() != Schema.Type.UNION) {
                out.add(i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
                continue;
            }
            Schema writerBranch = branch(i.getWriterFragment(), i.getLocation());
            Schema readerBranch = readerUnion.getTypes().stream()
                    .filter(b -> b.getFullName().equals(writerBranch.getFullName())).findFirst().orElse(null);
            if (readerBranch == null) {
                out.add("missing union branch " + writerBranch.getFullName());
            } else {
                out.addAll(forwardIncompatibilities(readerBranch, writerBranch));
            }
        }
        return out.stream().sorted().toList();
    }

    /** The writer's branch a missing-branch incompatibility is about: the union's branch at the location's last index. */
    private static Schema branch(Schema writerFragment, String location) {
        if (writerFragment.getType() != Schema.Type.UNION) {
            return writerFragment;
        }
        String[] path = location.split("/");
        return writerFragment.getTypes().get(Integer.parseInt(path[path.length - 1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {AvroCodec.ENVELOPE, AvroCodec.DECISION})
    void currentReadsEveryHistoryVersion(String record) {
        Schema current = current(record);
        List<Schema> history = SchemaHistory.versions(record);
        for (int i = 0; i < history.size(); i++) {
            assertCompatible(current, history.get(i), "current reading " + record + " v" + (i + 1) + " (backward)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {AvroCodec.ENVELOPE, AvroCodec.DECISION})
    void everyHistoryVersionReadsCurrentButForTheBranchesAddedSince(String record) {
        Schema current = current(record);
        List<Schema> history = SchemaHistory.versions(record);
        for (int v = 1; v <= history.size(); v++) {
            List<String> allowed = branchesAddedAfter(record, v);
            assertEquals(allowed, forwardIncompatibilities(history.get(v - 1), current),
                    record + " v" + v + " reading current (forward)");
            if (allowed.isEmpty()) {
                assertCompatible(history.get(v - 1), current, record + " v" + v + " reading current (forward)");
            }
        }
    }

    @Test
    void v1DecisionReadersLackExactlyTheOptInDetectorAndOperatorHaltBranches() {
        // Spelled out: v2 added three break reasons and one kind, v3 the operator's halt, v4 the spend budget's.
        assertEquals(List.of("missing union branch " + NS + "OperatorHalt",
                        "missing union branch " + NS + "RepeatedIdenticalToolCall",
                        "missing union branch " + NS + "SpendAnomalyWarn",
                        "missing union branch " + NS + "SpendBudgetExceeded",
                        "missing union branch " + NS + "SpendBudgetWarn",
                        "missing union branch " + NS + "TokenBudgetExceeded",
                        "missing union branch " + NS + "ToolCallCycle"),
                forwardIncompatibilities(SchemaHistory.versions(AvroCodec.DECISION).get(0),
                        RegulatorDecision.getClassSchema()));
    }

    @Test
    void v2DecisionReadersLackExactlyTheOperatorHaltBranch() {
        assertEquals(List.of("missing union branch " + NS + "OperatorHalt",
                        "missing union branch " + NS + "SpendBudgetExceeded",
                        "missing union branch " + NS + "SpendBudgetWarn"),
                forwardIncompatibilities(SchemaHistory.versions(AvroCodec.DECISION).get(1),
                        RegulatorDecision.getClassSchema()));
        assertEquals(List.of("missing union branch " + NS + "SpendBudgetExceeded",
                        "missing union branch " + NS + "SpendBudgetWarn"),
                forwardIncompatibilities(SchemaHistory.versions(AvroCodec.DECISION).get(2),
                        RegulatorDecision.getClassSchema()), "v3 readers lack only the spend budget's branches");
        assertEquals(List.of(), forwardIncompatibilities(SchemaHistory.versions(AvroCodec.DECISION).get(3),
                RegulatorDecision.getClassSchema()), "v4 readers read everything: v5 only added optional agent_id fields");
        assertEquals(5, SchemaHistory.versions(AvroCodec.DECISION).size(), "v5 is the newest release");
    }

    @Test
    void anyOtherForwardIncompatibilityIsReported() {
        Schema v1 = SchemaHistory.versions(AvroCodec.DECISION).get(0);
        String current = RegulatorDecision.getClassSchema().toString();

        // A type change inside an old break reason, hidden behind CircuitBreak's missing branch.
        String retyped = current.replace("{\"name\":\"tokens_spent\",\"type\":\"long\"}",
                "{\"name\":\"tokens_spent\",\"type\":\"string\"}");
        List<String> found = forwardIncompatibilities(v1, new Schema.Parser().parse(retyped));
        assertTrue(found.stream().anyMatch(f -> f.startsWith("TYPE_MISMATCH at /fields/0/type")), found::toString);
        assertEquals(branchesAddedAfter(AvroCodec.DECISION, 1).size() + 1, found.size(), found::toString);

        // A union branch nobody declared.
        String extraKind = current.replace("{\"type\":\"record\",\"name\":\"SpendAnomalyWarn\"",
                "{\"type\":\"record\",\"name\":\"Undeclared\",\"fields\":[]},"
                        + "{\"type\":\"record\",\"name\":\"SpendAnomalyWarn\"");
        found = forwardIncompatibilities(v1, new Schema.Parser().parse(extraKind));
        assertTrue(found.contains("missing union branch " + NS + "Undeclared"), found::toString);
        assertTrue(!found.equals(branchesAddedAfter(AvroCodec.DECISION, 1)));
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
