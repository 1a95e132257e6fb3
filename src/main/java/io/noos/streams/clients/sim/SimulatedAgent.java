package io.noos.streams.clients.sim;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One simulated agent serving one user, with a behaviour that exercises one of the regulator's
 * rules. Each call to {@link #nextTurn} returns the envelopes of one whole turn, deterministic for a
 * given seed.
 */
final class SimulatedAgent {

    enum Behaviour {
        /** On-topic answers, good quality: the regulator says continue. */
        HEALTHY,
        /** Calls the same tool over and over: circuit break on the 5th call. */
        TOOL_LOOPER,
        /** Answers about something else: scope-drift warning. */
        DRIFTER,
        /** Keeps being corrected on one topic: procedural warning from the 4th turn. */
        CORRECTED,
        /** Spends heavily while quality falls: cost-cap or quality-decline circuit break. */
        BUDGET_BURNER
    }

    private static final String[][] TASKS = {
            {"Refactor the payment service client to be async", "The payment service client is now async with an async refactor of each call."},
            {"Add retry logic to the inventory sync job", "The inventory sync job now has retry logic with backoff for each sync."},
            {"Explain the kafka consumer rebalance protocol", "The kafka consumer rebalance protocol assigns partitions to each consumer."},
            {"Write unit tests for the invoice parser", "Unit tests for the invoice parser cover totals, dates and currency parsing."},
            {"Optimize the search index query latency", "The search index query latency drops with a cached query plan and index hints."},
    };
    private static final String OFF_TOPIC = "Here is a poem about autumn leaves, coffee, mountains and jazz music instead.";
    private static final String[] CORRECTIONS = {"Please keep the answer short", "No extra logging statements",
            "Do not change the public API", "Stop adding comments everywhere"};

    private final String userId;
    private final String agentId;
    private final Behaviour behaviour;
    private final Random random;
    private int turn;
    private int session;

    SimulatedAgent(String userId, String agentId, Behaviour behaviour, long seed) {
        this.userId = userId;
        this.agentId = agentId;
        this.behaviour = behaviour;
        this.random = new Random(seed);
    }

    String userId() {
        return userId;
    }

    Behaviour behaviour() {
        return behaviour;
    }

    /** The envelopes of the next turn, starting at event time {@code atMs}, 40–400 ms apart. */
    List<EventEnvelope> nextTurn(long atMs) {
        if (turn > 0 && turn % 8 == 0) {
            session++; // a new task every 8 turns: the service's per-task reset
        }
        turn++;
        List<EventEnvelope> out = new ArrayList<>();
        Clock clock = new Clock(atMs);
        String[] task = TASKS[(behaviour == Behaviour.CORRECTED ? 0 : random.nextInt(TASKS.length))];
        add(out, clock, new AgentEvent.TurnStart(task[0]));
        out.add(envelope(clock.next(), new EnvelopeEvent.TokenBatch(logprobs(20 + random.nextInt(30)))));
        switch (behaviour) {
            case TOOL_LOOPER -> {
                for (int i = 0; i < 6; i++) {
                    add(out, clock, new AgentEvent.ToolCall("search_orders", "{\"page\":" + i + "}"));
                    add(out, clock, new AgentEvent.ToolResult("search_orders", true, 80 + random.nextInt(40), null));
                }
                add(out, clock, new AgentEvent.TurnComplete(task[1]));
            }
            case DRIFTER -> add(out, clock, new AgentEvent.TurnComplete(OFF_TOPIC));
            default -> {
                if (random.nextInt(3) == 0) {
                    add(out, clock, new AgentEvent.ToolCall("read_file", "{\"path\":\"src/main.rs\"}"));
                    add(out, clock, new AgentEvent.ToolResult("read_file", random.nextInt(10) > 0, 20, null));
                }
                add(out, clock, new AgentEvent.TurnComplete(task[1]));
            }
        }
        long tokensOut = behaviour == Behaviour.BUDGET_BURNER ? 2500 + random.nextInt(500) : 150 + random.nextInt(300);
        add(out, clock, new AgentEvent.Cost(200 + random.nextInt(200), tokensOut, 800 + random.nextInt(2000), "simulated"));
        add(out, clock, new AgentEvent.QualityFeedback(quality()));
        if (behaviour == Behaviour.CORRECTED) {
            add(out, clock, new AgentEvent.UserCorrection(CORRECTIONS[random.nextInt(CORRECTIONS.length)], true));
        }
        return out;
    }

    private double quality() {
        return switch (behaviour) {
            case BUDGET_BURNER -> Math.max(0.05, 0.7 - 0.15 * ((turn - 1) % 8));
            case DRIFTER -> 0.55 + random.nextDouble() * 0.2;
            default -> 0.8 + random.nextDouble() * 0.15;
        };
    }

    private double[] logprobs(int n) {
        double[] lp = new double[n];
        for (int i = 0; i < n; i++) {
            lp[i] = -Math.abs(random.nextGaussian() * 0.8);
        }
        return lp;
    }

    private void add(List<EventEnvelope> out, Clock clock, AgentEvent event) {
        out.add(envelope(clock.next(), new EnvelopeEvent.Single(event)));
    }

    private EventEnvelope envelope(long at, EnvelopeEvent event) {
        return new EventEnvelope(null, userId, agentId, userId + "-task-" + session, at, event);
    }

    private final class Clock {
        private long now;

        Clock(long start) {
            now = start;
        }

        long next() {
            now += 40 + random.nextInt(360);
            return now;
        }
    }
}
