package io.noos.streams.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.testkit.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path must never disagree with the strict reader: whenever it returns an envelope, the
 * strict reader returns an equal one; whenever the strict reader refuses a record, the fast path
 * returns null. It must also actually take the envelopes producers usually write.
 */
class EnvelopeFastPathTest {

    private static final String[] TEXTS = {
            "", "plain words", "snake_case and CamelCase", "日本語のテキスト", "Ελληνικά ΣΊΣΥΦΟΣ", "emoji 🚀 ok",
            "tab\there", "quote \" inside", "back\\slash", "line\nbreak", "\u0000nul", "\u007f del", "é", "\uD83D\uDE00",
            "mixed ascii and ünïcödé", "🙂🙂🙂🙂", "﷽", "a".repeat(300)};
    private static final double[] NUMBERS = {
            0.0, -0.0, 1.0, -1.3542, 0.1, 1e-7, 123456.789, -2.2953, 1e22, 1e23, 9007199254740993.0, 5e-324,
            Double.MIN_NORMAL, Double.MAX_VALUE, 0.30000000000000004, -0.5, 1.7976931348623157e308, 2.5e-320};

    private static AgentEvent randomEvent(Random r) {
        String text = TEXTS[r.nextInt(TEXTS.length)];
        String optional = r.nextBoolean() ? null : TEXTS[r.nextInt(TEXTS.length)];
        double number = NUMBERS[r.nextInt(NUMBERS.length)];
        long small = r.nextInt(5) == 0 ? 0xFFFF_FFFFL : r.nextInt(100_000);
        return switch (r.nextInt(8)) {
            case 0 -> new AgentEvent.Token(text, number, r.nextInt(4) == 0 ? Long.MAX_VALUE : small);
            case 1 -> new AgentEvent.TurnStart(text);
            case 2 -> new AgentEvent.TurnComplete(text);
            case 3 -> new AgentEvent.Cost(small, r.nextInt(5000), r.nextInt(100), optional);
            case 4 -> new AgentEvent.UserCorrection(text, r.nextBoolean());
            case 5 -> new AgentEvent.QualityFeedback(number, r.nextInt(3) == 0
                    ? List.of(new AgentEvent.FragmentSpan(1, 4)) : null);
            case 6 -> new AgentEvent.ToolCall(text, optional);
            default -> new AgentEvent.ToolResult(text, r.nextBoolean(), small, optional);
        };
    }

    private static EventEnvelope randomEnvelope(Random r) {
        return new EventEnvelope(r.nextBoolean() ? null : "id-" + r.nextInt(1000), "user-" + r.nextInt(50),
                r.nextBoolean() ? null : "agent-" + TEXTS[r.nextInt(TEXTS.length)].replace('\u0000', 'x'),
                r.nextBoolean() ? null : "s" + r.nextInt(9), r.nextInt(3) == 0 ? r.nextInt(1000) : r.nextLong() >>> 20,
                new EnvelopeEvent.Single(randomEvent(r)));
    }

    /**
     * Asserts the two readers agree on {@code json}: the fast path returns what the strict reader
     * returns, or null; when it refuses a record itself, the strict reader refuses it with the same
     * reason. Returns the fast path's result (null also when it refused).
     */
    private static EventEnvelope assertAgree(byte[] json) {
        EventEnvelope fast;
        String fastRefusal = null;
        try {
            fast = EnvelopeFastPath.tryParse(json, 0, json.length, null);
        } catch (InvalidEventException refused) {
            fast = null;
            fastRefusal = refused.getMessage();
        }
        EventEnvelope strict;
        try {
            strict = EnvelopeJson.parseStrictly(json);
        } catch (InvalidEventException refused) {
            if (fast != null) {
                fail("fast path accepted what the strict reader refuses (" + refused.getMessage() + "): "
                        + new String(json, StandardCharsets.UTF_8));
            }
            if (fastRefusal != null) {
                assertEquals(refused.getMessage(), fastRefusal, () -> new String(json, StandardCharsets.UTF_8));
            }
            return null;
        }
        if (fastRefusal != null) {
            fail("fast path refused (" + fastRefusal + ") what the strict reader accepts: "
                    + new String(json, StandardCharsets.UTF_8));
        }
        if (fast != null) {
            assertEquals(strict, fast, () -> new String(json, StandardCharsets.UTF_8));
        }
        return fast;
    }

