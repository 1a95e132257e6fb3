package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.Cost;
import io.noos.streams.avro.schema.TurnStart;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.testkit.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AvroCodecInvalidInputTest {
    private static final AvroCodec CODEC = new AvroCodec();

    private static byte[] validEnvelope() {
        return CODEC.encodeEnvelope(Samples.envelope(new AgentEvent.TurnStart("ABC")));
    }

    private static String rejected(Executable decode) {
        InvalidEventException e = assertThrows(InvalidEventException.class, decode);
        assertTrue(e.getMessage().startsWith("Avro: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void nullAndEmptyInput() {
        assertTrue(rejected(() -> CODEC.decodeEnvelope(null)).contains("no bytes"));
        assertTrue(rejected(() -> CODEC.decodeEnvelope(new byte[0])).contains("truncated single-object header"));
        assertTrue(rejected(() -> CODEC.decodeDecision(new byte[0])).contains("truncated single-object header"));
    }

    @Test
    void truncatedHeader() {
        byte[] five = Arrays.copyOf(validEnvelope(), 5);
        assertEquals("Avro: truncated single-object header: 5 byte(s), need 10 (C3 01 and an 8-byte schema fingerprint)",
                rejected(() -> CODEC.decodeEnvelope(five)));
    }

    @Test
    void truncatedBodyAtEveryLength() {
        byte[] valid = validEnvelope();
        for (int n = 10; n < valid.length; n++) {
            byte[] cut = Arrays.copyOf(valid, n);
            String message = rejected(() -> CODEC.decodeEnvelope(cut));
            assertTrue(message.startsWith("Avro: malformed or truncated AgentEventEnvelope body"), message);
        }
        byte[] decision = CODEC.encodeDecision(Samples.decisionRecord(Samples.decisions().get(8)));
        for (int n = 10; n < decision.length; n++) {
            byte[] cut = Arrays.copyOf(decision, n);
            rejected(() -> CODEC.decodeDecision(cut));
        }
    }

    @Test
    void trailingBytes() {
        byte[] valid = validEnvelope();
        byte[] longer = Arrays.copyOf(valid, valid.length + 2);
        String message = rejected(() -> CODEC.decodeEnvelope(longer));
        assertTrue(message.contains("2 unexpected byte(s) after the record"), message);
    }

    @Test
    void wrongMagic() {
        byte[] bytes = validEnvelope();
        bytes[0] = '{';
        assertEquals("Avro: not single-object encoded: expected magic C3 01, got 7B 22",
                rejected(() -> {
                    bytes[1] = '"';
                    CODEC.decodeEnvelope(bytes);
                }));
    }

    @Test
    void unknownFingerprint() {
        byte[] bytes = validEnvelope();
        Arrays.fill(bytes, 2, 10, (byte) 0);
        bytes[2] = (byte) 0xAB;
        assertEquals("Avro: unknown schema fingerprint 0x00000000000000ab: not a released version of AgentEventEnvelope"
                        + " (is the writer's schema missing from schemas/history/AgentEventEnvelope/?)",
                rejected(() -> CODEC.decodeEnvelope(bytes)));
    }

    @Test
    void aDecisionIsNotAnEnvelopeAndViceVersa() {
        byte[] decision = CODEC.encodeDecision(Samples.minimalDecisionRecord());
        assertTrue(rejected(() -> CODEC.decodeEnvelope(decision)).contains("unknown schema fingerprint"));
        assertTrue(rejected(() -> CODEC.decodeDecision(validEnvelope())).contains("unknown schema fingerprint"));
    }

    @Test
    void aForgedHugeLengthFailsFastInsteadOfAllocating() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(Arrays.copyOf(validEnvelope(), 10)); // header
        body.write(0);                                      // event_id: union branch 0 (null)
        writeVarLong(body, 2_000_000_000L);                 // user_id: a 2 GB string
        body.writeBytes("alice".getBytes(StandardCharsets.UTF_8));
        String message = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> rejected(() -> CODEC.decodeEnvelope(body.toByteArray())));
        assertTrue(message.contains("bytes are available"), message);
    }

    @Test
    void unionBranchOutOfRange() {
        byte[] bytes = validEnvelope();
        // event_id "evt-1", user_id "alice", agent_id "agent-7", session_id "session-3", at_ms, then the event branch
        int branch = 10 + (1 + 1 + 5) + (1 + 5) + (1 + 1 + 7) + (1 + 1 + 9) + 6;
        assertEquals(0, bytes[branch], "turn_start is branch 0");
        bytes[branch] = 2 * 40; // zig-zag 40
        rejected(() -> CODEC.decodeEnvelope(bytes));
    }

    @Test
    void malformedUtf8IsRejectedWithTheFieldPath() {
        byte[] bytes = validEnvelope();
        int at = Bytes.indexOf(bytes, "ABC".getBytes(StandardCharsets.UTF_8));
        bytes[at] = (byte) 0xED;     // ED A0 80: U+D800, a lone surrogate, encoded as if it were a character
        bytes[at + 1] = (byte) 0xA0;
        bytes[at + 2] = (byte) 0x80;
        String message = rejected(() -> CODEC.decodeEnvelope(bytes));
        assertTrue(message.startsWith("Avro: AgentEventEnvelope.event.user_message is not valid UTF-8"), message);
    }

    @Test
    void aGenuineReplacementCharacterIsFine() {
        var e = Samples.envelope(new AgentEvent.TurnStart("\uFFFD ok"));
        assertEquals(e, CODEC.decodeEnvelope(CODEC.encodeEnvelope(e)));
    }

    @Test
    void u32OutOfRangeIsRejectedByTheMapping() throws IOException {
        for (long tokensIn : new long[] {4_294_967_296L, -1L, Long.MAX_VALUE}) {
            AgentEventEnvelope raw = AgentEventEnvelope.newBuilder().setUserId("alice").setAtMs(1)
                    .setEvent(new Cost(tokensIn, 1L, 1L, null)).build();
            byte[] bytes = AgentEventEnvelope.getEncoder().encode(raw).array();
            assertEquals("Avro: tokens_in must be an integer in 0..4294967295, got " + tokensIn,
                    rejected(() -> CODEC.decodeEnvelope(bytes)));
        }
    }

    @Test
    void emptyUserIdIsRejectedByTheMapping() throws IOException {
        AgentEventEnvelope raw = AgentEventEnvelope.newBuilder().setUserId("").setAtMs(1)
                .setEvent(new TurnStart("hi")).build();
        byte[] bytes = AgentEventEnvelope.getEncoder().encode(raw).array();
        assertEquals("Avro: user_id must not be empty", rejected(() -> CODEC.decodeEnvelope(bytes)));
    }

    @Test
    void anUnpairedSurrogateInAGeneratedRecordIsRejectedByTheMapping() {
        AgentEventEnvelope raw = AgentEventEnvelope.newBuilder().setUserId("alice").setAtMs(1)
                .setEvent(new TurnStart("bad \uD800 text")).build();
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EnvelopeMapper.fromAvro(raw));
        assertTrue(e.getMessage().contains("user_message holds an unpaired surrogate U+D800"), e.getMessage());
    }

    @Test
    void encodingADecisionRefusesWhatAvroWouldSilentlyMangle() {
        DecisionRecord surrogate = Samples.decisionRecord(
                new Decision.ScopeDriftWarn(List.of("ok", "bad\uDC00"), 0.9, List.of("task")));
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> CODEC.encodeDecision(surrogate));
        assertTrue(e.getMessage().startsWith("drift_tokens holds an unpaired surrogate"), e.getMessage());

        DecisionRecord cycle = Samples.decisionRecord(new Decision.CircuitBreak(
                new BreakReason.ToolCallCycle(List.of("search", "x\uD800"), 3), "cycle"));
        e = assertThrows(InvalidEventException.class, () -> CODEC.encodeDecision(cycle));
        assertTrue(e.getMessage().startsWith("cycle holds an unpaired surrogate"), e.getMessage());

        DecisionRecord noDigest = Samples.decisionRecord(new Decision.CircuitBreak(
                new BreakReason.RepeatedIdenticalToolCall("search", null, 3), "identical"));
        assertEquals("arguments_digest is required (a string)",
                assertThrows(InvalidEventException.class, () -> CODEC.encodeDecision(noDigest)).getMessage());

        DecisionRecord noUser = new DecisionRecord(null, null, null, null, "cost", 0, 0, Decision.Continue.INSTANCE,
                null, Map.of());
        assertEquals("user_id is required (a string)",
                assertThrows(InvalidEventException.class, () -> CODEC.encodeDecision(noUser)).getMessage());

        DecisionRecord noDecision = new DecisionRecord("u", null, null, null, "cost", 0, 0, null, null, Map.of());
        assertEquals("decision is required",
                assertThrows(InvalidEventException.class, () -> CODEC.encodeDecision(noDecision)).getMessage());
    }

    private static void writeVarLong(ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }

}
