package io.noos.streams.detect;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.pricing.Money;

/**
 * {@code spend_budget}: a rolling per-user budget in money, across sessions. Counts what each
 * {@code cost} event cost in the budget's {@code currency} (the amount its source reported, else
 * its price from the price table) over the trailing {@code window_ms}, exactly as
 * {@code token_budget} counts tokens (60 slots; see {@link TokenBudgetDetector}). Circuit break
 * {@code spend_budget_exceeded} while the count reaches {@code max_amount}; below it, a
 * {@code spend_budget_warn} while the count reaches {@code warn_again_percent} or
 * {@code warn_percent} of it (the higher one met; 0 turns a threshold off), in the warnings' place
 * (after the reference's). Costs in another currency and unpriced costs are not counted (amounts in
 * different currencies are never added); changing {@code currency} or {@code window_ms} starts the
 * count afresh. {@code currency} is an ISO 4217 code: {@code "USD"} in policies and configuration,
 * kept as its numeric code (840).
 */
public final class SpendBudgetDetector extends NamedDetector {
    public static final String NAME = "spend_budget";
    public static final String CURRENCY = "currency";
    static final String SUGGESTION = "The spend budget for this period is used up. Stop the agent, or ask the user "
            + "to wait until the window rolls on or to raise the budget.";

    public SpendBudgetDetector() {
        super(NAME, Stage.BREAK,
                DetectorParam.number("max_amount", 100, 0.000001, 1e12, "money allowed per window, in currency"),
                DetectorParam.integer(CURRENCY, 840, 1, 999, "ISO 4217 code of the budget (\"USD\"; stored as its number)"),
                DetectorParam.integer("window_ms", 86_400_000, 60_000, 31L * 24 * 3_600_000, "the rolling window, ms"),
                DetectorParam.integer("warn_percent", 80, 0, 100, "first warning at this % of max_amount (0: off)"),
                DetectorParam.integer("warn_again_percent", 95, 0, 100, "second warning at this % (0: off)"));
    }

    @Override
    public DetectorState newState() {
        return new State();
    }

    @Override
    public DetectorState readState(StateReader in) {
        State s = TokenBudgetDetector.readSlots(in, new State());
        s.currency = (int) in.readVarLong();
        return s;
    }

    static final class State extends TokenBudgetDetector.State {
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
            return currency == (int) params.getLong(CURRENCY)
                    && slotMs == TokenBudgetDetector.slotMsFor(params.getLong("window_ms"));
        }

        static long budgetMicros(DetectorParams params) {
            return Math.round(params.get("max_amount") * 1_000_000);
        }

        @Override
        public Decision check(DetectorParams params, DetectionContext context) {
            if (!current(params)) {
                return null;
            }
            long spent = tokensInWindow(context.atMs());
            long budget = budgetMicros(params);
            if (spent < budget) {
                return null;
            }
            return new Decision.CircuitBreak(new BreakReason.SpendBudgetExceeded(Money.alphaCode(currency), spent,
                    budget, params.getLong("window_ms")), SUGGESTION);
        }

        @Override
        public Decision warning(DetectorParams params, DetectionContext context) {
            if (!current(params)) {
                return null;
            }
            long spent = tokensInWindow(context.atMs());
            long budget = budgetMicros(params);
            long threshold = 0;
            for (String p : new String[] {"warn_percent", "warn_again_percent"}) {
                long t = params.getLong(p);
                // spent / budget >= t / 100, in integers (budget <= 1e18, so 100 * spent and t * budget fit)
                if (t > 0 && t > threshold && java.math.BigInteger.valueOf(spent).multiply(java.math.BigInteger.valueOf(100))
                        .compareTo(java.math.BigInteger.valueOf(budget).multiply(java.math.BigInteger.valueOf(t))) >= 0) {
                    threshold = t;
                }
            }
            if (threshold == 0 || spent >= budget) {
                return null;
            }
            long windowMs = params.getLong("window_ms");
            return new Decision.SpendBudgetWarn(Money.alphaCode(currency), spent, budget, threshold, windowMs,
                    Math.floorDiv(context.atMs(), windowMs) * windowMs);
        }

        @Override
        public void write(StateWriter out) {
            super.write(out);
            out.writeVarLong(currency);
        }
    }
}
