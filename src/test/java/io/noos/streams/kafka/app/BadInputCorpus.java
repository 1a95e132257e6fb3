package io.noos.streams.kafka.app;

import io.noos.streams.avro.AvroCodec;
import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.Cost;
import io.noos.streams.avro.schema.TurnStart;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.testkit.TestEvent;
import io.noos.streams.testkit.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Records the service must dead-letter, one entry per kind of bad input: its name, the record key
 * and value as raw bytes, and the part of the dead-letter reason that says what is wrong (a field
 * name or the validation rule, taken from the validating code's messages). Every record sits in a
 * good user's partition where it can (keyed by that user, naming that user), so a bad record that
 * leaked into a user's state would change that user's decisions.
 */
final class BadInputCorpus {

    /** One kind of bad record. {@code key} and {@code value} may be null (a record without one). */
    record Kind(String name, byte[] key, byte[] value, String reasonFragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadInputCorpus() {}

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** An envelope naming {@code user} (keyed by it) with {@code event} as the raw event JSON. */
    private static String envelope(String user, String event) {
        return bad(user).json(event);
    }

    /** The envelope fields of {@code user}'s records in the corpus. */
    private static TestEvent bad(String user) {
        return TestEvent.user(user).id("bad-" + user).agent("agent-x").session("s1").at(RegulatorFlow.T0);
    }

    private static final class Builder {
        private final List<String> users;
        private final List<Kind> kinds = new ArrayList<>();

        Builder(List<String> users) {
            this.users = users;
        }

        /** The good user the next kind is filed under. */
        private String user() {
            return users.get(kinds.size() % users.size());
        }

        /** A kind keyed by the next good user, whose value is made from that user. */
        Builder userKind(String name, Function<String, String> value, String reason) {
            return userBytesKind(name, user -> utf8(value.apply(user)), reason);
        }

        Builder userBytesKind(String name, Function<String, byte[]> value, String reason) {
            String user = user();
            return raw(name, utf8(user), value.apply(user), reason);
        }

        /** A kind whose envelope names the next good user, around {@code event}. */
        Builder event(String name, String event, String reason) {
            return userKind(name, u -> envelope(u, event), reason);
        }

        Builder raw(String name, byte[] key, byte[] value, String reason) {
            kinds.add(new Kind(name, key, value, reason));
            return this;
        }

        List<Kind> build() {
            long distinct = kinds.stream().map(Kind::name).distinct().count();
            if (distinct != kinds.size()) {
                throw new IllegalStateException("kind names must be unique");
            }
            return List.copyOf(kinds);
        }
    }

    /** Bad records for a topic in JSON (the default {@code noos.input.format}), keyed among {@code users}. */
    static List<Kind> json(List<String> users) {
        String turnStart = "{\"type\":\"turn_start\",\"user_message\":\"refactor this\"}";
        String u = users.get(0);
        String valid = envelope(u, turnStart);
        return new Builder(users)
                // -- not JSON, not an object, not one value
                .userKind("invalid-json", x -> "{not json", "not valid JSON")
                .userKind("truncated-json", x -> envelope(x, turnStart).substring(0, 60), "not valid JSON")
                .raw("empty-value", utf8(u), new byte[0], "must be a JSON object")
                .raw("null-value", utf8(u), null, "record has no value")
                .userKind("json-array", x -> "[\"" + x + "\",1,2]", "envelope must be a JSON object, got an array")
                .userKind("json-string", x -> "\"" + x + "\"", "envelope must be a JSON object, got a string")
                .userKind("trailing-content", x -> envelope(x, turnStart) + " {}", "after the envelope")
                .raw("invalid-utf8", utf8(u), invalidUtf8(valid), "not valid UTF-8: byte that never occurs in UTF-8")
                // -- malformed UTF-8 (RFC 3629) the JSON reader would decode without complaint
                .userBytesKind("utf8-overlong-c0", x -> inMessage(x, 0xC0, 0xAF), "not valid UTF-8: overlong encoding at byte")
                .userBytesKind("utf8-overlong-c1", x -> inMessage(x, 0xC1, 0xBF), "not valid UTF-8: overlong encoding at byte")
                .userBytesKind("utf8-overlong-3-byte", x -> inMessage(x, 0xE0, 0x80, 0xAF),
                        "not valid UTF-8: overlong encoding at byte")
                .userBytesKind("utf8-overlong-4-byte", x -> inMessage(x, 0xF0, 0x80, 0x80, 0xAF),
                        "not valid UTF-8: overlong encoding at byte")
                .userBytesKind("utf8-above-u10ffff", x -> inMessage(x, 0xF4, 0x90, 0x80, 0x80),
                        "not valid UTF-8: code point above U+10FFFF at byte")
                .userBytesKind("utf8-encoded-surrogate", x -> inMessage(x, 0xED, 0xA0, 0x80),
                        "not valid UTF-8: encoded surrogate (U+D800..U+DFFF) at byte")
                .userBytesKind("utf8-encoded-surrogate-pair", x -> inMessage(x, 0xED, 0xA0, 0xBD, 0xED, 0xB2, 0xA9),
                        "not valid UTF-8: encoded surrogate (U+D800..U+DFFF) at byte")
                .userBytesKind("utf8-truncated-sequence", x -> inMessage(x, 0xE2, 0x82),
                        "not valid UTF-8: incomplete multi-byte sequence at byte")
                .userBytesKind("utf8-lone-continuation", x -> inMessage(x, 0x80),
                        "not valid UTF-8: continuation byte without a lead byte at byte")
                .userBytesKind("utf8-overlong-in-unknown-field", x -> withBytes("{\"user_id\":\"" + x + "\",\"trace\":\"",
                        new int[] {0xC0, 0xAF}, "\",\"at_ms\":1,\"event\":" + turnStart + "}"),
                        "not valid UTF-8: overlong encoding at byte")
                .userKind("bare-nan", x -> envelope(x, "{\"type\":\"token\",\"token\":\"t\",\"logprob\":NaN,\"index\":0}"),
                        "not valid JSON")
                .userKind("deep-nesting", x -> "{\"user_id\":\"" + x + "\",\"extra\":" + "[".repeat(5_000) + "]".repeat(5_000)
                        + ",\"at_ms\":1,\"event\":" + turnStart + "}", "nesting depth")
                .userKind("huge-truncated", x -> "{\"user_id\":\"" + x + "\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\","
                        + "\"user_message\":\"" + "lorem ipsum ".repeat(75_000), "not valid JSON")
                .userBytesKind("avro-on-json-topic", x -> new AvroCodec().encodeEnvelope(goodEnvelope(x)),
                        "Avro single-object record on a JSON topic")
                // -- envelope fields
                .userKind("missing-user-id", x -> "{\"at_ms\":1,\"event\":" + turnStart + "}", "user_id is missing or empty")
                .userKind("empty-user-id", x -> "{\"user_id\":\"\",\"at_ms\":1,\"event\":" + turnStart + "}",
                        "user_id is missing or empty")
                .userKind("user-id-not-a-string", x -> "{\"user_id\":42,\"at_ms\":1,\"event\":" + turnStart + "}",
                        "'user_id' must be a string")
                .userKind("user-id-unpaired-surrogate", x -> "{\"user_id\":\"" + x + "\\ud800\",\"at_ms\":1,\"event\":"
                        + turnStart + "}", "user_id holds an unpaired surrogate")
                .userKind("duplicate-user-id", x -> "{\"user_id\":\"" + x + "\",\"user_id\":\"" + x + "\",\"at_ms\":1,"
                        + "\"event\":" + turnStart + "}", "duplicate field 'user_id'")
                .userKind("missing-at-ms", x -> "{\"user_id\":\"" + x + "\",\"event\":" + turnStart + "}", "at_ms is required")
                .userKind("at-ms-not-an-integer", x -> "{\"user_id\":\"" + x + "\",\"at_ms\":\"soon\",\"event\":"
                        + turnStart + "}", "'at_ms' must be an integer")
                .userKind("at-ms-overflow", x -> "{\"user_id\":\"" + x + "\",\"at_ms\":99999999999999999999,\"event\":"
                        + turnStart + "}", "'at_ms' is out of range")
                .userKind("missing-event", x -> "{\"user_id\":\"" + x + "\",\"at_ms\":1}", "event is required")
                .event("event-not-an-object", "\"turn_start\"", "event must be a JSON object")
                // -- event types and fields
                .event("unknown-event-type", "{\"type\":\"teleport\"}", "unknown event type 'teleport'")
                .event("missing-event-type", "{\"user_message\":\"hi\"}", "event has no 'type'")
                .event("missing-required-field", "{\"type\":\"turn_start\"}", "missing required field 'user_message'")
                .event("string-mistyped", "{\"type\":\"turn_start\",\"user_message\":42}", "'user_message' must be a string")
                .event("boolean-mistyped", "{\"type\":\"user_correction\",\"correction_message\":\"no\","
                        + "\"corrects_last\":\"yes\"}", "'corrects_last' must be a boolean")
                .event("number-mistyped", "{\"type\":\"quality_feedback\",\"quality\":\"high\"}", "'quality' must be a number")
                .event("negative-integer", "{\"type\":\"cost\",\"tokens_in\":-5,\"tokens_out\":1,\"wallclock_ms\":1}",
                        "'tokens_in' must be a non-negative integer")
                .event("u32-overflow", "{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":4294967296,\"wallclock_ms\":1}",
                        "'tokens_out' must be at most 4294967295")
                .event("u64-overflow", "{\"type\":\"token\",\"token\":\"t\",\"logprob\":-0.1,"
                        + "\"index\":18446744073709551616}", "'index' must be at most 18446744073709551615")
                .event("fractional-integer", "{\"type\":\"tool_result\",\"tool_name\":\"search\",\"success\":true,"
                        + "\"duration_ms\":1.5}", "'duration_ms' must be a non-negative integer")
                .event("double-overflow", "{\"type\":\"token\",\"token\":\"t\",\"logprob\":1e400,\"index\":0}",
                        "'logprob' is out of the range of a double")
                .event("unpaired-surrogate", "{\"type\":\"turn_complete\",\"full_response\":\"ok \\udc00 then\"}",
                        "full_response holds an unpaired surrogate")
                .event("duplicate-event-field", "{\"type\":\"turn_start\",\"type\":\"turn_start\",\"user_message\":\"x\"}",
                        "duplicate field 'type' in event")
                .event("token-batch-without-logprobs", "{\"type\":\"token_batch\"}", "missing required field 'logprobs'")
                .event("token-batch-logprobs-not-an-array", "{\"type\":\"token_batch\",\"logprobs\":-0.5}",
                        "'logprobs' must be an array of numbers")
                .event("fragment-spans-malformed", "{\"type\":\"quality_feedback\",\"quality\":0.5,"
                        + "\"fragment_spans\":[[1,2,3]]}", "'fragment_spans' must be a [start, end] pair")
                // -- keys
                .raw("key-user-mismatch", utf8(users.get(1)), utf8(valid), "does not match user_id")
                .raw("null-key", null, utf8(valid), "record key is missing")
                .raw("key-invalid-utf8", new byte[] {(byte) 0xC3, (byte) 0x28}, utf8(valid),
                        "record key is not valid UTF-8: incomplete multi-byte sequence at byte 0")
                .raw("key-overlong-utf8", withBytes(u, new int[] {0xC0, 0xAF}, ""), utf8(valid),
                        "record key is not valid UTF-8: overlong encoding at byte " + utf8(u).length)
                // -- ids beyond their bound
                .userKind("agent-id-too-long", x -> envelope(x, turnStart).replace("\"agent-x\"",
                        "\"" + "a".repeat(EventEnvelope.MAX_ID_BYTES + 1) + "\""),
                        "agent_id is " + (EventEnvelope.MAX_ID_BYTES + 1) + " bytes of UTF-8; ids may have at most "
                                + EventEnvelope.MAX_ID_BYTES)
                .build();
    }

    /** Bad records for a topic in Avro ({@code noos.input.format=avro}), keyed among {@code users}. */
    static List<Kind> avro(List<String> users) {
        AvroCodec codec = new AvroCodec();
        String u = users.get(0);
        byte[] valid = codec.encodeEnvelope(goodEnvelope(u));
        byte[] wrongFingerprint = valid.clone();
        Arrays.fill(wrongFingerprint, 2, 10, (byte) 0x5A);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        byte[] badUtf8 = valid.clone();
        int at = Bytes.indexOf(badUtf8, utf8("refactor"));
        badUtf8[at] = (byte) 0xED;   // ED A0 80: a surrogate encoded as if it were a character
        badUtf8[at + 1] = (byte) 0xA0;
        badUtf8[at + 2] = (byte) 0x80;
        byte[] overlongUtf8 = valid.clone();
        overlongUtf8[at] = (byte) 0xC0;   // C0 AF: '/' in two bytes
        overlongUtf8[at + 1] = (byte) 0xAF;
        byte[] decision = codec.encodeDecision(new DecisionRecord(u, null, null, "e1", "turn_start", 1, 1,
                io.noos.streams.core.Decision.Continue.INSTANCE, null, Map.of()));
        return new Builder(users)
                .raw("avro-truncated-header", utf8(u), Arrays.copyOf(valid, 5), "truncated single-object header")
                .raw("avro-truncated-body", utf8(u), Arrays.copyOf(valid, valid.length - 4),
                        "malformed or truncated AgentEventEnvelope body")
                .raw("avro-wrong-fingerprint", utf8(u), wrongFingerprint, "unknown schema fingerprint")
                .raw("avro-forged-length", utf8(u), forgedLength(valid), "bytes are available")
                .raw("avro-trailing-bytes", utf8(u), trailing, "3 unexpected byte(s) after the record")
                .raw("avro-invalid-utf8", utf8(u), badUtf8,
                        "user_message is not valid UTF-8: encoded surrogate (U+D800..U+DFFF) at byte 0 of the string")
                .raw("avro-overlong-utf8", utf8(u), overlongUtf8, "user_message is not valid UTF-8: overlong encoding at byte 0 of the string")
                .raw("avro-decision-record", utf8(u), decision, "unknown schema fingerprint")
                .raw("json-on-avro-topic", utf8(u), EnvelopeJson.toBytes(goodEnvelope(u)), "expected magic C3 01")
                .raw("avro-null-value", utf8(u), null, "record has no value")
                .raw("avro-u32-overflow", utf8(u), generated(AgentEventEnvelope.newBuilder().setUserId(u).setAtMs(1)
                        .setEvent(new Cost(4_294_967_296L, 1L, 1L, null)).build()), "tokens_in must be an integer in 0..4294967295")
                .raw("avro-empty-user-id", utf8(u), generated(AgentEventEnvelope.newBuilder().setUserId("").setAtMs(1)
                        .setEvent(new TurnStart("hi")).build()), "user_id must not be empty")
                .raw("avro-key-user-mismatch", utf8(users.get(1)), valid, "does not match user_id")
                .raw("avro-key-invalid-utf8", withBytes(u, new int[] {0xED, 0xA0, 0x80}, ""), valid,
                        "record key is not valid UTF-8: encoded surrogate")
                .build();
    }

    /** A valid turn_start envelope of {@code user}. */
    private static EventEnvelope goodEnvelope(String user) {
        return bad(user).of(new AgentEvent.TurnStart("refactor the payment client"));
    }

    /** A turn_start envelope of {@code user} whose message holds {@code bytes} between two words. */
    private static byte[] inMessage(String user, int... bytes) {
        String json = envelope(user, "{\"type\":\"turn_start\",\"user_message\":\"refactor @ this\"}");
        int at = json.indexOf('@');
        return withBytes(json.substring(0, at), bytes, json.substring(at + 1));
    }

    private static byte[] withBytes(String before, int[] bytes, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        for (int b : bytes) {
            out.write(b);
        }
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    /** {@code json} with the first string value's first character replaced by an invalid UTF-8 byte. */
    private static byte[] invalidUtf8(String json) {
        byte[] bytes = utf8(json);
        int at = json.indexOf("\":\"") + 3;
        bytes[at] = (byte) 0xFF;
        return bytes;
    }

    /** The header of {@code valid}, then event_id null and a user_id claiming 2 GB. */
    private static byte[] forgedLength(byte[] valid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(valid, 10));
        out.write(0);                                 // event_id: union branch 0 (null)
        long n = 2_000_000_000L << 1;                 // user_id length, zig-zag
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        out.writeBytes(utf8("alice"));
        return out.toByteArray();
    }

    /** A generated record encoded as is: the service's mapping, not Avro, must reject its values. */
    private static byte[] generated(AgentEventEnvelope record) {
        try {
            return AgentEventEnvelope.getEncoder().encode(record).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
