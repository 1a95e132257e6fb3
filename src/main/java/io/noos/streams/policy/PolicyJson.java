package io.noos.streams.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.Utf8;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A policy value as JSON: {@code {"cost_cap": 5000, "scope_drift_threshold": 0.7,
 * "implicit_correction_window_ms": 500}}. Every field is optional; an absent field is inherited
 * from the next layer, {@code "implicit_correction_window_ms": null} turns implicit corrections off.
 * {@code "detectors": {"tool_call_cycle": {"enabled": true, "repetitions": 2}}} sets opt-in detector
 * values, each inherited on its own when absent. {@code "halt": {"reason": "incident 42", "since_ms":
 * 1767225600000}} (both inside optional, {@code {}} too) is the operator's kill switch
 * ({@link Policy.Halt}).
 * Strict: an unknown or repeated field, a value of the wrong type or out of range, or anything but
 * one object is an {@link InvalidPolicyException} naming the field and the accepted values.
 */
public final class PolicyJson {
    public static final String COST_CAP = "cost_cap";
    public static final String SCOPE_DRIFT_THRESHOLD = "scope_drift_threshold";
    public static final String IMPLICIT_WINDOW = "implicit_correction_window_ms";
    public static final String DETECTORS = "detectors";
    public static final String HALT = "halt";
    public static final String HALT_REASON = "reason";
    public static final String HALT_SINCE = "since_ms";
    private static final String FIELDS = COST_CAP + ", " + SCOPE_DRIFT_THRESHOLD + ", " + IMPLICIT_WINDOW + ", "
            + DETECTORS + ", " + HALT;

    private PolicyJson() {}

    public static Policy parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Policy parse(byte[] json) {
        return parse(json, DetectorRegistry.BUILT_IN);
    }

