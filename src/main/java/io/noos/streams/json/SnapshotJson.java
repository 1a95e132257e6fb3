package io.noos.streams.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.CorrectionPattern;
import io.noos.streams.core.FieldChecks;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.RegulatorSnapshot;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's snapshot JSON ({@code RegulatorState}, spec §17), both ways. Reading validates
 * at least as leniently as the reference (unknown fields ignored; {@code correction_patterns} and
 * {@code example_corrections} may be missing) and rejects what it rejects with a message naming the
 * path. The {@code learned} block is validated, then carried as opaque compact JSON.
 */
public final class SnapshotJson {
    private static final List<String> GAIN_MODES = List.of("phasic", "tonic", "neutral");   // the spec's order, in messages too
    private static final BigInteger U64_MAX = new BigInteger("18446744073709551615");

    private SnapshotJson() {}

    public static RegulatorSnapshot parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("snapshot is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromTree(root);
    }

    public static RegulatorSnapshot fromTree(JsonNode root) {
        requireObject(root, "snapshot");
        String userId = requireString(root.get("user_id"), "user_id");
        JsonNode learned = root.get("learned");
        validateLearned(learned);
        Map<String, CorrectionPattern> patterns = new LinkedHashMap<>();
        JsonNode patternsNode = root.get("correction_patterns");
        if (patternsNode != null) {
            requireObject(patternsNode, "correction_patterns");
            Iterator<Map.Entry<String, JsonNode>> it = patternsNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = FieldChecks.requireValidText(e.getKey(), "correction_patterns key");
                patterns.put(key, readPattern(e.getValue(), "correction_patterns." + key));
            }
        }
        return new RegulatorSnapshot(userId, learned.toString(), patterns);
    }

    private static CorrectionPattern readPattern(JsonNode node, String path) {
        requireObject(node, path);
        String userId = requireString(node.get("user_id"), path + ".user_id");
        String cluster = requireString(node.get("topic_cluster"), path + ".topic_cluster");
        String name = requireString(node.get("pattern_name"), path + ".pattern_name");
        long turns = requireUnsigned(node.get("learned_from_turns"), path + ".learned_from_turns", U64_MAX).longValue();
        double confidence = requireNumber(node.get("confidence"), path + ".confidence");
        List<String> examples = new ArrayList<>();
        JsonNode ex = node.get("example_corrections");
        if (ex != null) {
            if (!ex.isArray()) {
                throw invalid(path + ".example_corrections", "must be an array of strings");
            }
            for (int i = 0; i < ex.size(); i++) {
                examples.add(requireString(ex.get(i), path + ".example_corrections[" + i + "]"));
            }
        }
        return new CorrectionPattern(userId, cluster, name, turns, confidence, examples);
    }

    private static void validateLearned(JsonNode learned) {
        requireObject(learned, "learned");
        String mode = requireString(learned.get("gain_mode"), "learned.gain_mode");
        if (!GAIN_MODES.contains(mode)) {
            throw invalid("learned.gain_mode", "must be one of " + GAIN_MODES + ", got \"" + mode + "\"");
        }
        requireUnsigned(learned.get("tick"), "learned.tick", BigInteger.valueOf(FieldChecks.U32_MAX));
        JsonNode success = learned.get("response_success");
        requireObject(success, "learned.response_success");
        success.fields().forEachRemaining(e -> validateSuccessEntry(e.getValue(),
                "learned.response_success." + e.getKey()));
        JsonNode strategies = learned.get("response_strategies");
        requireObject(strategies, "learned.response_strategies");
        strategies.fields().forEachRemaining(c -> {
            String path = "learned.response_strategies." + c.getKey();
            requireObject(c.getValue(), path);
            c.getValue().fields().forEachRemaining(s -> validateSuccessEntry(s.getValue(), path + "." + s.getKey()));
        });
    }

    private static void validateSuccessEntry(JsonNode entry, String path) {
        requireObject(entry, path);
        requireNumber(entry.get("success_rate"), path + ".success_rate");
        requireUnsigned(entry.get("count"), path + ".count", BigInteger.valueOf(FieldChecks.U32_MAX));
    }

    private static void requireObject(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path, node == null ? "is required (an object)" : "must be an object");
        }
    }

    private static String requireString(JsonNode node, String path) {
        if (node == null || !node.isTextual()) {
            throw invalid(path, node == null ? "is required (a string)" : "must be a string");
        }
        return FieldChecks.requireValidText(node.textValue(), path);
    }

    private static double requireNumber(JsonNode node, String path) {
        if (node == null || !node.isNumber()) {
            throw invalid(path, node == null ? "is required (a number)" : "must be a number");
        }
        return node.doubleValue();
    }

    private static BigInteger requireUnsigned(JsonNode node, String path, BigInteger max) {
        if (node == null || !node.isIntegralNumber()) {
            throw invalid(path, node == null ? "is required (a non-negative integer)"
                    : "must be a non-negative integer literal");
        }
        BigInteger v = node.bigIntegerValue();
        if (v.signum() < 0 || v.compareTo(max) > 0) {
            throw invalid(path, "must be in 0.." + max + ", got " + v);
        }
        return v;
    }

    private static InvalidEventException invalid(String path, String what) {
        return new InvalidEventException("snapshot field '" + path + "' " + what);
    }

    // ---------------------------------------------------------------- writing

    /** Compact JSON the reference reads: user_id, learned, correction_patterns keyed by cluster. */
    public static String toJson(RegulatorSnapshot snapshot) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("user_id", snapshot.userId());
            g.writeFieldName("learned");
            g.writeRawValue(snapshot.learnedJsonOrDefault());
            g.writeObjectFieldStart("correction_patterns");
            for (Map.Entry<String, CorrectionPattern> e : snapshot.correctionPatterns().entrySet()) {
                g.writeFieldName(e.getKey());
                DecisionJson.writePattern(e.getValue(), g);
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
