package io.noos.streams.envelope;

import io.noos.streams.core.Decision;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of the {@code regulator-decisions} topic: the decision after one input event.
 *
 * @param userId    the user
 * @param agentId   the triggering event's agent, or null
 * @param sessionId the triggering event's session, or null
 * @param eventId   the triggering event's id, or null
 * @param eventType the triggering event's type
 * @param atMs      the triggering event's time
 * @param turn      index of the user's turn (number of turn_start events seen, so 0 before the first)
 * @param decision  the decision, in the vectors' JSON shape when serialised
 * @param prelude   the corrections prelude when the decision is a procedural warning, else null
 * @param metrics   the regulator's metrics snapshot
 */
public record DecisionRecord(String userId, String agentId, String sessionId, String eventId, String eventType,
                             long atMs, long turn, Decision decision, String prelude, Map<String, Double> metrics) {
    public DecisionRecord {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
