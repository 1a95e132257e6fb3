package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EnvelopeEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes one event in the conformance vectors' JSON shape:
 * {@code {"type":"turn_start","user_message":"..."}}. Reading is strict, like the reference's
 * deserialiser: integers must be unsigned JSON integer literals in range (no sign, fraction or
 * exponent), strings must be strings holding valid Unicode, booleans booleans; a repeated field or
 * an unknown {@code type} is an error. Unknown extra fields are ignored. Floating-point fields also
 * take the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
 */
public final class EventJson {
    private EventJson() {}

    /** Parses one event from JSON text. */
    public static AgentEvent parse(String json) {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            p.nextToken();
            AgentEvent event = read(p);
            if (p.nextToken() != null) {
                throw new InvalidEventException("unexpected content after the event object");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("event is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the event object whose {@code START_OBJECT} is the parser's current token, leaving the
     * parser on its {@code END_OBJECT}.
     */
    public static AgentEvent read(JsonParser p) throws IOException {
        return readFields(p).build();
    }

    /**
     * Like {@link #read} but also accepts the envelope-only {@code token_batch}:
     * {@code {"type":"token_batch","logprobs":[...]}}.
     */
    static EnvelopeEvent readEnvelopeEvent(JsonParser p) throws IOException {
        Fields f = readFields(p);
        if (EnvelopeEvent.TokenBatch.TYPE.equals(f.type)) {
            return new EnvelopeEvent.TokenBatch(f.req(f.logprobs, "logprobs"));
        }
        return new EnvelopeEvent.Single(f.build());
    }

    private static Fields readFields(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException("event must be a JSON object, got " + describe(p.currentToken()));
        }
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            f.read(name, p);
        }
        return f;
    }

    /** Mutable holder of the fields seen so far; which ones are required depends on {@code type}. */
    private static final class Fields {
        String type;
        String userMessage;
        String token;
        Double logprob;
        Long index;
        String fullResponse;
        Long tokensIn;
        Long tokensOut;
        Long wallclockMs;
        String provider;
        String correctionMessage;
        Boolean correctsLast;
        Double quality;
        List<AgentEvent.FragmentSpan> fragmentSpans;
        String toolName;
        String argsJson;
        Boolean success;
        Long durationMs;
        String errorSummary;
        double[] logprobs;

        /** One bit per known field, to reject a repeated field without a set per object. */
        private int seen;

        private void once(int bit, String name) {
            if ((seen & bit) != 0) {
                throw new InvalidEventException("duplicate field '" + name + "' in event");
            }
            seen |= bit;
        }

        void read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "type" -> { once(1, name); type = string(p, name); }
                case "user_message" -> { once(1 << 1, name); userMessage = string(p, name); }
                case "token" -> { once(1 << 2, name); token = string(p, name); }
                case "logprob" -> { once(1 << 3, name); logprob = floating(p, name); }
                case "index" -> { once(1 << 4, name); index = unsigned64(p, name); }
                case "full_response" -> { once(1 << 5, name); fullResponse = string(p, name); }
                case "tokens_in" -> { once(1 << 6, name); tokensIn = unsigned32(p, name); }
                case "tokens_out" -> { once(1 << 7, name); tokensOut = unsigned32(p, name); }
                case "wallclock_ms" -> { once(1 << 8, name); wallclockMs = unsigned32(p, name); }
                case "provider" -> { once(1 << 9, name); provider = nullableString(p, name); }
                case "correction_message" -> { once(1 << 10, name); correctionMessage = string(p, name); }
                case "corrects_last" -> { once(1 << 11, name); correctsLast = bool(p, name); }
                case "quality" -> { once(1 << 12, name); quality = floating(p, name); }
                case "fragment_spans" -> { once(1 << 13, name); fragmentSpans = spans(p, name); }
                case "tool_name" -> { once(1 << 14, name); toolName = string(p, name); }
                case "args_json" -> { once(1 << 15, name); argsJson = nullableString(p, name); }
                case "success" -> { once(1 << 16, name); success = bool(p, name); }
                case "duration_ms" -> { once(1 << 17, name); durationMs = unsigned64(p, name); }
                case "error_summary" -> { once(1 << 18, name); errorSummary = nullableString(p, name); }
                case "logprobs" -> { once(1 << 19, name); logprobs = floatingArray(p, name); }
                default -> p.skipChildren(); // unknown fields are ignored, like the reference
            }
        }

