package io.noos.streams.clients.sim;

import io.noos.streams.clients.orchestrator.DecisionLatency;
import io.noos.streams.clients.orchestrator.OrchestratorClient;
import io.noos.streams.clients.orchestrator.OrchestratorSettings;
import io.noos.streams.decide.DeciderSettings;
import io.noos.streams.envelope.DecisionRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A fleet of simulated agents that close the loop: each works through tasks turn by turn, sends
 * every event through the {@link OrchestratorClient} and acts on its decision before the next step
 * ({@link SimulatedAgent}). The agents' behaviours exercise the regulator's rules: some healthy,
 * some looping on a tool, some drifting, some corrected by their users, some burning budget while
 * quality falls. Each agent runs on a thread of its own, pausing between turns.
 *
 * <p>With {@code compare}, every task an agent finishes is worked through again, at once and
 * without any service, by the same agent ignoring every decision, and the {@link SimulationReport}
 * adds up what acting saved. The agents and their world are seeded, so a run of the same agents
 * over the same number of tasks saves exactly the same (the service's decisions being deterministic).
 */
public final class FleetSimulator implements AutoCloseable {

    /**
     * @param agents          simulated agents ({@code user-1}, ...; behaviours in turn)
     * @param seed            the first agent's seed (the others' follow)
     * @param turnIntervalMs  the pause between an agent's turns
     * @param tasksPerAgent   tasks each agent works through before it stops (0: until closed)
     * @param compare         whether to compare with the same agents not acting
     */
    public record Options(int agents, long seed, long turnIntervalMs, int tasksPerAgent, boolean compare) {
        public Options {
            if (agents < 1 || turnIntervalMs < 0 || tasksPerAgent < 0) {
                throw new IllegalArgumentException("agents >= 1, turn interval >= 0, tasks >= 0; got " + agents + ", "
                        + turnIntervalMs + ", " + tasksPerAgent);
            }
        }
    }

    private final Options options;
    private final DecisionSource source;
    private final OrchestratorClient client;
    private final DecisionPrinter printer;
    private final SimulationReport report;
    private final List<SimulatedAgent> agents = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch finished;
    private volatile boolean stopped;

    private FleetSimulator(Options options, DecisionSource source, OrchestratorClient client, DecisionPrinter printer,
                           LongSupplier clock) {
        this.options = options;
        this.source = source;
        this.client = client;
        this.printer = printer;
        this.report = new SimulationReport(options.agents(), options.compare());
        this.finished = new CountDownLatch(options.agents());
        SimulatedAgent.Behaviour[] kinds = SimulatedAgent.Behaviour.values();
        for (int i = 0; i < options.agents(); i++) {
            agents.add(new SimulatedAgent("user-" + (i + 1), "agent-" + (i % 7 + 1), kinds[i % kinds.length],
                    options.seed() + i, clock));
        }
    }

    /**
     * Agents talking to the service through a client of their own (closed with the simulator).
     *
     * @param printer where the decisions are printed, or null
     */
    public static FleetSimulator start(Options options, OrchestratorSettings client, DecisionPrinter printer) {
        OrchestratorClient c = OrchestratorClient.start(client);
        return new FleetSimulator(options, DecisionSource.of(c), c, printer, System::currentTimeMillis).startAgents();
    }

    /** Agents decided in this process by the service's rules (no broker), with event times from {@code clock}. */
    static FleetSimulator local(Options options, DeciderSettings rules, DecisionPrinter printer, LongSupplier clock) {
        return new FleetSimulator(options, new LocalDecisions(rules), null, printer, clock).startAgents();
    }

    private FleetSimulator startAgents() {
        for (SimulatedAgent agent : agents) {
            Thread t = new Thread(() -> work(agent), "sim-" + agent.userId());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void work(SimulatedAgent agent) {
        SimulatedAgent.Observer observer = (decision, action) -> observe(decision, action);
        SimulatedAgent.Pacing pacing = this::pause;
        try {
            for (int task = 0; !stopped && (options.tasksPerAgent() == 0 || task < options.tasksPerAgent()); task++) {
                SimulatedAgent.TaskTotals acting = agent.runTask(task, source, true, pacing, observer);
                SimulatedAgent.TaskTotals ignoring = options.compare()
                        ? agent.runTask(task, DecisionSource.IGNORED, false, SimulatedAgent.Pacing.NONE,
                                SimulatedAgent.Observer.NONE)
                        : null;
                report.task(acting, ignoring);
            }
        } catch (SimulatedAgent.Stopped stop) {
            // the run ends in the middle of a task: that task is not counted
        } finally {
            finished.countDown();
        }
    }

    private void observe(DecisionRecord decision, String action) {
        if (decision == null) {
            return;   // no decision in time
        }
        boolean first = printer != null ? printer.decision(decision, action) : !"continue".equals(decision.decision().kind());
        if (first && action != null) {
            report.intervention(decision.decision().kind());
        }
    }

    private boolean pause() {
        if (stopped) {
            return false;
        }
        try {
            Thread.sleep(options.turnIntervalMs());
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until every agent has worked through its tasks (only ends with {@code tasksPerAgent} > 0). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the run did so far. */
    public SimulationReport.Snapshot report() {
        DecisionLatency.Snapshot latency = client == null ? null : client.latency();
        return report.snapshot(latency, client == null ? 0 : client.timeouts(), finished.getCount() > 0 && !stopped);
    }

    /** Stops the agents (a task in progress is dropped from the report) and closes the client. */
    @Override
    public void close() {
        stopped = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (client != null) {
            client.close();
        }
    }
}
