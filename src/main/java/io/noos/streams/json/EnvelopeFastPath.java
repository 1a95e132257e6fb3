package io.noos.streams.json;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.nio.charset.StandardCharsets;

/**
 * A single-pass reader for the envelopes producers usually write, tried before the strict Jackson
 * reader of {@link EnvelopeJson} because most of a replay's or the service's time would otherwise go
 * into general JSON parsing.
 *
 * <p>It accepts only what it can read with certainty: a single object with the known envelope
 * fields, each at most once; an event object with one of the eight event types and only that
 * type's fields; strings of well-formed UTF-8 without escapes; integers without fraction or
 * exponent and at most 18 digits; finite numbers. On anything else (an escape, an unknown or
 * repeated field, a bad value, a missing field, a token batch, trailing content) it returns null
 * and the strict reader gives the verdict and the reason, so the two readers never disagree: a
 * record either yields the same envelope from both, or comes back null here. The one verdict it
 * gives itself is the strict reader's too: a string that is not well-formed UTF-8 refuses the
 * record with the reason of {@link Utf8#requireWellFormed} over the whole record.
 */
final class EnvelopeFastPath {
    private static final int EVENT_ID = 1;
    private static final int USER_ID = 1 << 1;
    private static final int AGENT_ID = 1 << 2;
    private static final int SESSION_ID = 1 << 3;
    private static final int AT_MS = 1 << 4;
    private static final int EVENT = 1 << 5;

    // Field names as bytes, compared with one intrinsic call each.
    private static final byte[] N_AGENT_ID = ascii("agent_id");
    private static final byte[] N_ARGS_JSON = ascii("args_json");
    private static final byte[] N_AT_MS = ascii("at_ms");
    private static final byte[] N_CORRECTION_MESSAGE = ascii("correction_message");
    private static final byte[] N_CORRECTS_LAST = ascii("corrects_last");
    private static final byte[] N_DURATION_MS = ascii("duration_ms");
    private static final byte[] N_ERROR_SUMMARY = ascii("error_summary");
    private static final byte[] N_EVENT = ascii("event");
    private static final byte[] N_EVENT_ID = ascii("event_id");
    private static final byte[] N_FRAGMENT_SPANS = ascii("fragment_spans");
    private static final byte[] N_FULL_RESPONSE = ascii("full_response");
    private static final byte[] N_INDEX = ascii("index");
    private static final byte[] N_LOGPROB = ascii("logprob");
    private static final byte[] N_PROVIDER = ascii("provider");
    private static final byte[] N_QUALITY = ascii("quality");
    private static final byte[] N_SESSION_ID = ascii("session_id");
    private static final byte[] N_SUCCESS = ascii("success");
    private static final byte[] N_TOKEN = ascii("token");
    private static final byte[] N_TOKENS_IN = ascii("tokens_in");
    private static final byte[] N_TOKENS_OUT = ascii("tokens_out");
    private static final byte[] N_TOOL_NAME = ascii("tool_name");
    private static final byte[] N_TYPE = ascii("type");
    private static final byte[] N_USER_ID = ascii("user_id");
    private static final byte[] N_USER_MESSAGE = ascii("user_message");
    private static final byte[] N_WALLCLOCK_MS = ascii("wallclock_ms");

    /** Powers of ten a double holds exactly (Clinger's fast path). */
    private static final double[] POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** Longer literals are left to the strict reader, which enforces Jackson's length limits. */
    private static final int MAX_NUMBER_LENGTH = 100;
    private static final int MAX_STRING_BYTES = 1 << 20;

    private final byte[] b;
    private final int end;
    private int pos;
    /** Set when the record is outside what this reader accepts. */
    private boolean declined;
    /** Set when a string holds bytes that are not well-formed UTF-8: the record is refused. */
    private boolean malformedUtf8;

