package io.noos.streams.bench;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Regulator;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bench turn}: one realistic turn on a fresh regulator (turn_start, 100 tokens,
 * turn_complete, cost, decide), repeated; reports the median nanoseconds per turn.
 */
public final class TurnBench {
    static final AgentEvent.TurnStart TURN_START =
            new AgentEvent.TurnStart("Refactor the fetch_user handler to be async and keep the retry logic for "
                    + "transient database errors");
    static final AgentEvent.TurnComplete TURN_COMPLETE =
            new AgentEvent.TurnComplete("Here's the refactored fetch_user handler. It is now async, awaits the "
                    + "database call, and keeps the retry loop with exponential backoff for transient errors.");
    static final AgentEvent.Cost COST = new AgentEvent.Cost(350, 120, 1800, "openai");
    static final AgentEvent.Token[] TOKENS = tokens(100);

    private TurnBench() {}

    static AgentEvent.Token[] tokens(int n) {
        AgentEvent.Token[] t = new AgentEvent.Token[n];
        for (int i = 0; i < n; i++) {
            t[i] = new AgentEvent.Token("tok" + i, -0.05 - (i % 17) * 0.11, i);
        }
        return t;
    }

    /** One whole turn on a fresh regulator; returns the decision kind's length as a sink. */
    public static int turn() {
        Regulator r = Regulator.forUser("bench-user");
        r.onEvent(TURN_START, 0);
        for (int i = 0; i < TOKENS.length; i++) {
            r.onEvent(TOKENS[i], 1 + i);
        }
        r.onEvent(TURN_COMPLETE, 200);
        r.onEvent(COST, 201);
        return r.decide().kind().length();
    }

    public static void run(int runs, int turnsPerRun, PrintStream out) {
        long sink = 0;
        for (int i = 0; i < turnsPerRun * 2; i++) {
            sink += turn();
        }
        long[] nanos = new long[runs];
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            for (int i = 0; i < turnsPerRun; i++) {
                sink += turn();
            }
            nanos[run] = System.nanoTime() - start;
            out.printf(Locale.ROOT, "run %d: %.1f ns/turn%n", run + 1, (double) nanos[run] / turnsPerRun);
        }
        Arrays.sort(nanos);
        out.printf(Locale.ROOT, "(sink %d)%n", sink);
        out.printf(Locale.ROOT, "ns_per_turn=%.1f%n", (double) nanos[runs / 2] / turnsPerRun);
    }
}
