package io.noos.streams.envelope;

import io.noos.streams.core.Decision;
import io.noos.streams.pricing.Spend;
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
 * @param spend     the money the user spent since the regulator's state began (it resets with it on a
 *                  new session), per currency, and the cost events that could not be priced
 */
public record DecisionRecord(String userId, String agentId, String sessionId, String eventId, String eventType,
                             long atMs, long turn, Decision decision, String prelude, Map<String, Double> metrics,
                             Spend spend) {
    public DecisionRecord {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        spend = spend == null ? Spend.NONE : spend;
    }

    public DecisionRecord(String userId, String agentId, String sessionId, String eventId, String eventType,
                          long atMs, long turn, Decision decision, String prelude, Map<String, Double> metrics) {
        this(userId, agentId, sessionId, eventId, eventType, atMs, turn, decision, prelude, metrics, Spend.NONE);
    }
}
