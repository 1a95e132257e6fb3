package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.pricing.Money;
import java.math.BigInteger;
import java.util.List;

/**
 * {@code spend_budget}: a rolling per-user budget in money, across sessions. Counts what each
 * {@code cost} event cost in the budget's {@code currency} (the amount its source reported, else
 * its price from the price table) over the trailing {@code window_ms}, exactly as
 * {@code token_budget} counts tokens ({@link RollingSlots}). Circuit break
 * {@code spend_budget_exceeded} while the count reaches {@code max_amount}; below it, a
 * {@code spend_budget_warn} while the count reaches {@code warn_again_percent} or
 * {@code warn_percent} of it (the higher one met; 0 turns a threshold off), in the warnings' place
 * (after the reference's). Costs in another currency and unpriced costs are not counted (amounts in
 * different currencies are never added); changing {@code currency} or {@code window_ms} starts the
 * count afresh. {@code currency} is an ISO 4217 code: {@code "USD"} in policies and configuration,
 * kept as its numeric code (840).
 *
 * <p>{@code agent_spend_budget} ({@link #agentWide()}): the same budget for an agent, shared by all
 * its users. The count is the agent's total over all its users as this process knows it, with this
 * event's cost ({@link AgentSpendView}, from the {@link DetectionContext}); nothing is kept per user.
 * Its break and warning carry the {@code agent_id}. An event without an {@code agent_id} is not
 * counted and gets no verdict from it.
 */
public final class SpendBudgetDetector extends NamedDetector {
    public static final String NAME = "spend_budget";
    public static final String AGENT_WIDE_NAME = "agent_spend_budget";
    public static final String CURRENCY = "currency";
    static final String SUGGESTION = "The spend budget for this period is used up. Stop the agent, or ask the user "
            + "to wait until the window rolls on or to raise the budget.";
    static final String AGENT_SUGGESTION = "The agent's spend budget for this period, shared by all its users, is "
            + "used up. Stop the agent, or wait until the window rolls on or raise the agent's budget.";

    private final boolean agentWide;

    /** {@code spend_budget}: each user's own budget. */
    public SpendBudgetDetector() {
        this(NAME, false);
    }

    /** {@code agent_spend_budget}: one budget per agent, shared by its users. */
    public static SpendBudgetDetector agentWide() {
        return new SpendBudgetDetector(AGENT_WIDE_NAME, true);
    }

    private SpendBudgetDetector(String name, boolean agentWide) {
        super(name, Stage.BREAK,
                DetectorParam.number("max_amount", 100, 0.000001, 1e12, "money allowed per window, in currency"),
                DetectorParam.integer(CURRENCY, 840, 1, 999, "ISO 4217 code of the budget (\"USD\"; stored as its number)"),
                DetectorParam.integer("window_ms", 86_400_000, 60_000, 31L * 24 * 3_600_000, "the rolling window, ms"),
                DetectorParam.integer("warn_percent", 80, 0, 100, "first warning at this % of max_amount (0: off)"),
                DetectorParam.integer("warn_again_percent", 95, 0, 100, "second warning at this % (0: off)"));
        this.agentWide = agentWide;
    }

    @Override
    public DetectorState newState() {
        return agentWide ? new AgentState() : new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        if (agentWide) {
            return new AgentState();
        }
        State s = RollingSlots.readSlots(in, new State());
        s.currency = (int) in.readVarLong();
        return s;
    }

    /**
     * What a cost event adds to its agent's total: its {@code cost} (null: unpriced) when
     * {@code agent_spend_budget} is among {@code active}, the event names an agent and the cost is in
     * the budget's currency; else null (nothing to count for any agent).
     */
    public static AgentSpend agentSpendOf(List<DetectorSettings.Active> active, String agentId, Money cost, long atMs) {
        if (cost == null || agentId == null || cost.micros() <= 0) {
            return null;
        }
        for (DetectorSettings.Active a : active) {
            if (a.detector().name().equals(AGENT_WIDE_NAME)) {
                String currency = Money.alphaCode((int) a.params().getLong(CURRENCY));
                return cost.currency().equals(currency)
                        ? new AgentSpend(agentId, currency, cost.micros(), atMs, a.params().getLong("window_ms"))
                        : null;
            }
        }
        return null;
    }

