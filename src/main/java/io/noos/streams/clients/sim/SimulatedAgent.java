package io.noos.streams.clients.sim;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.DecisionVocabulary;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * One simulated agent serving one user: it works through tasks, one session each, turn by turn,
 * sends every event through a {@link DecisionSource} and, when it acts, does what the decision
 * says before its next step, as an orchestrator wired to the service would:
 *
 * <ul>
 *   <li>{@code circuit_break}: the turn ends at once (no further tool call; the spend so far is
 *       reported); after a tool loop the agent is re-prompted with a different approach for the rest
 *       of the task; after a break for cost, quality or budget the task is abandoned; after an
 *       operator's halt the agent waits and tries the same turn again later;</li>
 *   <li>{@code procedural_warning} (at the start of a turn): the corrections prelude is injected,
 *       and the user, who sees their earlier corrections followed, corrects far less;</li>
 *   <li>{@code scope_drift_warn} (after the answer): the answer is retried once with the task
 *       restated, so the user need not ask again.</li>
 * </ul>
 *
 * <p>The world (what the model answers, whether it loops or drifts, whether the user corrects) is
 * drawn from a generator seeded by the agent's seed, the task and the turn, the same for an agent
 * that acts and one that does not: the two differ only by what acting changed. A task is done after
 * {@value #GOOD_TURNS_PER_TASK} satisfying turns and abandoned after {@value #MAX_TURNS_PER_TASK}.
 * Each behaviour exercises one of the regulator's rules.
 */
final class SimulatedAgent {

    enum Behaviour {
        /** On-topic answers, good quality, now and then a file read: nothing to act on. */
        HEALTHY,
        /** Often loops on one search (10 calls): circuit break at the 5th call in a row. */
        TOOL_LOOPER,
        /** Often answers about something else: scope-drift warning after the answer. */
        DRIFTER,
        /** Its user keeps correcting one thing: procedural warning once the pattern is learned. */
        CORRECTED,
        /** Spends heavily while quality falls: cost-cap or quality-decline circuit break. */
        BUDGET_BURNER
    }

    static final int GOOD_TURNS_PER_TASK = 3;
    static final int MAX_TURNS_PER_TASK = 8;
    private static final int LOOP_CALLS = 10;

    private static final String[][] TASKS = {
            {"Refactor the payment service client to be async", "The payment service client is now async with an async refactor of each call."},
            {"Add retry logic to the inventory sync job", "The inventory sync job now has retry logic with backoff for each sync."},
            {"Explain the kafka consumer rebalance protocol", "The kafka consumer rebalance protocol assigns partitions to each consumer."},
            {"Write unit tests for the invoice parser", "Unit tests written for the invoice parser."},
            {"Optimize the search index query latency", "Search index query latency optimized: the index query is faster."},
    };
    private static final String OFF_TOPIC = "Here is a poem about autumn leaves, coffee, mountains and jazz music instead.";
    private static final String[] CORRECTIONS = {"Please keep the answer short", "No extra logging statements",
            "Do not change the public API", "Stop adding comments everywhere"};

    /** What one task took: model tokens (in + out), tool calls, turns; and whether it was done (else abandoned). */
    record TaskTotals(long tokens, long toolCalls, long turns, boolean done) {}

    /** Told of every decision the agent got, with what it did about it (null: nothing). */
    interface Observer {
        void decision(DecisionRecord decision, String action);

        Observer NONE = (d, a) -> { };
    }

    /** The pause between turns; false when the run is stopping. */
    interface Pacing {
        boolean pause();

        Pacing NONE = () -> true;
    }

    /** The run stopped while the agent waited. */
    static final class Stopped extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private final String userId;
    private final String agentId;
    private final Behaviour behaviour;
    private final long seed;
    private final LongSupplier clock;

    SimulatedAgent(String userId, String agentId, Behaviour behaviour, long seed, LongSupplier clock) {
        this.userId = userId;
        this.agentId = agentId;
        this.behaviour = behaviour;
        this.seed = seed;
        this.clock = clock;
    }

    String userId() {
        return userId;
    }

    Behaviour behaviour() {
        return behaviour;
    }

    /** The world's draws for one turn of one task (turn -1: the task's own). */
    private SplittableRandom world(int task, int turn) {
        return new SplittableRandom(new SplittableRandom(seed * 1_000_003L + task * 10_007L + turn).nextLong());
    }

    /**
     * Works through task {@code task} (a session of its own) and returns what it took, or throws
     * {@link Stopped} when the run stops first. {@code acting} false: the agent ignores decisions.
     */
    TaskTotals runTask(int task, DecisionSource noos, boolean acting, Pacing pacing, Observer observer)
            throws Stopped {
        String[] work = TASKS[behaviour == Behaviour.CORRECTED ? 0 : world(task, -1).nextInt(TASKS.length)];
        Task t = new Task(task, work, userId + "-task-" + task, noos, acting, observer);
        long tokens = 0;
        long calls = 0;
        int turns = 0;
        int good = 0;
        while (good < GOOD_TURNS_PER_TASK && turns < MAX_TURNS_PER_TASK) {
            if ((task > 0 || turns > 0 || t.halts > 0) && !pacing.pause()) {
                throw new Stopped();
            }
            Turn turn = t.turn(turns);
            if (turn.halted) {
                t.halts++;
                continue;   // the operator halted us: the same turn again after the pause
            }
            turns++;
            tokens += turn.tokensIn + turn.tokensOut;
            calls += turn.toolCalls;
            if (turn.good) {
                good++;
            }
            if (turn.abandon) {
                return new TaskTotals(tokens, calls, turns, false);
            }
        }
        return new TaskTotals(tokens, calls, turns, good >= GOOD_TURNS_PER_TASK);
    }

    /** What one turn did. */
    private static final class Turn {
        long tokensIn;
        long tokensOut;
        long toolCalls;
        boolean good;
        boolean ended;
        boolean abandon;
        boolean halted;
    }

    /** One task in progress: its session and what acting has changed in it so far. */
    private final class Task {
        final int index;
        final String[] work;
        final String session;
        final DecisionSource noos;
        final boolean acting;
        final Observer observer;
        /** A loop was broken: re-prompted with a different approach from then on. */
        boolean reprompted;
        int halts;

        Task(int index, String[] work, String session, DecisionSource noos, boolean acting, Observer observer) {
            this.index = index;
            this.work = work;
            this.session = session;
            this.noos = noos;
            this.acting = acting;
            this.observer = observer;
        }

        Turn turn(int n) throws Stopped {
            SplittableRandom r = world(index, n);
            double loopRoll = r.nextDouble();
            double driftRoll = r.nextDouble();
            double retryRoll = r.nextDouble();
            double violationRoll = r.nextDouble();
            double readRoll = r.nextDouble();
            double noise = r.nextDouble();
            long answerTokens = behaviour == Behaviour.BUDGET_BURNER ? 2500 + r.nextInt(500) : 150 + r.nextInt(300);
            double[] logprobs = new double[20 + r.nextInt(30)];
            for (int i = 0; i < logprobs.length; i++) {
                logprobs[i] = -Math.abs(r.nextGaussian() * 0.8);
            }
            int correction = r.nextInt(CORRECTIONS.length);
            long context = 300 + 120L * n;
            Turn t = new Turn();

            DecisionRecord d = send(new AgentEvent.TurnStart(work[0]));
            boolean prelude = false;
            if (breaks(d)) {
                BreakReason reason = ((Decision.CircuitBreak) d.decision()).reason();
                if (reason instanceof BreakReason.OperatorHalt) {
                    observer.decision(d, "turn not started, waiting for the halt to be lifted");
                    t.halted = true;
                    return t;
                }
                return endTurn(t, d, false);
            }
            if (acting(d, Decision.ProceduralWarning.class)) {
                prelude = true;
                observer.decision(d, "prelude injected");
            } else {
                observer.decision(d, null);
            }

            boolean looping = false;
            int calls;
            String tool;
            switch (behaviour) {
                case TOOL_LOOPER -> {
                    looping = loopRoll < (reprompted ? 0.2 : 0.8);
                    calls = looping ? LOOP_CALLS : 1 + (int) (readRoll * 2);
                    tool = "search_orders";
                }
                case BUDGET_BURNER -> {
                    calls = 0;
                    tool = null;
                }
                default -> {
                    calls = readRoll < 1.0 / 3 ? 1 : 0;
                    tool = "read_file";
                }
            }
            for (int i = 0; i < calls; i++) {
                t.tokensIn += context + 40L * i;
                t.tokensOut += 40 + (long) (noise * 40);
                t.toolCalls++;
                d = send(new AgentEvent.ToolCall(tool, "{\"step\":" + i + "}"));
                if (breaks(d)) {
                    return endTurn(t, d, true);
                }
                observer.decision(d, null);
                d = send(new AgentEvent.ToolResult(tool, !"read_file".equals(tool) || readRoll > 0.03, 20 + i, null));
                if (breaks(d)) {
                    return endTurn(t, d, true);
                }
                observer.decision(d, null);
            }

            boolean drifted = behaviour == Behaviour.DRIFTER && driftRoll < 0.7;
            t.tokensIn += context;
            t.tokensOut += answerTokens;
            for (double lp : logprobs) {
                noos.token(envelope(new EnvelopeEvent.Single(new AgentEvent.Token("", lp, 0))));
            }
            d = send(new AgentEvent.TurnComplete(drifted ? OFF_TOPIC : work[1]));
            if (breaks(d)) {
                return endTurn(t, d, true);
            }
            if (acting(d, Decision.ScopeDriftWarn.class)) {
                observer.decision(d, "answer retried with the task restated");
                drifted = retryRoll >= 0.85;
                t.tokensIn += context;
                t.tokensOut += answerTokens;
                d = send(new AgentEvent.TurnComplete(drifted ? OFF_TOPIC : work[1]));
                if (breaks(d)) {
                    return endTurn(t, d, true);
                }
            }
            observer.decision(d, null);

            d = send(new AgentEvent.Cost(t.tokensIn, t.tokensOut, 900 + (long) (noise * 2000), "simulated"));
            if (breaks(d)) {
                return abandonAfter(t, d);
            }
            observer.decision(d, null);
            boolean violated = behaviour == Behaviour.CORRECTED && violationRoll < (prelude ? 0.15 : 0.9);
            double quality = switch (behaviour) {
                case BUDGET_BURNER -> Math.max(0.05, 0.7 - 0.15 * n);
                case DRIFTER -> drifted ? 0.55 + 0.15 * noise : 0.8 + 0.15 * noise;
                case TOOL_LOOPER -> looping ? 0.55 + 0.1 * noise : 0.8 + 0.15 * noise;
                case CORRECTED -> violated ? 0.6 + 0.1 * noise : 0.8 + 0.15 * noise;
                case HEALTHY -> 0.8 + 0.15 * noise;
            };
            d = send(new AgentEvent.QualityFeedback(quality));
            if (breaks(d)) {
                return abandonAfter(t, d);
            }
            observer.decision(d, null);
            if (violated) {
                d = send(new AgentEvent.UserCorrection(CORRECTIONS[correction], true));
                observer.decision(d, breaks(d) ? "nothing more this turn" : null);
            }
            t.good = switch (behaviour) {
                case HEALTHY -> true;
                case TOOL_LOOPER -> !looping;
                case DRIFTER -> !drifted;
                case CORRECTED -> !violated;
                case BUDGET_BURNER -> false;   // its answers never satisfy; only a break stops it early
            };
            return t;
        }

        /** A break before the answer: the spend so far is reported and the turn ends. */
        private Turn endTurn(Turn t, DecisionRecord d, boolean report) throws Stopped {
            BreakReason reason = ((Decision.CircuitBreak) d.decision()).reason();
            boolean loop = reason instanceof BreakReason.RepeatedToolCallLoop
                    || reason instanceof BreakReason.RepeatedIdenticalToolCall || reason instanceof BreakReason.ToolCallCycle;
            boolean abandon = abandons(reason);
            observer.decision(d, abandon ? "turn ended, task abandoned"
                    : loop ? "turn ended, no more tool calls; re-prompted with a different approach" : "turn ended");
            reprompted |= loop;
            t.ended = true;
            t.abandon = abandon;
            if (report && t.tokensIn + t.tokensOut > 0) {
                observer.decision(send(new AgentEvent.Cost(t.tokensIn, t.tokensOut, 500, "simulated")), null);
            }
            return t;
        }

        private Turn abandonAfter(Turn t, DecisionRecord d) {
            BreakReason reason = ((Decision.CircuitBreak) d.decision()).reason();
            boolean abandon = abandons(reason);
            observer.decision(d, abandon ? "task abandoned" : "nothing more this turn");
            t.ended = true;
            t.abandon = abandon;
            return t;
        }

        private boolean abandons(BreakReason reason) {
            return reason instanceof BreakReason.CostCapReached || reason instanceof BreakReason.QualityDeclineNoRecovery
                    || reason instanceof BreakReason.TokenBudgetExceeded
                    || reason instanceof BreakReason.RepeatedFailurePattern;
        }

        private boolean breaks(DecisionRecord d) {
            return acting(d, Decision.CircuitBreak.class);
        }

        private boolean acting(DecisionRecord d, Class<? extends Decision> kind) {
            return acting && d != null && kind.isInstance(d.decision());
        }

        private DecisionRecord send(AgentEvent event) throws Stopped {
            try {
                return noos.send(envelope(new EnvelopeEvent.Single(event))).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            } catch (ExecutionException | CompletionException e) {
                return null;   // no decision in time (the service is down or slow): carry on as without one
            }
        }

        private EventEnvelope envelope(EnvelopeEvent event) {
            return new EventEnvelope(null, userId, agentId, session, clock.getAsLong(), event);
        }
    }

    /** The kinds an agent acts on, in the order reports show them. */
    static final List<String> ACTED_ON = List.of(DecisionVocabulary.CIRCUIT_BREAK,
            new Decision.ProceduralWarning(List.of()).kind(), DecisionVocabulary.SCOPE_DRIFT_WARN);
}
