package io.noos.streams.decide;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.core.Regulator;
import io.noos.streams.detect.AgentSpend;
import io.noos.streams.detect.AgentSpendView;
import io.noos.streams.detect.DetectionContext;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.detect.SpendBudgetDetector;
import io.noos.streams.fleet.FleetView;
import java.util.List;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.pricing.Money;
import io.noos.streams.pricing.Price;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceTable;

/**
 * The service's per-user rules around the regulator, free of Kafka so the topology and the offline
 * replay share them exactly: create a user's regulator with their settings, reset it when a new
 * session starts, re-apply the settings when they changed (a policy), count turns, apply the event,
 * run the opt-in detectors enabled for the user, and build the decision record (none after tokens).
 *
 * <p>An operator's halt ({@link UserSettings#halt()}) replaces the decision, whatever it is, by a
 * circuit break {@code operator_halt}, and changes nothing else: the event is applied to the
 * regulator and the detectors exactly as without the halt (their decisions are computed and set
 * aside), so when the halt is lifted the user is decided as if it had never been.
 */
public final class UserDecider {
    static final String HALT_SUGGESTION = "An operator halted this agent. Stop it now and do not continue the task "
            + "until the halt is lifted.";

    private final UserSettingsSource settings;
    private final boolean resetOnNewSession;
    private final int recentIds;
    private final DetectorRegistry detectors;
    private final FleetView fleet;
    private final AgentSpendView agentSpend;
    private final PriceBook prices;

    public UserDecider(UserSettingsSource settings, boolean resetOnNewSession, int recentIds) {
        this(new DeciderSettings(settings, resetOnNewSession, recentIds, DetectorRegistry.BUILT_IN));
    }

    public UserDecider(DeciderSettings settings) {
        this(settings, FleetView.NONE);
    }

    /** With what this instance knows of the fleet's spend ({@code fleet}), for the detectors that compare with it. */
    public UserDecider(DeciderSettings settings, FleetView fleet) {
        this(settings, fleet, AgentSpendView.NONE);
    }

    /**
     * With what this instance knows of the agents' spend ({@code agentSpend}), for the agent-wide
     * budget: the event's own amount is seen with the totals ({@link AgentSpendView#including}) and
     * handed to it after the decision ({@link AgentSpendView#counted}).
     */
    public UserDecider(DeciderSettings settings, FleetView fleet, AgentSpendView agentSpend) {
        this.settings = settings.userSettings();
        this.detectors = settings.detectors();
        this.fleet = fleet;
        this.agentSpend = agentSpend;
        this.prices = settings.prices();
        this.resetOnNewSession = settings.resetOnNewSession();
        if (settings.recentEventIds() < 0 || settings.recentEventIds() > UserState.MAX_RECENT_IDS) {
            throw new IllegalArgumentException("recent event ids must be in 0.." + UserState.MAX_RECENT_IDS
                    + ", got " + settings.recentEventIds());
        }
        this.recentIds = settings.recentEventIds();
    }