    private EnvelopeFastPath(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    /**
     * The envelope in {@code b[from, to)}, its event id {@code defaultEventId} when it has none (may
     * be null), or null when the strict reader must decide.
     *
     * @throws InvalidEventException when a string is not well-formed UTF-8 (as the strict reader would)
     */
    static EventEnvelope tryParse(byte[] b, int from, int to, String defaultEventId) {
        EnvelopeFastPath r = new EnvelopeFastPath(b, from, to);
        EventEnvelope envelope;
        try {
            envelope = r.envelope(defaultEventId);
        } catch (InvalidEventException e) {
            return null;   // a value the event's own checks refuse: the strict reader words the reason
        }
        if (r.malformedUtf8) {
            Utf8.requireWellFormed(b, from, to);   // throws: the bytes before the string were well-formed
        }
        return r.declined ? null : envelope;
    }

    private EventEnvelope envelope(String defaultEventId) {
        skipWhitespace();
        if (!take('{')) {
            return decline();
        }
        String eventId = null;
        String userId = null;
        String agentId = null;
        String sessionId = null;
        long atMs = 0;
        AgentEvent event = null;
        int seen = 0;
        skipWhitespace();
        if (!take('}')) {
            do {
                skipWhitespace();
                int bit = envelopeField();
                if (bit == 0 || (seen & bit) != 0 || !colon()) {
                    return decline();
                }
                seen |= bit;
                switch (bit) {
                    case EVENT_ID -> eventId = nullableString();
                    case USER_ID -> userId = nullableString();
                    case AGENT_ID -> agentId = nullableString();
                    case SESSION_ID -> sessionId = nullableString();
                    case AT_MS -> atMs = integer(true);
                    default -> event = event();
                }
                if (declined) {
                    return null;
                }
                skipWhitespace();
            } while (take(','));
            if (!take('}')) {
                return decline();
            }
        }
        skipWhitespace();
        if (pos != end || userId == null || userId.isEmpty() || (seen & AT_MS) == 0 || event == null) {
            return decline();
        }
        return new EventEnvelope(eventId == null ? defaultEventId : eventId, userId, agentId, sessionId, atMs,
                new EnvelopeEvent.Single(event));
    }

    /** The bit of the envelope field name at {@code pos} (0: unknown, escaped or malformed). */
    private int envelopeField() {
        int start = nameStart();
        if (start < 0) {
            return 0;
        }
        int len = pos - 1 - start;
        if (is(start, len, N_USER_ID)) return USER_ID;
        if (is(start, len, N_AT_MS)) return AT_MS;
        if (is(start, len, N_EVENT)) return EVENT;
        if (is(start, len, N_SESSION_ID)) return SESSION_ID;
        if (is(start, len, N_AGENT_ID)) return AGENT_ID;
        if (is(start, len, N_EVENT_ID)) return EVENT_ID;
        return 0;
    }

    // ------------------------------------------------------------------ the event object

    private static final int TYPE = 1;
    private static final int USER_MESSAGE = 1 << 1;
    private static final int TOKEN = 1 << 2;
    private static final int LOGPROB = 1 << 3;
    private static final int INDEX = 1 << 4;
    private static final int FULL_RESPONSE = 1 << 5;
    private static final int TOKENS_IN = 1 << 6;
    private static final int TOKENS_OUT = 1 << 7;
    private static final int WALLCLOCK_MS = 1 << 8;
    private static final int PROVIDER = 1 << 9;
    private static final int CORRECTION_MESSAGE = 1 << 10;
    private static final int CORRECTS_LAST = 1 << 11;
    private static final int QUALITY = 1 << 12;
    private static final int TOOL_NAME = 1 << 13;
    private static final int ARGS_JSON = 1 << 14;
    private static final int SUCCESS = 1 << 15;
    private static final int DURATION_MS = 1 << 16;
    private static final int ERROR_SUMMARY = 1 << 17;
    private static final int FRAGMENT_SPANS = 1 << 18;

    private AgentEvent event() {
        if (!take('{')) {
            return decline();
        }
        String type = null;
        String text = null;          // user_message, token, full_response, correction_message or tool_name
        String optionalText = null;  // provider, args_json or error_summary
        double number = 0;           // logprob or quality
        long first = 0;              // index, tokens_in or duration_ms
        long second = 0;             // tokens_out
        long third = 0;              // wallclock_ms
        boolean flag = false;        // corrects_last or success
        int seen = 0;
        skipWhitespace();
        if (take('}')) {
            return decline();
        }
        do {
            skipWhitespace();
            int bit = eventField();
            if (bit == 0 || (seen & bit) != 0 || !colon()) {
                return decline();
            }
            seen |= bit;
            switch (bit) {
                case TYPE -> type = string();
                case USER_MESSAGE, TOKEN, FULL_RESPONSE, CORRECTION_MESSAGE, TOOL_NAME -> text = string();
                case PROVIDER, ARGS_JSON, ERROR_SUMMARY -> optionalText = nullableString();
                case LOGPROB, QUALITY -> number = finiteNumber();
                case FRAGMENT_SPANS -> nullLiteral();   // spans themselves are left to the strict reader
                case INDEX, DURATION_MS -> first = integer(false);
                case TOKENS_IN -> first = unsigned32();
                case TOKENS_OUT -> second = unsigned32();
                case WALLCLOCK_MS -> third = unsigned32();
                default -> flag = bool();   // CORRECTS_LAST, SUCCESS
            }
            if (declined) {
                return null;
            }
            skipWhitespace();
        } while (take(','));
        if (!take('}') || type == null) {
            return decline();
        }
        // Exactly the type's fields, so no value is ignored or mistaken for another field's.
        return switch (type) {
            case "token" -> seen == (TYPE | TOKEN | LOGPROB | INDEX)
                    ? new AgentEvent.Token(text, number, first) : decline();
            case "turn_start" -> seen == (TYPE | USER_MESSAGE) ? new AgentEvent.TurnStart(text) : decline();
            case "turn_complete" -> seen == (TYPE | FULL_RESPONSE) ? new AgentEvent.TurnComplete(text) : decline();
            case "cost" -> (seen | PROVIDER) == (TYPE | TOKENS_IN | TOKENS_OUT | WALLCLOCK_MS | PROVIDER)
                    ? new AgentEvent.Cost(first, second, third, optionalText) : decline();
            case "user_correction" -> seen == (TYPE | CORRECTION_MESSAGE | CORRECTS_LAST)
                    ? new AgentEvent.UserCorrection(text, flag) : decline();
            case "quality_feedback" -> (seen | FRAGMENT_SPANS) == (TYPE | QUALITY | FRAGMENT_SPANS)
                    ? new AgentEvent.QualityFeedback(number, null) : decline();
            case "tool_call" -> (seen | ARGS_JSON) == (TYPE | TOOL_NAME | ARGS_JSON)
                    ? new AgentEvent.ToolCall(text, optionalText) : decline();
            case "tool_result" -> (seen | ERROR_SUMMARY) == (TYPE | TOOL_NAME | SUCCESS | DURATION_MS | ERROR_SUMMARY)
                    ? new AgentEvent.ToolResult(text, flag, first, optionalText) : decline();
            default -> decline();
        };
    }

    private int eventField() {
        int start = nameStart();
        if (start < 0) {
            return 0;
        }
        int len = pos - 1 - start;
        return switch (len) {
            case 4 -> is(start, len, N_TYPE) ? TYPE : 0;
            case 5 -> is(start, len, N_TOKEN) ? TOKEN : is(start, len, N_INDEX) ? INDEX : 0;
            case 7 -> is(start, len, N_LOGPROB) ? LOGPROB : is(start, len, N_QUALITY) ? QUALITY
                    : is(start, len, N_SUCCESS) ? SUCCESS : 0;
            case 8 -> is(start, len, N_PROVIDER) ? PROVIDER : 0;
            case 9 -> is(start, len, N_TOKENS_IN) ? TOKENS_IN : is(start, len, N_TOOL_NAME) ? TOOL_NAME
                    : is(start, len, N_ARGS_JSON) ? ARGS_JSON : 0;
            case 10 -> is(start, len, N_TOKENS_OUT) ? TOKENS_OUT : 0;
            case 11 -> is(start, len, N_DURATION_MS) ? DURATION_MS : 0;
            case 12 -> is(start, len, N_USER_MESSAGE) ? USER_MESSAGE : is(start, len, N_WALLCLOCK_MS) ? WALLCLOCK_MS : 0;
            case 13 -> is(start, len, N_FULL_RESPONSE) ? FULL_RESPONSE : is(start, len, N_CORRECTS_LAST) ? CORRECTS_LAST
                    : is(start, len, N_ERROR_SUMMARY) ? ERROR_SUMMARY : 0;
            case 14 -> is(start, len, N_FRAGMENT_SPANS) ? FRAGMENT_SPANS : 0;
            case 18 -> is(start, len, N_CORRECTION_MESSAGE) ? CORRECTION_MESSAGE : 0;
            default -> 0;
        };
    }

    // ------------------------------------------------------------------ values

    /**
     * Reads a field name made of printable ASCII without escapes, leaving {@code pos} after its
     * closing quote; returns the index of its first byte, or -1.
     */
    private int nameStart() {
        if (!take('"')) {
            return -1;
        }
        int start = pos;
        while (pos < end) {
            byte c = b[pos++];
            if (c == '"') {
                return start;
            }
            if (c < 0x20 || c == '\\') {   // negative bytes (non-ASCII) are caught too
                return -1;
            }
        }
        return -1;
    }

    private boolean is(int start, int len, byte[] name) {
        return java.util.Arrays.equals(b, start, start + len, name, 0, name.length);
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private boolean colon() {
        skipWhitespace();
        if (!take(':')) {
            return false;
        }
        skipWhitespace();
        return true;
    }

    private String nullableString() {
        return isNull() ? null : string();
    }

    private void nullLiteral() {
        if (!isNull()) {
            decline();
        }
    }

    /** Steps over a {@code null} literal when there is one. */
    private boolean isNull() {
        if (pos + 4 <= end && b[pos] == 'n' && b[pos + 1] == 'u' && b[pos + 2] == 'l' && b[pos + 3] == 'l') {
            pos += 4;
            return true;
        }
        return false;
    }

    /** A string of well-formed UTF-8 without escapes or control characters. */
    private String string() {
        if (!take('"')) {
            return decline();
        }
        int start = pos;
        boolean ascii = true;
        int hash = 0;
        while (pos < end) {
            int c = b[pos];
            if (c == '"') {
                if (pos - start > MAX_STRING_BYTES) {
                    return decline();
                }
                String s = ascii && pos - start <= RepeatedStrings.MAX_LENGTH
                        ? RepeatedStrings.ascii(b, start, pos, hash)
                        : new String(b, start, pos - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
                pos++;
                return s;
            }
            if (c >= 0x20 && c != '\\') {
                hash = 31 * hash + c;
                pos++;
            } else if (c >= 0) {
                return decline();   // an escape or a control character
            } else if (utf8Sequence()) {
                ascii = false;
            } else {
                malformedUtf8 = true;
                return decline();
            }
        }
        return decline();
    }

    /** Steps over the well-formed UTF-8 sequence at {@code pos}; false when there is none. */
    private boolean utf8Sequence() {
        int n = Utf8.sequenceLength(b, pos, end);
        if (n < 0) {
            return false;
        }
        pos += n;
        return true;
    }

    private boolean bool() {
        if (pos + 4 <= end && b[pos] == 't' && b[pos + 1] == 'r' && b[pos + 2] == 'u' && b[pos + 3] == 'e') {
            pos += 4;
            return true;
        }
        if (pos + 5 <= end && b[pos] == 'f' && b[pos + 1] == 'a' && b[pos + 2] == 'l' && b[pos + 3] == 's'
                && b[pos + 4] == 'e') {
            pos += 5;
            return false;
        }
        decline();
        return false;
    }

    private long unsigned32() {
        long v = integer(false);
        if (v > 0xFFFF_FFFFL) {
            decline();
        }
        return v;
    }

    /**
     * A JSON integer: signed 64-bit where {@code signed}, else unsigned 64-bit (its bits in a long),
     * as the strict reader takes them.
     */
    private long integer(boolean signed) {
        int literalStart = pos;
        boolean negative = signed && take('-');
        int start = pos;
        long v = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos++] - '0');
        }
        int digits = pos - start;
        if (digits == 0 || (digits > 1 && b[start] == '0') || continuesNumber()) {
            decline();
            return 0;
        }
        if (digits > 18) {   // may overflow: the library checks the range
            if (digits > 20) {
                decline();
                return 0;
            }
            String literal = new String(b, literalStart, pos - literalStart, StandardCharsets.ISO_8859_1);
            try {
                return signed ? Long.parseLong(literal) : Long.parseUnsignedLong(literal);
            } catch (NumberFormatException outOfRange) {
                decline();
                return 0;
            }
        }
        return negative ? -v : v;
    }

