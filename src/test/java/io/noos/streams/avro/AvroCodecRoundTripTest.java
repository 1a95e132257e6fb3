package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.RegulatorDecision;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecRoundTripTest {
    private static final AvroCodec CODEC = new AvroCodec();

    static List<AgentEvent> events() {
        return Samples.events();
    }

    static List<Decision> decisions() {
        return Samples.decisions();
    }

    @ParameterizedTest
    @MethodSource("events")
    void everyEventTypeRoundTrips(AgentEvent event) {
        EventEnvelope full = Samples.envelope(event);
        assertEquals(full, CODEC.decodeEnvelope(CODEC.encodeEnvelope(full)));

        EventEnvelope minimal = Samples.minimalEnvelope(new EnvelopeEvent.Single(event));
        assertEquals(minimal, CODEC.decodeEnvelope(CODEC.encodeEnvelope(minimal)));
    }

    @Test
    void coversAllEightEventTypes() {
        assertEquals(AgentEvent.TYPES, events().stream().map(AgentEvent::type).distinct().toList());
    }

    @Test
    void tokenBatchRoundTripsWithNaNAndInfinities() {
        EnvelopeEvent.TokenBatch batch = Samples.tokenBatch();
        EventEnvelope decoded = CODEC.decodeEnvelope(CODEC.encodeEnvelope(Samples.minimalEnvelope(batch)));

        double[] logprobs = ((EnvelopeEvent.TokenBatch) decoded.event()).logprobs();
        assertTrue(Double.isNaN(logprobs[1]), "NaN survives");
        assertEquals(Double.NEGATIVE_INFINITY, logprobs[4]);
        assertEquals(Double.POSITIVE_INFINITY, logprobs[5]);
        long[] expectedBits = Arrays.stream(batch.logprobs()).mapToLong(Double::doubleToRawLongBits).toArray();
        long[] actualBits = Arrays.stream(logprobs).mapToLong(Double::doubleToRawLongBits).toArray();
        assertArrayEquals(expectedBits, actualBits, "bit-exact, -0.0 and the NaN payload included");
    }

    @Test
    void emptyTokenBatchRoundTrips() {
        EventEnvelope e = Samples.minimalEnvelope(new EnvelopeEvent.TokenBatch(new double[0]));
        assertEquals(e, CODEC.decodeEnvelope(CODEC.encodeEnvelope(e)));
    }

    @Test
    void singleTokenKeepsNaNLogprobAndUnsignedIndex() {
        EventEnvelope e = Samples.envelope(new AgentEvent.Token("x", Double.NaN, -1L));
        AgentEvent.Token t = (AgentEvent.Token) ((EnvelopeEvent.Single) CODEC.decodeEnvelope(CODEC.encodeEnvelope(e))
                .event()).event();
        assertTrue(Double.isNaN(t.logprob()));
        assertEquals("18446744073709551615", Long.toUnsignedString(t.index()));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void everyDecisionKindRoundTrips(Decision decision) {
        DecisionRecord record = Samples.decisionRecord(decision);
        DecisionRecord decoded = CODEC.decodeDecision(CODEC.encodeDecision(record));
        assertEquals(record, decoded);
        assertEquals(decision.kind(), decoded.decision().kind());
    }

    @Test
    void coversEveryDecisionKindAndBreakReason() {
        List<String> kinds = new ArrayList<>();
        for (Decision d : decisions()) {
            kinds.add(d instanceof Decision.CircuitBreak cb ? d.kind() + "/" + cb.reason().kind() : d.kind());
        }
        assertEquals(List.of("continue", "circuit_break/cost_cap_reached", "circuit_break/quality_decline_no_recovery",
                "circuit_break/repeated_tool_call_loop", "circuit_break/repeated_failure_pattern", "scope_drift_warn",
                "procedural_warning", "low_confidence_spans", "circuit_break/repeated_identical_tool_call",
                "circuit_break/tool_call_cycle", "circuit_break/token_budget_exceeded", "circuit_break/operator_halt",
                "spend_anomaly_warn"),
                kinds.stream().distinct().toList());
    }

    @Test
    void minimalDecisionRecordRoundTrips() {
        DecisionRecord record = Samples.minimalDecisionRecord();
        assertEquals(record, CODEC.decodeDecision(CODEC.encodeDecision(record)));
    }

    @Test
    void metricsKeepTheirOrderAndNaN() {
        DecisionRecord decoded = CODEC.decodeDecision(CODEC.encodeDecision(Samples.decisionRecord(
                Decision.Continue.INSTANCE)));
        assertEquals(List.copyOf(Samples.metrics().keySet()), List.copyOf(decoded.metrics().keySet()));
        assertTrue(Double.isNaN(decoded.metrics().get("noos.mean_quality")));
    }

    @Test
    void writesSingleObjectEncodingWithTheCurrentSchemaFingerprint() {
        byte[] envelope = CODEC.encodeEnvelope(Samples.envelope(new AgentEvent.TurnStart("hi")));
        assertHeader(envelope, AgentEventEnvelope.getClassSchema());

        byte[] decision = CODEC.encodeDecision(Samples.minimalDecisionRecord());
        assertHeader(decision, RegulatorDecision.getClassSchema());
    }

    @Test
    void aDefaultCodecAndTheGeneratedDecoderAgree() {
        EventEnvelope e = Samples.envelope(new AgentEvent.Cost(1, 2, 3, "p"));
        byte[] bytes = CODEC.encodeEnvelope(e);
        // Generated class's own decoder (the trust installed by AvroCodec also covers it).
        AgentEventEnvelope generated = assertDoesNotThrowDecode(bytes);
        assertEquals("alice", generated.getUserId());
        assertEquals(3L, ((io.noos.streams.avro.schema.Cost) generated.getEvent()).getWallclockMs());
    }

    private static AgentEventEnvelope assertDoesNotThrowDecode(byte[] bytes) {
        try {
            return AgentEventEnvelope.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertHeader(byte[] bytes, Schema schema) {
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaHistory.fingerprint(schema), fingerprint);
    }
}
