package io.noos.streams.detect;

/**
 * The agents' totals counted in this process from every amount the decider counts: exact when
 * all of an agent's users are decided here (the offline replay). Not thread-safe.
 */
public final class AgentSpendTotals extends AgentSpendBook {

    @Override
    public void counted(AgentSpend spend) {
        totals.computeIfAbsent(spend.totalKey(), k -> new RollingSlots())
                .count(spend.atMs(), spend.micros(), spend.windowMs());
    }
}
