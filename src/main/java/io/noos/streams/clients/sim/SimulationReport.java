package io.noos.streams.clients.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.clients.orchestrator.DecisionLatency;
import io.noos.streams.json.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a simulated run did: the interventions the agents acted on (each once per user, turn and
 * kind) and, when compared, what acting saved. The comparison is per task: every task an acting
 * agent finished (done or abandoned) is also worked through by the same agent ignoring every
 * decision (same seed, same world, no service), and the two are added up: model tokens (in + out),
 * tool calls and turns. Tasks still in progress when the run stops are not counted. Thread-safe.
 */
public final class SimulationReport {
    /** Totals of tasks: model tokens (in + out), tool calls, turns, tasks. */
    public record Totals(long tokens, long toolCalls, long turns, long tasks) {
        static final Totals ZERO = new Totals(0, 0, 0, 0);

        Totals plus(SimulatedAgent.TaskTotals t) {
            return new Totals(tokens + t.tokens(), toolCalls + t.toolCalls(), turns + t.turns(), tasks + 1);
        }
    }

    /**
     * A view of the report.
     *
     * @param agents        simulated agents
     * @param compared      whether the agents were compared with themselves not acting
     * @param acting        the acting agents' finished tasks
     * @param notActing     the same tasks, decisions ignored (zero when not compared)
     * @param interventions interventions acted on, by decision kind (each once per user, turn and kind)
     * @param latency       send to decision in the agent's hands (null when no service was asked)
     * @param timeouts      events whose decision did not come in time
     * @param running       whether the agents are still at work
     */
    public record Snapshot(int agents, boolean compared, Totals acting, Totals notActing,
                           Map<String, Long> interventions, DecisionLatency.Snapshot latency, long timeouts,
                           boolean running) {

        public Totals saved() {
            return new Totals(notActing.tokens - acting.tokens, notActing.toolCalls - acting.toolCalls,
                    notActing.turns - acting.turns, acting.tasks);
        }

        /** The lines printed at the end of a run. */
        public String text() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "interventions acted on: %s%n", interventionsText()));
            if (compared) {
                Totals saved = saved();
                s.append(String.format(Locale.ROOT, "acting on decisions saved, over %,d finished tasks against the same "
                        + "agents not acting:%n", acting.tasks));
                s.append(line("tokens", notActing.tokens, acting.tokens, saved.tokens));
                s.append(line("tool calls", notActing.toolCalls, acting.toolCalls, saved.toolCalls));
                s.append(line("turns", notActing.turns, acting.turns, saved.turns));
            }
            if (latency != null) {
                s.append(latency.count() == 0 ? String.format("decision in the agent's hands: no decision yet%n")
                        : String.format(Locale.ROOT, "decision in the agent's hands after its event was sent: p50 %.1f ms, "
                                + "p99 %.1f ms (%,d decisions, %,d timed out)%n", latency.p50Ms(), latency.p99Ms(),
                                latency.count(), timeouts));
            }
            return s.toString();
        }

        private String interventionsText() {
            StringBuilder s = new StringBuilder();
            interventions.forEach((kind, n) -> s.append(s.length() == 0 ? "" : ", ").append(n).append(' ')
                    .append(kind));
            return s.length() == 0 ? "none" : s.toString();
        }

        private static String line(String what, long without, long with, long saved) {
            double share = without == 0 ? 0 : 100.0 * saved / without;
            return String.format(Locale.ROOT, "  %-10s %,12d not acting -> %,12d acting: %,d saved (%.1f %%)%n", what,
                    without, with, saved, share);
        }

        /** The answer of {@code GET /simulation}. */
        public ObjectNode json() {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("agents", agents).put("running", running).put("compared", compared);
            ObjectNode kinds = o.putObject("interventions");
            interventions.forEach(kinds::put);
            if (compared) {
                o.put("tasks_compared", acting.tasks);
                totals(o.putObject("acting"), acting);
                totals(o.putObject("not_acting"), notActing);
                totals(o.putObject("saved"), saved());
            }
            if (latency != null) {
                ObjectNode l = o.putObject("decision_latency_ms");
                l.put("count", latency.count());
                number(l, "p50", latency.p50Ms());
                number(l, "p95", latency.p95Ms());
                number(l, "p99", latency.p99Ms());
                number(l, "max", latency.maxMs());
                o.put("timeouts", timeouts);
            }
            return o;
        }

        private static void totals(ObjectNode o, Totals t) {
            o.put("tokens", t.tokens).put("tool_calls", t.toolCalls).put("turns", t.turns);
        }

        private static void number(ObjectNode o, String field, double v) {
            if (Double.isNaN(v)) {
                o.putNull(field);
            } else {
                o.put(field, Math.round(v * 10) / 10.0);
            }
        }
    }

    private final int agents;
    private final boolean compared;
    private Totals acting = Totals.ZERO;
    private Totals notActing = Totals.ZERO;
    private final Map<String, Long> interventions = new LinkedHashMap<>();

    SimulationReport(int agents, boolean compared) {
        this.agents = agents;
        this.compared = compared;
        SimulatedAgent.ACTED_ON.forEach(k -> interventions.put(k, 0L));
    }

    synchronized void task(SimulatedAgent.TaskTotals actingTask, SimulatedAgent.TaskTotals notActingTask) {
        acting = acting.plus(actingTask);
        if (notActingTask != null) {
            notActing = notActing.plus(notActingTask);
        }
    }

    synchronized void intervention(String kind) {
        interventions.merge(kind, 1L, Long::sum);
    }

    synchronized Snapshot snapshot(DecisionLatency.Snapshot latency, long timeouts, boolean running) {
        return new Snapshot(agents, compared, acting, notActing, new LinkedHashMap<>(interventions), latency, timeouts,
                running);
    }
}