    static long budgetMicros(DetectorParams params) {
        return Math.round(params.get("max_amount") * 1_000_000);
    }

    /** The break when {@code spent} reached the budget, else null; {@code agentId} null for a user's own budget. */
    static Decision breakAt(long spent, DetectorParams params, String agentId) {
        long budget = budgetMicros(params);
        if (spent < budget) {
            return null;
        }
        return new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded(currencyOf(params), spent, budget,
                params.getLong("window_ms"), agentId), agentId == null ? SUGGESTION : AGENT_SUGGESTION);
    }

    /** The warning of the highest threshold {@code spent} reached below the budget, else null. */
    static Decision warningAt(long spent, DetectorParams params, long atMs, String agentId) {
        long budget = budgetMicros(params);
        if (spent >= budget) {
            return null;
        }
        long threshold = 0;
        for (String p : new String[] {"warn_percent", "warn_again_percent"}) {
            long t = params.getLong(p);
            // spent / budget >= t / 100, in integers
            if (t > 0 && t > threshold && BigInteger.valueOf(spent).multiply(BigInteger.valueOf(100))
                    .compareTo(BigInteger.valueOf(budget).multiply(BigInteger.valueOf(t))) >= 0) {
                threshold = t;
            }
        }
        if (threshold == 0) {
            return null;
        }
        long windowMs = params.getLong("window_ms");
        return new Decision.SpendBudgetWarn(currencyOf(params), spent, budget, threshold, windowMs,
                Math.floorDiv(atMs, windowMs) * windowMs, agentId);
    }

    private static String currencyOf(DetectorParams params) {
        return Money.alphaCode((int) params.getLong(CURRENCY));
    }

    /** {@code spend_budget}: the user's own count. */
    static final class State extends RollingSlots implements DetectorState {
        int currency;

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {
            onEvent(event, atMs, params, null);
        }

        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params, Money cost) {
            int wanted = (int) params.getLong(CURRENCY);
            if (wanted != currency) {
                currency = wanted;
                slotMs = 0; // start afresh
            }
            long micros = -1;
            if (event instanceof AgentEvent.Cost) {
                micros = cost != null && cost.currency().equals(Money.alphaCode(wanted)) ? cost.micros() : 0;
            }
            count(atMs, micros, params.getLong("window_ms"));
        }

        private boolean current(DetectorParams params) {
            return currency == (int) params.getLong(CURRENCY) && countsWindow(params.getLong("window_ms"));
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            return current(params) ? breakAt(sumInWindow(context.atMs()), params, null) : null;
        }

        @Override
        public Decision warning(DetectorParams params, DetectionContext context) {
            return current(params) ? warningAt(sumInWindow(context.atMs()), params, context.atMs(), null) : null;
        }

        @Override
        public void write(StateWriter out) {
            super.write(out);
            out.writeVarLong(currency);
        }
    }

    /**
     * {@code agent_spend_budget}: nothing per user; the count is the agent's total the context
     * gives (this event's cost included).
     */
    static final class AgentState implements DetectorState {
        @Override
        public void onEvent(AgentEvent event, long atMs, DetectorParams params) {}

        private static long spent(DetectorParams params, DetectionContext context) {
            return context.agentId() == null ? -1 : context.agentSpend().spentMicros(context.agentId(),
                    currencyOf(params), params.getLong("window_ms"), context.atMs());
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            long spent = spent(params, context);
            return spent < 0 ? null : breakAt(spent, params, context.agentId());
        }

        @Override
        public Decision warning(DetectorParams params, DetectionContext context) {
            long spent = spent(params, context);
            return spent < 0 ? null : warningAt(spent, params, context.atMs(), context.agentId());
        }

        @Override
        public void write(StateWriter out) {
            // no state
        }
    }
}
