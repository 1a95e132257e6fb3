package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
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
    void v0IsCompatibleWithTheCurrentSchemasBothWays() {
        SchemaCompatibilityTest.assertCompatible(AgentEventEnvelope.getClassSchema(), ENVELOPE_V0, "current reads v0");
        SchemaCompatibilityTest.assertCompatible(ENVELOPE_V0, AgentEventEnvelope.getClassSchema(), "v0 reads current");
        SchemaCompatibilityTest.assertCompatible(SchemaCompatibilityTest.current(AvroCodec.DECISION), DECISION_V0,
                "current reads v0");
        SchemaCompatibilityTest.assertCompatible(DECISION_V0, SchemaCompatibilityTest.current(AvroCodec.DECISION),
                "v0 reads current");
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
