package io.noos.streams.crash;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.logfile.JsonLinesWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;

/**
 * The crash test's event log: a deterministic fleet (same seed, same bytes) of {@code users} agents
 * interleaved at random into {@code events} envelopes, each with an explicit event id
 * {@code <user>-<n>}. Like the fleet workload, most envelopes are tokens; every turn also has a
 * turn start, a response, a cost and a quality score, and agents behave in one of five ways
 * (healthy, looping on a tool, drifting off task, corrected by their user, burning budget while
 * quality falls), so every kind of decision occurs. A new session starts every 8 turns, and about
 * one envelope in 500 is a redelivery of the user's previous envelope (same id): the service must
 * apply and decide it once.
 */
final class CrashWorkload {
    /** 2026-01-01T00:00:00Z: event time of the first envelope. */
    static final long T0 = 1_767_225_600_000L;

    private static final String[][] TASKS = {
            {"Refactor the payment service client to be async",
                    "The payment service client is now async with an async refactor of each call."},
            {"Add retry logic to the inventory sync job",
                    "The inventory sync job now has retry logic with backoff for each sync."},
            {"Explain the kafka consumer rebalance protocol",
                    "The kafka consumer rebalance protocol assigns partitions to each consumer."},
            {"Write unit tests for the invoice parser",
                    "Unit tests for the invoice parser cover totals, dates and currency parsing."},
            {"Optimize the search index query latency",
                    "The search index query latency drops with a cached query plan and index hints."},
    };
    private static final String OFF_TOPIC = "Here is a poem about autumn leaves, coffee, mountains and jazz music.";
    private static final String[] CORRECTIONS = {"Please keep the answer short", "No extra logging statements",
            "Do not change the public API", "Stop adding comments everywhere"};
    private static final String[] TOKENS = {" the", " async", " client", " retry", "ing", " query", "(", ";", "\n",
            " index", " é", " 数据", " 😀"};

    private enum Behaviour { HEALTHY, TOOL_LOOPER, DRIFTER, CORRECTED, BUDGET_BURNER }

    /** What a generated log holds. */
    record Counts(long envelopes, int users, long tokenEnvelopes, long redeliveries) {}

    private CrashWorkload() {}

    /** Writes the log to {@code file} (JSON Lines, one envelope per line). */
    static Counts write(Path file, long seed, int users, long events) throws IOException {
        if (users < 1 || events < users) {
            throw new IllegalArgumentException("need at least one user and one event per user");
        }
        SplittableRandom pick = new SplittableRandom(seed);
        Agent[] agents = new Agent[users];
        for (int i = 0; i < users; i++) {
            agents[i] = new Agent(String.format("user-%05d", i + 1), Behaviour.values()[i % Behaviour.values().length],
                    new SplittableRandom(seed * 31 + i));
        }
        long at = T0;
        long tokens = 0;
        long redeliveries = 0;
        try (JsonLinesWriter out = JsonLinesWriter.create(file)) {
            for (long n = 0; n < events; n++) {
                at += 1 + pick.nextInt(20);
                // The first pass gives every user at least one envelope, so the log has `users` users.
                Agent agent = n < users ? agents[(int) n] : agents[pick.nextInt(users)];
                EventEnvelope e;
                if (agent.last != null && pick.nextInt(500) == 0) {
                    e = agent.last;
                    redeliveries++;
                } else {
                    e = agent.next(at);
                }
                if (e.event().isTokenLike()) {
                    tokens++;
                }
                out.write(EnvelopeJson.toBytes(e));
            }
        }
        return new Counts(events, users, tokens, redeliveries);
    }

    /** One user's agent: turns are generated lazily, event by event. */
    private static final class Agent {
        private final String user;
        private final String agentId;
        private final Behaviour behaviour;
        private final SplittableRandom random;
        private final Deque<EnvelopeEvent> pending = new ArrayDeque<>();
        private int turn;
        private int session;
        private long seq;
        EventEnvelope last;

        Agent(String user, Behaviour behaviour, SplittableRandom random) {
            this.user = user;
            this.agentId = "agent-" + behaviour.name().toLowerCase(java.util.Locale.ROOT);
            this.behaviour = behaviour;
            this.random = random;
        }

        EventEnvelope next(long at) {
            if (pending.isEmpty()) {
                planTurn();
            }
            last = new EventEnvelope(user + "-" + (++seq), user, agentId, user + "-s" + session, at, pending.poll());
            return last;
        }

        private void planTurn() {
            if (turn > 0 && turn % 8 == 0) {
                session++;   // a new task: the service's per-task reset
            }
            turn++;
            String[] task = TASKS[behaviour == Behaviour.CORRECTED ? 0 : random.nextInt(TASKS.length)];
            single(new AgentEvent.TurnStart(task[0]));
            int tokenCount = 10 + random.nextInt(40);
            for (int i = 0; i < tokenCount; ) {
                if (random.nextInt(8) == 0) {
                    int size = Math.min(tokenCount - i, 2 + random.nextInt(12));
                    double[] batch = new double[size];
                    for (int j = 0; j < size; j++) {
                        batch[j] = logprob();
                    }
                    pending.add(new EnvelopeEvent.TokenBatch(batch));
                    i += size;
                } else {
                    single(new AgentEvent.Token(TOKENS[random.nextInt(TOKENS.length)], logprob(), i));
                    i++;
                }
            }
            switch (behaviour) {
                case TOOL_LOOPER -> {
                    for (int i = 0; i < 6; i++) {
                        single(new AgentEvent.ToolCall("search_orders", "{\"page\":" + i + "}"));
                        single(new AgentEvent.ToolResult("search_orders", true, 80 + random.nextInt(40), null));
                    }
                    single(new AgentEvent.TurnComplete(task[1]));
                }
                case DRIFTER -> single(new AgentEvent.TurnComplete(OFF_TOPIC));
                default -> {
                    if (random.nextInt(3) == 0) {
                        single(new AgentEvent.ToolCall("read_file", "{\"path\":\"src/main.rs\"}"));
                        boolean ok = random.nextInt(10) > 0;
                        single(new AgentEvent.ToolResult("read_file", ok, 20, ok ? null : "file not found"));
                    }
                    single(new AgentEvent.TurnComplete(task[1]));
                }
            }
            long tokensOut = behaviour == Behaviour.BUDGET_BURNER ? 2_500 + random.nextInt(500) : 150 + random.nextInt(300);
            single(new AgentEvent.Cost(200 + random.nextInt(200), tokensOut, 800 + random.nextInt(2_000), "simulated"));
            single(new AgentEvent.QualityFeedback(quality()));
            if (behaviour == Behaviour.CORRECTED) {
                single(new AgentEvent.UserCorrection(CORRECTIONS[random.nextInt(CORRECTIONS.length)], true));
            }
        }

        private double logprob() {
            return random.nextInt(200) == 0 ? Double.NaN : -Math.abs(random.nextDouble() * 2.5);
        }

        private double quality() {
            return switch (behaviour) {
                case BUDGET_BURNER -> Math.max(0.05, 0.7 - 0.15 * ((turn - 1) % 8));
                case DRIFTER -> 0.55 + random.nextDouble() * 0.2;
                default -> 0.8 + random.nextDouble() * 0.15;
            };
        }

        private void single(AgentEvent event) {
            pending.add(new EnvelopeEvent.Single(event));
        }
    }
}
