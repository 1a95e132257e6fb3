package io.noos.streams.alerts;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which decisions become alerts, and at most once each:
 * <ul>
 *   <li>a circuit break: one alert per (user, turn, reason), however many decisions of the turn
 *       repeat it;</li>
 *   <li>a spend budget warning: one per (user, threshold, window), the window being the fixed
 *       {@code window_ms} period the warning names ({@code window_start_ms});</li>
 *   <li>an agent-wide budget's (its decisions carry {@code agent_id}), shared by the agent's users:
 *       a warning once per (agent, threshold, window), a break once per (agent, window), the
 *       window being the fixed {@code window_ms} period of the decision's event time, whichever
 *       users' decisions repeat it;</li>
 *   <li>an operator's halt: one per halt, named by its policy key and reason text, for all the
 *       users it halts; once a user it halted gets a decision that is not a halt (the halt was
 *       lifted), the next halt with that key alerts again.</li>
 * </ul>
 * Nothing else alerts. The memory of sent keys is bounded ({@value #MAX_KEYS}, oldest forgotten
 * first). Not thread-safe.
 */
public final class AlertRules {
    static final int MAX_KEYS = 200_000;

    private final Map<String, Boolean> sent = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_KEYS;
        }
    };
    /** Per user, the halt key of their last decision when it was a halt. */
    private final Map<String, String> haltedBy = new HashMap<>();

    /** The alert {@code record} calls for, or null: none, or one with its key was already sent. */
    public Alert offer(DecisionRecord record) {
        Alert alert = candidate(record);
        String previousHalt = haltedBy.get(record.userId());
        if (alert != null && alert.type() == Alert.Type.OPERATOR_HALT) {
            haltedBy.put(record.userId(), alert.dedupKey());
        } else if (previousHalt != null) {
            haltedBy.remove(record.userId());
            if (!haltedBy.containsValue(previousHalt)) {
                sent.remove(previousHalt); // lifted: a later halt with this key alerts again
            }
        }
        if (alert == null || sent.containsKey(alert.dedupKey())) {
            return null;
        }
        sent.put(alert.dedupKey(), Boolean.TRUE);
        return alert;
    }

    static Alert candidate(DecisionRecord r) {
        Decision d = r.decision();
        if (d instanceof Decision.CircuitBreak cb && cb.reason() instanceof BreakReason.OperatorHalt halt) {
            return new Alert(Alert.Type.OPERATOR_HALT, key("halt", halt.policyKey(), String.valueOf(halt.haltReason())), r);
        }
        if (d instanceof Decision.CircuitBreak cb && cb.reason() instanceof BreakReason.SpendBudgetExceeded b
                && b.agentId() != null) {
            return new Alert(Alert.Type.CIRCUIT_BREAK, key("agent-budget-break", b.agentId(),
                    Long.toString(Math.floorDiv(r.atMs(), b.windowMs()) * b.windowMs()), Long.toString(b.windowMs()),
                    b.currency()), r);
        }
        if (d instanceof Decision.CircuitBreak cb && cb.reason() != null) {
            return new Alert(Alert.Type.CIRCUIT_BREAK, key("break", r.userId(), Long.toString(r.turn()), cb.reason().kind()), r);
        }
        if (d instanceof Decision.SpendBudgetWarn w && w.agentId() != null) {
            return new Alert(Alert.Type.BUDGET_WARNING, key("agent-budget", w.agentId(), Long.toString(w.thresholdPercent()),
                    Long.toString(w.windowStartMs()), Long.toString(w.windowMs()), w.currency()), r);
        }
        if (d instanceof Decision.SpendBudgetWarn w) {
            return new Alert(Alert.Type.BUDGET_WARNING, key("budget", r.userId(), Long.toString(w.thresholdPercent()),
                    Long.toString(w.windowStartMs()), Long.toString(w.windowMs()), w.currency()), r);
        }
        return null;
    }

    /** Parts joined unambiguously (each length-prefixed). */
    private static String key(String... parts) {
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            s.append(p.length()).append(':').append(p).append('|');
        }
        return s.toString();
    }
}
