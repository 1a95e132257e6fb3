package io.noos.streams.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference's exported state ({@code RegulatorState}): the user id, the {@code learned} block
 * kept as opaque compact JSON (null means the fresh default), and the correction patterns keyed by
 * cluster. {@link io.noos.streams.json.SnapshotJson} reads and writes the reference's JSON shape.
 */
public record RegulatorSnapshot(String userId, String learnedJson, Map<String, CorrectionPattern> correctionPatterns) {
    /** The {@code learned} block of a new user in the reference. */
    public static final String DEFAULT_LEARNED_JSON =
            "{\"gain_mode\":\"neutral\",\"tick\":0,\"response_success\":{},\"response_strategies\":{}}";

    public RegulatorSnapshot {
        FieldChecks.requireValidText(userId, "user_id");
        correctionPatterns = Collections.unmodifiableMap(new LinkedHashMap<>(correctionPatterns));
    }

    /** The learned block to write: the carried one, or the default for a user that never had one. */
    public String learnedJsonOrDefault() {
        return learnedJson == null ? DEFAULT_LEARNED_JSON : learnedJson;
    }
}