    /** True when a fraction or exponent follows, which an integer field must not have. */
    private boolean continuesNumber() {
        return pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E');
    }

    /**
     * A finite JSON number. Up to 15 significant digits with a small exponent it is computed exactly
     * (both operands are exact doubles, so one multiplication or division rounds correctly);
     * otherwise {@link Double#parseDouble} reads the literal.
     */
    private double finiteNumber() {
        int start = pos;
        boolean negative = take('-');
        long mantissa = 0;
        int digits = 0;
        int intStart = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            mantissa = mantissa * 10 + (b[pos++] - '0');
            digits++;
        }
        if (digits == 0 || (digits > 1 && b[intStart] == '0')) {
            return declineNumber();
        }
        int scale = 0;
        if (pos < end && b[pos] == '.') {
            pos++;
            int fracStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                mantissa = mantissa * 10 + (b[pos++] - '0');
                digits++;
            }
            scale = pos - fracStart;
            if (scale == 0) {
                return declineNumber();
            }
        }
        int exponent = 0;
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            boolean negativeExponent = false;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                negativeExponent = b[pos++] == '-';
            }
            int expStart = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9' && pos - expStart < 6) {
                exponent = exponent * 10 + (b[pos++] - '0');
            }
            if (pos == expStart || (pos < end && b[pos] >= '0' && b[pos] <= '9')) {
                return declineNumber();
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            return declineNumber();
        }
        int power = exponent - scale;
        double v;
        if (digits <= 15 && power >= -22 && power <= 22) {
            v = power >= 0 ? mantissa * POWERS_OF_TEN[power] : mantissa / POWERS_OF_TEN[-power];
        } else {
            v = Double.parseDouble(new String(b, start + (negative ? 1 : 0), pos - start - (negative ? 1 : 0),
                    StandardCharsets.ISO_8859_1));
        }
        if (Double.isInfinite(v)) {
            return declineNumber();
        }
        return negative ? -v : v;
    }

    private double declineNumber() {
        decline();
        return 0;
    }

    private boolean take(char c) {
        if (pos < end && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private <T> T decline() {
        declined = true;
        return null;
    }
}
