package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * An old record decodes into the current class once its writer schema is in the store. The old
 * versions here are hand-made test-only "v0" schemas ({@code src/test/resources/avro/v0/}): the
 * envelope without {@code session_id}, the decision record without {@code prelude}, both optional
 * fields with a null default.
 */
class SchemaEvolutionTest {
    private static final Schema ENVELOPE_V0 = load("avro/v0/AgentEventEnvelope.avsc");
    private static final Schema DECISION_V0 = load("avro/v0/RegulatorDecision.avsc");

    /** The released history plus the test-only v0 schemas. */
    private static final AvroCodec WITH_V0 = new AvroCodec(store(AvroCodec.ENVELOPE, ENVELOPE_V0),
            store(AvroCodec.DECISION, DECISION_V0));

    private static Schema load(String resource) {
        try (InputStream in = SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static SchemaStore.Cache store(String record, Schema extra) {
        SchemaStore.Cache store = SchemaHistory.store(record);
        store.addSchema(extra);
        return store;
    }

    /** An envelope as a v0 producer would write it: a turn_start, no session_id field at all. */
    private static byte[] v0Envelope() throws IOException {
        Schema turnStart = ENVELOPE_V0.getField("event").schema().getTypes().get(0);
        GenericRecord event = new GenericRecordBuilder(turnStart).set("user_message", "hello from v0").build();
        GenericRecord envelope = new GenericRecordBuilder(ENVELOPE_V0)
                .set("event_id", "e-0").set("user_id", "alice").set("agent_id", "a-0").set("at_ms", 42L)
                .set("event", event).build();
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), ENVELOPE_V0).encode(envelope).array();
    }