    /**
     * Applies {@code envelope} to {@code state} (null for a user never seen) and returns the state to
     * store plus the decision record, which is null after {@code token} and {@code token_batch}.
     */
    public Outcome apply(UserState state, EventEnvelope envelope) {
        String user = envelope.userId();
        long fingerprint = envelope.eventId() == null ? 0 : EventIdFingerprint.of(envelope.eventId());
        if (state != null && envelope.eventId() != null && state.hasSeen(fingerprint)) {
            return new Outcome(state, null, true, 0); // delivered twice: applied once, decided once
        }
        UserSettings wanted = settings.forEvent(user, envelope.agentId());
        if (state == null) {
            state = new UserState(wanted.applyTo(Regulator.forUser(user)), envelope.sessionId(), 0);
        } else if (resetOnNewSession && envelope.sessionId() != null
                && !envelope.sessionId().equals(state.sessionId())) {
            // The reference's per-task reset: export, import into a fresh regulator, apply the settings.
            Regulator fresh = Regulator.fromSnapshot(state.regulator().export());
            state.replaceRegulator(wanted.applyTo(fresh));
        } else if (!wanted.isAppliedTo(state.regulator())) {
            wanted.applyTo(state.regulator()); // a policy changed: from this event on
        }
        if (envelope.sessionId() != null) {
            state.setSessionId(envelope.sessionId());
        }
        if (envelope.eventId() != null) {
            state.remember(fingerprint, recentIds);
        }
        Regulator regulator = state.regulator();
        long implicitBefore = regulator.implicitCorrectionsCount();
        long at = envelope.atMs();
        List<DetectorSettings.Active> active = wanted.detectors().active(detectors);
        Money money = null;
        AgentSpend forAgent = null;
        if (envelope.event() instanceof EnvelopeEvent.Single single) {
            if (single.event() instanceof AgentEvent.TurnStart) {
                state.nextTurn();
            }
            regulator.onEvent(single.event(), at);
            if (single.event() instanceof AgentEvent.Cost cost) {
                money = costOf(cost, envelope, prices.current());
                state.addSpend(money);
                forAgent = SpendBudgetDetector.agentSpendOf(active, envelope.agentId(), money, at);
            }
            boolean token = single.event() instanceof AgentEvent.Token;
            if (!token && (!active.isEmpty() || !state.detectors().isEmpty())) {
                state.detectors().onEvent(single.event(), at, active, money);
            }
        } else if (envelope.event() instanceof EnvelopeEvent.TokenBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                regulator.onEvent(new AgentEvent.Token("", batch.logprob(i), i), at);
            }
        }
        long implicit = regulator.implicitCorrectionsCount() - implicitBefore;
        if (envelope.event().isTokenLike()) {
            return new Outcome(state, null, false, implicit, money, forAgent);
        }
        Decision decision = regulator.decide();
        if (!active.isEmpty()) {
            decision = state.detectors().decide(decision, active,
                    new DetectionContext(regulator.currentCluster(), at, fleet, envelope.agentId(),
                            forAgent == null ? agentSpend : agentSpend.including(forAgent)));
        }
        if (forAgent != null) {
            agentSpend.counted(forAgent);
        }
        if (wanted.halt() != null) {
            decision = new Decision.CircuitBreak(new BreakReason.OperatorHalt(wanted.halt().key(),
                    wanted.halt().reason()), HALT_SUGGESTION);
        }
        String prelude = decision instanceof Decision.ProceduralWarning
                ? regulator.correctionsPrelude().orElse(null) : null;
        return new Outcome(state, new DecisionRecord(user, envelope.agentId(), envelope.sessionId(),
                envelope.eventId(), envelope.event().type(), at, state.turn(), decision, prelude,
                regulator.metricsSnapshot(), state.spend()), false, implicit, money, forAgent);
    }

    /**
     * What a cost event cost: the amount its source reported, else its tokens at the price of the
     * envelope's model under the event's provider, else null (unpriced; never guessed).
     */
    public static Money costOf(AgentEvent.Cost cost, EventEnvelope envelope, PriceTable table) {
        if (envelope.reportedCost() != null) {
            return envelope.reportedCost();
        }
        Price price = table.lookup(cost.provider(), envelope.model());
        return price == null ? null : price.cost(cost.tokensIn(), cost.tokensOut());
    }

    /**
     * The user's state after the event, the decision record (null after tokens and duplicates),
     * whether the event was a duplicate delivery that was not applied, and how many implicit
     * corrections the event added to the regulator's count, what a cost event cost (null when
     * unpriced or not a cost event), and what it adds to its agent's total under an agent-wide budget
     * (null when nothing: no such budget for the event, no agent, unpriced or in another currency).
     */
    public record Outcome(UserState state, DecisionRecord decision, boolean duplicate, long implicitCorrections,
                          Money cost, AgentSpend agentSpend) {
        public Outcome(UserState state, DecisionRecord decision, boolean duplicate, long implicitCorrections) {
            this(state, decision, duplicate, implicitCorrections, null, null);
        }

    }
}