    /** The reason {@code read} refuses {@code json} with; fails when it accepts it. */
    private static String refusal(java.util.function.Function<byte[], EventEnvelope> read, byte[] json) {
        try {
            EventEnvelope accepted = read.apply(json);
            return fail("accepted as " + accepted);
        } catch (InvalidEventException refused) {
            return refused.getMessage();
        }
    }

    @Test
    void writtenEnvelopesReadTheSameAndMostTakeTheFastPath() {
        Random r = new Random(42);
        int plain = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] json = EnvelopeJson.toBytes(randomEnvelope(r));
            EventEnvelope fast = assertAgree(json);
            // Only escaped strings (quotes, backslashes, control characters), fragment spans and
            // literals over 15 significant digits may leave the fast path.
            String text = new String(json, StandardCharsets.UTF_8);
            if (!text.contains("\\") && !text.contains("fragment_spans\":[")) {
                plain++;
                assertNotNull(fast, text);
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(plain > 1000, "too few plain envelopes generated: " + plain);
    }

    @Test
    void mutatedEnvelopesNeverMakeTheReadersDisagree() {
        Random r = new Random(7);
        byte[] alphabet = "{}[]:,\"\\ -+.eE0123456789nulltruefalse\t\r\nxé".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 100_000; i++) {
            byte[] json = EnvelopeJson.toBytes(randomEnvelope(r));
            int mutations = 1 + r.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                json = mutate(json, r, alphabet);
            }
            assertAgree(json);
        }
    }

    private static byte[] mutate(byte[] json, Random r, byte[] alphabet) {
        if (json.length == 0) {
            return json;
        }
        int at = r.nextInt(json.length);
        byte insert = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
        return switch (r.nextInt(4)) {
            case 0 -> Bytes.concat(slice(json, 0, at), slice(json, at + 1, json.length));           // delete a byte
            case 1 -> Bytes.concat(slice(json, 0, at), new byte[]{insert}, slice(json, at, json.length)); // insert one
            case 2 -> {                                                                              // replace one
                byte[] copy = json.clone();
                copy[at] = insert;
                yield copy;
            }
            default -> {                                                                             // repeat a span
                int end = Math.min(json.length, at + 1 + r.nextInt(30));
                yield Bytes.concat(slice(json, 0, end), slice(json, at, end), slice(json, end, json.length));
            }
        };
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\" to\",\"logprob\":-1.342,\"index\":2}}",
            "{\"user_id\":\"u\",\"session_id\":\"s\",\"at_ms\":5,\"event\":{\"type\":\"turn_start\",\"user_message\":\"Fix the bug\"}}",
            " { \"at_ms\" : 7 , \"event\" : { \"index\" : 0 , \"logprob\" : -0 , \"token\" : \"x\" , \"type\" : \"token\" } , \"user_id\" : \"u\" } \r",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"cost\",\"tokens_in\":10,\"tokens_out\":20,\"wallclock_ms\":300}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"tool_result\",\"tool_name\":\"search\",\"success\":false,\"duration_ms\":12,\"error_summary\":null}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":0.12345678901234567,\"index\":0}}",
            "{\"user_id\":\"ユーザー\",\"agent_id\":null,\"at_ms\":1,\"event\":{\"type\":\"quality_feedback\",\"quality\":1.5e-3}}",
    })
    void plainEnvelopesTakeTheFastPath(String json) {
        assertNotNull(assertAgree(json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // valid, but outside the fast path: escapes, unknown or repeated fields, token batches, spans
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"say \\\"hi\\\"\"}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"trace\":{\"a\":[1]},\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token_batch\",\"logprobs\":[-1,-2]}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":\"NaN\",\"index\":0}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"quality_feedback\",\"quality\":0.5,\"fragment_spans\":[[0,2]]}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":-1,\"index\":0,\"extra\":1}}",
            // refused by both
            "{\"user_id\":\"u\",\"user_id\":\"v\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "{\"user_id\":\"\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "{\"user_id\":\"u\",\"at_ms\":1.0,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "{\"user_id\":\"u\",\"at_ms\":-5,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "{\"user_id\":\"u\",\"at_ms\":01,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":1e400,\"index\":0}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":-1.,\"index\":0}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":-1,\"index\":-1}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"cost\",\"tokens_in\":4294967296,\"tokens_out\":1,\"wallclock_ms\":1}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"x\",\"logprob\":-1}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"teleport\"}}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}} {}",
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"\\ud800\"}}",
            "{\"user_id\":\"u\",\"at_ms\":99999999999999999999,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}",
            "[1,2]", "", "   ", "{", "null",
    })
    void otherRecordsAreLeftToTheStrictReader(String json) {
        assertNull(assertAgree(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String BEFORE_MESSAGE =
            "{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"ab";
    private static final String AFTER_MESSAGE = "cd\"}}";

    private static byte[] withBytes(String before, byte[] bytes, String after) {
        return Bytes.concat(before.getBytes(StandardCharsets.UTF_8), bytes, after.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hex(String spaced) {
        return java.util.HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    /**
     * Bytes that are not well-formed UTF-8 (RFC 3629) in a string refuse the record in both readers,
     * with the same reason naming the problem and its byte offset in the record: the fast path gives
     * that verdict itself rather than leave it to the strict reader, which would otherwise decode
     * overlong forms and encoded surrogates without complaint.
     */
    @ParameterizedTest
    @CsvSource({
            "C0 AF,             overlong encoding",
            "C1 BF,             overlong encoding",
            "C0 80,             overlong encoding",
            "E0 80 AF,          overlong encoding",
            "F0 80 80 AF,       overlong encoding",
            "ED A0 80,          encoded surrogate (U+D800..U+DFFF)",
            "ED A0 BD ED B2 A9, encoded surrogate (U+D800..U+DFFF)",
            "F4 90 80 80,       code point above U+10FFFF",
            "F5 80 80 80,       code point above U+10FFFF",
            "FF,                byte that never occurs in UTF-8",
            "80,                continuation byte without a lead byte",
            "E2 82,             incomplete multi-byte sequence",
            "F0 9F 98,          incomplete multi-byte sequence",
    })
    void malformedUtf8IsRefusedByBothReadersAlike(String bytes, String problem) {
        byte[] json = withBytes(BEFORE_MESSAGE, hex(bytes), AFTER_MESSAGE);
        String reason = "not valid UTF-8: " + problem + " at byte " + BEFORE_MESSAGE.length();
        assertEquals(reason, refusal(EnvelopeJson::parseStrictly, json));
        assertEquals(reason, refusal(b -> EnvelopeFastPath.tryParse(b, 0, b.length, null), json));
        assertEquals(reason, refusal(EnvelopeJson::parse, json));
        assertNull(assertAgree(json));
    }

    /** Where the fast path does not read the bytes (a field it does not know), the strict reader still refuses. */
    @ParameterizedTest
    @CsvSource({
            "C0 AF,       overlong encoding",
            "E0 80 AF,    overlong encoding",
            "F0 80 80 AF, overlong encoding",
            "ED B0 80,    encoded surrogate (U+D800..U+DFFF)",
            "F4 90 80 80, code point above U+10FFFF",
    })
    void malformedUtf8OutsideTheFieldsTheFastPathReadsIsRefusedToo(String bytes, String problem) {
        String before = "{\"user_id\":\"u\",\"trace\":\"";
        byte[] inUnknownValue = withBytes(before, hex(bytes),
                "\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}");
        assertEquals("not valid UTF-8: " + problem + " at byte " + before.length(),
                refusal(EnvelopeJson::parse, inUnknownValue));
        assertNull(assertAgree(inUnknownValue));

        String beforeName = "{\"user_id\":\"u\",\"";
        byte[] inUnknownName = withBytes(beforeName, hex(bytes),
                "\":1,\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}");
        assertEquals("not valid UTF-8: " + problem + " at byte " + beforeName.length(),
                refusal(EnvelopeJson::parse, inUnknownName));
        assertNull(assertAgree(inUnknownName));
    }

    /** Ids are counted in bytes of UTF-8 (EventEnvelope.MAX_ID_BYTES); both readers apply the bound alike. */
    @ParameterizedTest
    @ValueSource(strings = {"event_id", "user_id", "agent_id", "session_id"})
    void idsOfAtMost1024BytesAreAcceptedAndLongerOnesRefusedByBoth(String field) {
        for (String id : List.of("a".repeat(1024), "é".repeat(512), "🚀".repeat(256))) {
            assertNotNull(assertAgree(withId(field, id)), field + " of 1024 bytes");
        }
        for (String id : List.of("a".repeat(1025), "é".repeat(513), "🚀".repeat(256) + "a")) {
            byte[] json = withId(field, id);
            assertEquals(field + " is " + id.getBytes(StandardCharsets.UTF_8).length
                    + " bytes of UTF-8; ids may have at most 1024", refusal(EnvelopeJson::parse, json));
            assertNull(assertAgree(json));
        }
    }

    private static byte[] withId(String field, String id) {
        String user = field.equals("user_id") ? id : "u";
        String other = field.equals("user_id") ? "" : ",\"" + field + "\":\"" + id + "\"";
        return ("{\"user_id\":\"" + user + "\"" + other
                + ",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wellFormedMultiByteCharactersAreAcceptedByBoth() {
        // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+1F600, U+10FFFF: the edges of table 3-7
        byte[] edges = hex("C2 80 DF BF E0 A0 80 ED 9F BF EE 80 80 EF BF BF F0 90 80 80 F0 9F 98 80 F4 8F BF BF");
        byte[] json = withBytes(BEFORE_MESSAGE, edges, AFTER_MESSAGE);
        EventEnvelope fast = assertAgree(json);
        assertNotNull(fast, "the fast path takes them");
        assertEquals(new AgentEvent.TurnStart("ab" + new String(edges, StandardCharsets.UTF_8) + "cd"),
                ((EnvelopeEvent.Single) fast.event()).event());
    }

    @Test
    void numbersAreReadExactly() {
        Random r = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
                case 1 -> Double.longBitsToDouble(r.nextLong());
                case 2 -> (double) r.nextInt(100_000) / 10_000;    // the short literals producers write
                default -> -r.nextInt(1_000_000) / Math.pow(10, r.nextInt(8));
            };
            if (!Double.isFinite(v)) {
                continue;
            }
            for (String literal : new String[]{Double.toString(v), String.format(java.util.Locale.ROOT, "%.6f", v),
                    new java.math.BigDecimal(v).toPlainString()}) {
                byte[] json = ("{\"user_id\":\"u\",\"at_ms\":1,\"event\":{\"type\":\"token\",\"token\":\"t\",\"logprob\":"
                        + literal + ",\"index\":0}}").getBytes(StandardCharsets.UTF_8);
                EventEnvelope fast = assertAgree(json);
                if (fast != null) {
                    double read = ((AgentEvent.Token) ((EnvelopeEvent.Single) fast.event()).event()).logprob();
                    assertEquals(Double.parseDouble(literal), read, 0.0, literal);
                }
            }
        }
    }
}