    /** A policy whose detector values are checked against {@code detectors}. */
    public static Policy parse(byte[] json, DetectorRegistry detectors) {
        if (json == null) {
            throw new InvalidPolicyException("the value is null (a tombstone deletes the entry; it is not a policy)");
        }
        Utf8.Malformation malformed = Utf8.firstMalformation(json, 0, json.length);
        if (malformed != null) {
            throw new InvalidPolicyException("the value is not valid UTF-8: " + malformed.describe());
        }
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidPolicyException("a policy is a JSON object like {\"" + COST_CAP
                        + "\":5000}; got " + describe(p.currentToken()));
            }
            Policy policy = readFields(p, detectors);
            if (p.nextToken() != null) {
                throw new InvalidPolicyException("unexpected content after the policy object");
            }
            return policy;
        } catch (JsonProcessingException e) {
            throw new InvalidPolicyException("the value is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Policy readFields(JsonParser p, DetectorRegistry registry) throws IOException {
        DetectorSettings detectors = DetectorSettings.EMPTY;
        Long costCap = null;
        Double threshold = null;
        boolean windowSet = false;
        Long window = null;
        Policy.Halt halt = null;
        Set<String> seen = new HashSet<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!seen.add(name)) {
                throw new InvalidPolicyException("field " + name + " appears twice");
            }
            JsonToken value = p.nextToken();
            switch (name) {
                case COST_CAP -> costCap = integer(p, value, COST_CAP, 1, FieldChecks.U32_MAX);
                case SCOPE_DRIFT_THRESHOLD -> threshold = threshold(p, value);
                case IMPLICIT_WINDOW -> {
                    windowSet = true;
                    window = value == JsonToken.VALUE_NULL ? null : integer(p, value, IMPLICIT_WINDOW, 0, Long.MAX_VALUE);
                }
                case DETECTORS -> detectors = detectors(p, value, registry);
                case HALT -> halt = halt(p, value);
                default -> throw new InvalidPolicyException("unknown field " + name + "; a policy has only " + FIELDS);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new InvalidPolicyException("the policy object is not closed");
        }
        return new Policy(costCap, threshold, windowSet, window, detectors, halt);
    }

    /** {@code {"reason": "...", "since_ms": 1767225600000}}, both optional. */
    private static Policy.Halt halt(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new InvalidPolicyException(HALT + " must be an object like {\"" + HALT_REASON
                    + "\": \"incident 42\"} ({} halts without a reason), got " + describe(p, value));
        }
        String reason = null;
        Long since = null;
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!seen.add(name)) {
                throw new InvalidPolicyException(HALT + "." + name + " appears twice");
            }
            JsonToken v = p.nextToken();
            switch (name) {
                case HALT_REASON -> reason = haltReason(p, v);
                case HALT_SINCE -> since = integer(p, v, HALT + "." + HALT_SINCE, 0, Long.MAX_VALUE);
                default -> throw new InvalidPolicyException("unknown field " + HALT + "." + name + "; a halt has only "
                        + HALT_REASON + ", " + HALT_SINCE);
            }
        }
        return new Policy.Halt(reason, since, null);
    }

    private static String haltReason(JsonParser p, JsonToken v) throws IOException {
        String shape = HALT + "." + HALT_REASON + " must be a non-empty string of at most "
                + Policy.Halt.MAX_REASON_CHARS + " characters";
        if (v != JsonToken.VALUE_STRING) {
            throw new InvalidPolicyException(shape + ", got " + describe(p, v));
        }
        String text = p.getText();
        if (text.isEmpty() || text.codePointCount(0, text.length()) > Policy.Halt.MAX_REASON_CHARS) {
            throw new InvalidPolicyException(shape + ", got " + text.codePointCount(0, text.length()) + " characters");
        }
        if (FieldChecks.firstUnpairedSurrogate(text) >= 0) {
            throw new InvalidPolicyException(HALT + "." + HALT_REASON + " holds an unpaired surrogate");
        }
        return text;
    }

    /** {@code {"<detector>": {"enabled": bool, "<parameter>": number, ...}, ...}}, checked against the registry. */
    private static DetectorSettings detectors(JsonParser p, JsonToken value, DetectorRegistry registry) throws IOException {
        String shape = DETECTORS + " must be an object like {\"tool_call_cycle\": {\"enabled\": true}}";
        if (value != JsonToken.START_OBJECT) {
            throw new InvalidPolicyException(shape + ", got " + describe(p, value));
        }
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String detector = p.currentName();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidPolicyException(DETECTORS + "." + detector + " must be an object of its settings, got "
                        + describe(p, p.currentToken()));
            }
            Map<String, Double> params = new LinkedHashMap<>();
            if (values.put(detector, params) != null) {
                throw new InvalidPolicyException(DETECTORS + "." + detector + " appears twice");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String param = p.currentName();
                JsonToken v = p.nextToken();
                double number;
                if (param.equals(DetectorSettings.ENABLED)) {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                        throw new InvalidPolicyException(DETECTORS + "." + detector + ".enabled must be true or false, got "
                                + describe(p, v));
                    }
                    number = v == JsonToken.VALUE_TRUE ? 1.0 : 0.0;
                } else if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                    number = p.getDoubleValue();
                } else {
                    throw new InvalidPolicyException(DETECTORS + "." + detector + "." + param + " must be a number, got "
                            + describe(p, v));
                }
                if (params.put(param, number) != null) {
                    throw new InvalidPolicyException(DETECTORS + "." + detector + "." + param + " appears twice");
                }
            }
        }
        try {
            return DetectorSettings.of(values, registry);
        } catch (IllegalArgumentException e) {
            throw new InvalidPolicyException(DETECTORS + ": " + e.getMessage());
        }
    }

    private static long integer(JsonParser p, JsonToken value, String field, long min, long max) throws IOException {
        String range = min + ".." + max;
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidPolicyException(field + " must be an integer in " + range
                    + (field.equals(IMPLICIT_WINDOW) ? " or null (off)" : "") + ", got " + describe(p, value));
        }
        if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
            throw new InvalidPolicyException(field + " must be an integer in " + range + ", got " + p.getText());
        }
        long v = p.getLongValue();
        if (v < min || v > max) {
            throw new InvalidPolicyException(field + " must be an integer in " + range + ", got " + v);
        }
        return v;
    }

    /** The core ignores a threshold that is not finite or outside [0, 1]; here it is an error instead. */
    private static double threshold(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidPolicyException(SCOPE_DRIFT_THRESHOLD + " must be a number in [0, 1], got "
                    + describe(p, value));
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v) || v < 0.0 || v > 1.0) {
            throw new InvalidPolicyException(SCOPE_DRIFT_THRESHOLD + " must be a number in [0, 1], got " + p.getText());
        }
        return v;
    }

    private static String describe(JsonParser p, JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "the string \"" + p.getText() + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
            default -> describe(value);
        };
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a number";
        };
    }

    /** The canonical JSON of a policy: only the fields it sets. */
    public static byte[] toBytes(Policy policy) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            if (policy.costCap() != null) {
                g.writeNumberField(COST_CAP, policy.costCap());
            }
            if (policy.scopeDriftThreshold() != null) {
                g.writeNumberField(SCOPE_DRIFT_THRESHOLD, policy.scopeDriftThreshold());
            }
            if (policy.implicitWindowSet()) {
                g.writeFieldName(IMPLICIT_WINDOW);
                if (policy.implicitWindowMs() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(policy.implicitWindowMs());
                }
            }
            if (!policy.detectors().isEmpty()) {
                g.writeObjectFieldStart(DETECTORS);
                for (Map.Entry<String, Map<String, Double>> d : policy.detectors().values().entrySet()) {
                    g.writeObjectFieldStart(d.getKey());
                    for (Map.Entry<String, Double> v : d.getValue().entrySet()) {
                        if (v.getKey().equals(DetectorSettings.ENABLED)) {
                            g.writeBooleanField(v.getKey(), v.getValue() == 1.0);
                        } else if (v.getValue() == Math.rint(v.getValue()) && Math.abs(v.getValue()) < 0x1p53) {
                            g.writeNumberField(v.getKey(), v.getValue().longValue());
                        } else {
                            g.writeNumberField(v.getKey(), v.getValue());
                        }
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            if (policy.halt() != null) {
                g.writeObjectFieldStart(HALT);
                if (policy.halt().reason() != null) {
                    g.writeStringField(HALT_REASON, policy.halt().reason());
                }
                if (policy.halt().sinceMs() != null) {
                    g.writeNumberField(HALT_SINCE, policy.halt().sinceMs());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toJson(Policy policy) {
        return new String(toBytes(policy), StandardCharsets.UTF_8);
    }
}
