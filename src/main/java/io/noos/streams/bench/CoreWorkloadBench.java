package io.noos.streams.bench;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.Regulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench core}: feeds a parsed workload to one regulator per user (created on first sight),
 * calling {@code decide()} after every non-token event, and reports the median run.
 */
public final class CoreWorkloadBench {
    private CoreWorkloadBench() {}

    public static void run(Path workloadFile, int warmup, int runs, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Workload w = Workload.load(workloadFile);
        out.printf(Locale.ROOT, "parsed %d events in %.0f ms (not timed)%n", w.size(), (System.nanoTime() - t0) / 1e6);
        for (int i = 0; i < warmup; i++) {
            replay(w);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            System.gc(); // start each timed run with an empty young generation (not timed)
            long start = System.nanoTime();
            long checksum = replay(w);
            nanos[i] = System.nanoTime() - start;
            out.printf(Locale.ROOT, "run %d: %.1f ms, %,.0f events/s (decisions checksum %d)%n", i + 1,
                    nanos[i] / 1e6, w.size() / (nanos[i] / 1e9), checksum);
        }
        Arrays.sort(nanos);
        long median = nanos[runs / 2];
        double nsPerEvent = (double) median / w.size();
        out.printf(Locale.ROOT, "events_per_s=%d ns_per_event=%.1f%n", Math.round(w.size() / (median / 1e9)), nsPerEvent);
    }

    /** One replay; returns a checksum of the decision kinds so the work cannot be optimised away. */
    static long replay(Workload w) {
        Map<String, Regulator> regulators = new HashMap<>(4096);
        String[] users = w.userIds();
        long[] at = w.atMs();
        AgentEvent[] events = w.events();
        long checksum = 0;
        for (int i = 0; i < events.length; i++) {
            String user = users[i];
            Regulator r = regulators.get(user);
            if (r == null) {
                r = Regulator.forUser(user);
                regulators.put(user, r);
            }
            AgentEvent e = events[i];
            r.onEvent(e, at[i]);
            if (!(e instanceof AgentEvent.Token)) {
                Decision d = r.decide();
                checksum += d.kind().length();
            }
        }
        return checksum;
    }
}