        AgentEvent build() {
            if (type == null) {
                throw new InvalidEventException("event has no 'type'");
            }
            return switch (type) {
                case "turn_start" -> new AgentEvent.TurnStart(req(userMessage, "user_message"));
                case "token" -> new AgentEvent.Token(req(token, "token"), req(logprob, "logprob"), req(index, "index"));
                case "turn_complete" -> new AgentEvent.TurnComplete(req(fullResponse, "full_response"));
                case "cost" -> new AgentEvent.Cost(req(tokensIn, "tokens_in"), req(tokensOut, "tokens_out"),
                        req(wallclockMs, "wallclock_ms"), provider);
                case "user_correction" -> new AgentEvent.UserCorrection(req(correctionMessage, "correction_message"),
                        req(correctsLast, "corrects_last"));
                case "quality_feedback" -> new AgentEvent.QualityFeedback(req(quality, "quality"), fragmentSpans);
                case "tool_call" -> new AgentEvent.ToolCall(req(toolName, "tool_name"), argsJson);
                case "tool_result" -> new AgentEvent.ToolResult(req(toolName, "tool_name"), req(success, "success"),
                        req(durationMs, "duration_ms"), errorSummary);
                default -> throw new InvalidEventException("unknown event type '" + type + "'; expected one of "
                        + AgentEvent.TYPES);
            };
        }