    private static byte[] v0Decision() throws IOException {
        Schema continueSchema = DECISION_V0.getField("decision").schema().getTypes().get(0);
        GenericRecord decision = new GenericRecordBuilder(DECISION_V0)
                .set("user_id", "alice").set("event_type", "cost").set("at_ms", 7L).set("turn", 2L)
                .set("decision", new GenericRecordBuilder(continueSchema).build())
                .set("metrics", Map.of("noos.confidence", 0.5)).build();
        return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), DECISION_V0).encode(decision).array();
    }

    @Test
    void v0AndTheCurrentSchemasReadEachOtherButForTheAddedBranches() {
        SchemaCompatibilityTest.assertCompatible(AgentEventEnvelope.getClassSchema(), ENVELOPE_V0, "current reads v0");
        SchemaCompatibilityTest.assertCompatible(ENVELOPE_V0, AgentEventEnvelope.getClassSchema(), "v0 reads current");
        SchemaCompatibilityTest.assertCompatible(SchemaCompatibilityTest.current(AvroCodec.DECISION), DECISION_V0,
                "current reads v0");
        // v0 predates v1, so it lacks what every later version added, and nothing else.
        assertEquals(SchemaCompatibilityTest.branchesAddedAfter(AvroCodec.DECISION, 0),
                SchemaCompatibilityTest.forwardIncompatibilities(DECISION_V0,
                        SchemaCompatibilityTest.current(AvroCodec.DECISION)), "v0 reads current");
    }

    @Test
    void anUnreleasedWriterSchemaIsAnUnknownFingerprint() throws IOException {
        byte[] bytes = v0Envelope();
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> new AvroCodec().decodeEnvelope(bytes));
        assertTrue(e.getMessage().startsWith(String.format("Avro: unknown schema fingerprint 0x%016x",
                SchemaHistory.fingerprint(ENVELOPE_V0))), e.getMessage());
    }

    @Test
    void av0EnvelopeDecodesIntoTheCurrentModelWithTheDefault() throws IOException {
        EventEnvelope decoded = WITH_V0.decodeEnvelope(v0Envelope());
        assertEquals(new EventEnvelope("e-0", "alice", "a-0", null, 42L,
                new EnvelopeEvent.Single(new AgentEvent.TurnStart("hello from v0"))), decoded);
    }

    @Test
    void av0EnvelopeDecodesIntoTheCurrentGeneratedClass() throws IOException {
        // The generated class's own decoder with the same store (stock Avro model).
        SchemaStore.Cache store = store(AvroCodec.ENVELOPE, ENVELOPE_V0);
        AgentEventEnvelope decoded = AgentEventEnvelope.createDecoder(store).decode(v0Envelope());
        assertEquals("alice", decoded.getUserId());
        assertNull(decoded.getSessionId(), "the field v0 lacks gets its default");
    }

    @Test
    void av0DecisionDecodesIntoTheCurrentModelWithTheDefault() throws IOException {
        DecisionRecord decoded = WITH_V0.decodeDecision(v0Decision());
        assertEquals(new DecisionRecord("alice", null, null, null, "cost", 7L, 2L, Decision.Continue.INSTANCE, null,
                Map.of("noos.confidence", 0.5)), decoded);
    }

    /** A consumer still on v1, reading with the stock generic decoder. */
    private static BinaryMessageDecoder<GenericRecord> v1DecisionReader() {
        return decisionReader(1);
    }

    /** A consumer still on version {@code v}, reading with the stock generic decoder. */
    private static BinaryMessageDecoder<GenericRecord> decisionReader(int v) {
        BinaryMessageDecoder<GenericRecord> reader = new BinaryMessageDecoder<>(GenericData.get(),
                SchemaHistory.versions(AvroCodec.DECISION).get(v - 1));
        reader.addSchema(SchemaCompatibilityTest.current(AvroCodec.DECISION));
        return reader;
    }

    @Test
    void av1ConsumerReadsTheOldKindsTheCurrentCodecWrites() throws IOException {
        DecisionRecord loop = Samples.decisionRecord(new Decision.CircuitBreak(
                new BreakReason.RepeatedToolCallLoop("search_orders", 6), "loop"));
        GenericRecord read = v1DecisionReader().decode(new AvroCodec().encodeDecision(loop));
        GenericRecord reason = (GenericRecord) ((GenericRecord) read.get("decision")).get("reason");
        assertEquals("search_orders", reason.get("tool_name").toString());
        assertEquals(6L, reason.get("consecutive_count"));
    }

    @Test
    void av1ConsumerFailsOnTheNewBreakReasons() {
        // Rule 5: consumers must upgrade before the opt-in detectors are enabled. No v1 reason record
        // can take any of these (each v1 reason needs a field they lack), so decoding fails.
        List<BreakReason> newReasons = List.of(new BreakReason.RepeatedIdenticalToolCall("fetch", "00ff", 3),
                new BreakReason.ToolCallCycle(List.of("a", "b"), 3), new BreakReason.TokenBudgetExceeded(10, 10, 1000));
        for (BreakReason reason : newReasons) {
            byte[] bytes = new AvroCodec().encodeDecision(Samples.decisionRecord(new Decision.CircuitBreak(reason, "s")));
            assertThrows(AvroTypeException.class, () -> v1DecisionReader().decode(bytes), reason.toString());
        }
    }

    @Test
    void v1AndV2ConsumersFailOnTheOperatorHalt() {
        // Consumers must upgrade before an operator halts anyone: no older reason record can take
        // policy_key and halt_reason, so an old reader fails instead of misreading the break.
        byte[] bytes = new AvroCodec().encodeDecision(Samples.decisionRecord(new Decision.CircuitBreak(
                new BreakReason.OperatorHalt("*", "incident 42"), "halted")));
        for (int v = 1; v <= 2; v++) {
            BinaryMessageDecoder<GenericRecord> reader = decisionReader(v);
            assertThrows(AvroTypeException.class, () -> reader.decode(bytes), "v" + v);
        }
    }

    @Test
    void av1JavaConsumerReadsSpendAnomalyWarnAsContinue() throws IOException {
        // The hazard rule 5 warns of: when no reader branch has the writer branch's name, Avro's Java
        // resolver takes the first reader record the writer record resolves into (the spec says the
        // read fails). Continue has no fields, so it takes any record: an old Java consumer sees the
        // warning as "continue", silently.
        byte[] bytes = new AvroCodec().encodeDecision(Samples.decisionRecord(
                new Decision.SpendAnomalyWarn(50, 10.0, 5.0, 120_000, 60_000, 5)));
        GenericRecord read = v1DecisionReader().decode(bytes);
        assertEquals("Continue", ((GenericRecord) read.get("decision")).getSchema().getName());
    }

    @Test
    void av1RecordDecodesWithTheCurrentCodec() throws IOException {
        Schema v1 = SchemaHistory.versions(AvroCodec.DECISION).get(0);
        Schema breakSchema = v1.getField("decision").schema().getTypes().get(1);
        Schema budgetReason = breakSchema.getField("reason").schema().getTypes().get(0);
        GenericRecord reason = new GenericRecordBuilder(budgetReason)
                .set("tokens_spent", 2100L).set("tokens_cap", 2000L).set("mean_quality_last_n", 0.25).build();
        GenericRecord decision = new GenericRecordBuilder(v1)
                .set("user_id", "carol").set("event_type", "cost").set("at_ms", 9L).set("turn", 1L)
                .set("decision", new GenericRecordBuilder(breakSchema).set("reason", reason).set("suggestion", "stop")
                        .build())
                .set("metrics", Map.of()).build();
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(decision).array();
        assertEquals(new DecisionRecord("carol", null, null, null, "cost", 9L, 1L, new Decision.CircuitBreak(
                        new BreakReason.CostCapReached(2100, 2000, 0.25), "stop"), null, Map.of()),
                new AvroCodec().decodeDecision(bytes));
    }

    @Test
    void av0ConsumerReadsWhatTheCurrentCodecWrites() throws IOException {
        // Forward compatibility: an old reader skips the field it does not know.
        EventEnvelope current = Samples.envelope(new AgentEvent.ToolCall("search", "{}"));
        BinaryMessageDecoder<GenericRecord> v0Reader = new BinaryMessageDecoder<>(GenericData.get(), ENVELOPE_V0);
        v0Reader.addSchema(AgentEventEnvelope.getClassSchema());
        GenericRecord read = v0Reader.decode(new AvroCodec().encodeEnvelope(current));
        assertEquals("alice", read.get("user_id").toString());
        assertNull(read.getSchema().getField("session_id"));
        assertEquals("search", ((GenericRecord) read.get("event")).get("tool_name").toString());
    }
}
