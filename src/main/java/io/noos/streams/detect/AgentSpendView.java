package io.noos.streams.detect;

/**
 * The agents' spend as far as this process knows it, for the agent-wide budget
 * ({@code agent_spend_budget}): per agent, currency and window, the total of all its users'
 * counted costs in the trailing window.
 */
public interface AgentSpendView {
    /**
     * A view that knows nothing and counts nothing: every agent's total is 0, the event's own amount
     * included, so the agent-wide budget stays silent (deciders without agents' totals).
     */
    AgentSpendView NONE = (agentId, currency, windowMs, atMs) -> 0;

    /**
     * The agent's total in micro-units of {@code currency} over the trailing {@code windowMs} ending
     * at {@code atMs} (or at the newest cost counted, when later); 0 when unknown.
     */
    long spentMicros(String agentId, String currency, long windowMs, long atMs);

    /**
     * This view with {@code pending} (an amount of the event being decided, which no total has yet)
     * counted too, for its agent, currency and window.
     */
    default AgentSpendView including(AgentSpend pending) {
        return this;
    }

    /**
     * An amount the decider counted for an agent, after deciding its event. A view that counts in
     * this process ({@link AgentSpendTotals}: the offline replay, all users in one process) adds it;
     * the service's view ({@link AgentSpendBook}) learns of it through the topics instead, and
     * ignores it here.
     */
    default void counted(AgentSpend spend) {}
}