        <T> T req(T value, String field) {
            if (value == null) {
                throw new InvalidEventException(type + " event is missing required field '" + field + "'");
            }
            return value;
        }
    }

    // ---------------------------------------------------------------- typed field readers

    static String string(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidEventException("'" + field + "' must be a string, got " + describe(p.currentToken()));
        }
        return FieldChecks.requireValidText(p.getText(), field);
    }

    static String nullableString(JsonParser p, String field) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : string(p, field);
    }

    static boolean bool(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        throw new InvalidEventException("'" + field + "' must be a boolean, got " + describe(t));
    }

    /** A finite JSON number, or one of the strings NaN, Infinity, -Infinity. */
    static double floating(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default:
                    throw new InvalidEventException("'" + field + "' must be a number or \"NaN\"/\"Infinity\"/"
                            + "\"-Infinity\", got the string \"" + p.getText() + "\"");
            }
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidEventException("'" + field + "' must be a number, got " + describe(t));
        }
        double v = p.getDoubleValue();
        if (v == 0.0 && t == JsonToken.VALUE_NUMBER_INT && p.getTextCharacters()[p.getTextOffset()] == '-') {
            return -0.0; // the integer reading of "-0" loses the sign a float reading keeps
        }
        if (Double.isInfinite(v)) {
            throw new InvalidEventException("'" + field + "' is out of the range of a double: " + p.getText());
        }
        return v;
    }

    static double[] floatingArray(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidEventException("'" + field + "' must be an array of numbers, got " + describe(p.currentToken()));
        }
        double[] out = new double[16];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n] = floating(p, field + "[" + n + "]");
            n++;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** An unsigned integer literal up to 2^64-1, returned as the bits of a long. */
    static long unsigned64(JsonParser p, String field) throws IOException {
        requireUnsignedLiteral(p, field);
        if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        java.math.BigInteger v = p.getBigIntegerValue();
        if (v.bitLength() > 64) {
            throw new InvalidEventException("'" + field + "' must be at most 18446744073709551615, got " + v);
        }
        return v.longValue();
    }

    static long unsigned32(JsonParser p, String field) throws IOException {
        requireUnsignedLiteral(p, field);
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() > FieldChecks.U32_MAX) {
            throw new InvalidEventException("'" + field + "' must be at most " + FieldChecks.U32_MAX + ", got "
                    + p.getText());
        }
        return p.getLongValue();
    }

    /** An integer literal without a sign (so {@code -0} is rejected, as the reference does). */
    private static void requireUnsignedLiteral(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT) {
            String got = t == JsonToken.VALUE_NUMBER_FLOAT ? "the non-integer " + p.getText() : describe(t);
            throw new InvalidEventException("'" + field + "' must be a non-negative integer, got " + got);
        }
        if (p.getTextCharacters()[p.getTextOffset()] == '-') {
            throw new InvalidEventException("'" + field + "' must be a non-negative integer, got " + p.getText());
        }
    }

    private static List<AgentEvent.FragmentSpan> spans(JsonParser p, String field) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidEventException("'" + field + "' must be an array of [start, end] pairs or null");
        }
        List<AgentEvent.FragmentSpan> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw new InvalidEventException("each of '" + field + "' must be a [start, end] pair");
            }
            p.nextToken();
            long start = unsigned64(p, field + ".start");
            p.nextToken();
            long end = unsigned64(p, field + ".end");
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new InvalidEventException("each of '" + field + "' must be a [start, end] pair");
            }
            out.add(new AgentEvent.FragmentSpan(start, end));
        }
        return out;
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    // ---------------------------------------------------------------- writing

    /** The event as compact JSON in the vectors' shape, nullable fields written as null. */
    public static String toJson(AgentEvent event) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            write(event, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the event object with {@code g}. */
    public static void write(AgentEvent event, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", event.type());
        if (event instanceof AgentEvent.TurnStart e) {
            g.writeStringField("user_message", e.userMessage());
        } else if (event instanceof AgentEvent.Token e) {
            g.writeStringField("token", e.token());
            g.writeFieldName("logprob");
            writeDouble(g, e.logprob());
            g.writeFieldName("index");
            g.writeNumber(Long.toUnsignedString(e.index()));
        } else if (event instanceof AgentEvent.TurnComplete e) {
            g.writeStringField("full_response", e.fullResponse());
        } else if (event instanceof AgentEvent.Cost e) {
            g.writeNumberField("tokens_in", e.tokensIn());
            g.writeNumberField("tokens_out", e.tokensOut());
            g.writeNumberField("wallclock_ms", e.wallclockMs());
            g.writeStringField("provider", e.provider());
        } else if (event instanceof AgentEvent.UserCorrection e) {
            g.writeStringField("correction_message", e.correctionMessage());
            g.writeBooleanField("corrects_last", e.correctsLast());
        } else if (event instanceof AgentEvent.QualityFeedback e) {
            g.writeFieldName("quality");
            writeDouble(g, e.quality());
            g.writeFieldName("fragment_spans");
            if (e.fragmentSpans() == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (AgentEvent.FragmentSpan s : e.fragmentSpans()) {
                    g.writeStartArray();
                    g.writeNumber(Long.toUnsignedString(s.start()));
                    g.writeNumber(Long.toUnsignedString(s.end()));
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
        } else if (event instanceof AgentEvent.ToolCall e) {
            g.writeStringField("tool_name", e.toolName());
            g.writeStringField("args_json", e.argsJson());
        } else if (event instanceof AgentEvent.ToolResult e) {
            g.writeStringField("tool_name", e.toolName());
            g.writeBooleanField("success", e.success());
            g.writeFieldName("duration_ms");
            g.writeNumber(Long.toUnsignedString(e.durationMs()));
            g.writeStringField("error_summary", e.errorSummary());
        }
        g.writeEndObject();
    }

    /** A double as a JSON number, or the vectors' strings for NaN and infinities. */
    public static void writeDouble(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeString("NaN");
        } else if (Double.isInfinite(v)) {
            g.writeString(v > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumber(v);
        }
    }
}
