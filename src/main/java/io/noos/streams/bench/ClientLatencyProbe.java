package io.noos.streams.bench;

import io.noos.streams.clients.orchestrator.DecisionLatency;
import io.noos.streams.clients.orchestrator.OrchestratorClient;
import io.noos.streams.clients.orchestrator.OrchestratorSettings;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.config.ServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Latency in the agent's hands during {@code bench pipeline}: a few probe agents
 * ({@code bench-probe-<n>}) beside the workload, each sending one turn after another through the
 * {@link OrchestratorClient} and waiting for every event's decision before its next step, as an
 * orchestrator does. What the client records, from the call that sends an event to its decision in
 * hand, is reported beside the consumer's end-to-end figure. The probes' events are few (each agent
 * has at most one in flight) and their decisions carry no send-time header, so the benchmark's
 * own counts leave them out.
 */
public final class ClientLatencyProbe implements AutoCloseable {
    /** What the probes measured; latencies in milliseconds. */
    public record Figures(int agents, long decisions, double p50Ms, double p95Ms, double p99Ms, long timeouts) {}

    private static final long TURN_PAUSE_MS = 100;

    private final OrchestratorClient client;
    private final List<Thread> agents = new ArrayList<>();
    private volatile boolean stopped;

    private ClientLatencyProbe(OrchestratorClient client) {
        this.client = client;
    }

    /** Starts {@code agents} probe agents on the service configured by {@code config} (none when 0). */
    static ClientLatencyProbe start(ServiceConfig config, int agents) {
        if (agents <= 0) {
            return new ClientLatencyProbe(null);
        }
        OrchestratorSettings settings = OrchestratorSettings.of(config.kafkaProperties())
                .withTopics(config.get(ServiceConfig.INPUT_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC))
                .withFormats(WireFormat.parse(config.get(ServiceConfig.INPUT_FORMAT)),
                        WireFormat.parse(config.get(ServiceConfig.DECISIONS_FORMAT)));
        ClientLatencyProbe probe = new ClientLatencyProbe(OrchestratorClient.start(settings));
        for (int i = 0; i < agents; i++) {
            String user = "bench-probe-" + i;
            Thread t = new Thread(() -> probe.run(user), user);
            t.setDaemon(true);
            probe.agents.add(t);
            t.start();
        }
        return probe;
    }

    private void run(String user) {
        int turn = 0;
        try {
            while (!stopped) {
                String session = user + "-" + turn++;
                decide(user, session, new AgentEvent.TurnStart("Summarize the quarterly revenue report"));
                for (int i = 0; i < 3 && !stopped; i++) {
                    decide(user, session, new AgentEvent.ToolCall("read_file", null));
                    decide(user, session, new AgentEvent.ToolResult("read_file", true, 12, null));
                }
                decide(user, session, new AgentEvent.TurnComplete("The quarterly revenue report, summarized."));
                decide(user, session, new AgentEvent.Cost(400, 300, 900, "bench"));
                decide(user, session, new AgentEvent.QualityFeedback(0.9));
                Thread.sleep(TURN_PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void decide(String user, String session, AgentEvent event) throws InterruptedException {
        try {
            client.send(new EventEnvelope(null, user, "bench-probe", session, System.currentTimeMillis(),
                    new EnvelopeEvent.Single(event))).get();
        } catch (java.util.concurrent.ExecutionException timedOut) {
            // counted by the client
        }
    }

    /** Stops the probes and returns what they measured (null when none ran). */
    Figures finish() {
        if (client == null) {
            return null;
        }
        stopped = true;
        agents.forEach(Thread::interrupt);
        for (Thread t : agents) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        DecisionLatency.Snapshot s = client.latency();
        return new Figures(agents.size(), s.count(), s.p50Ms(), s.p95Ms(), s.p99Ms(), client.timeouts());
    }

    @Override
    public void close() {
        if (client != null) {
            stopped = true;
            client.close();
        }
    }
}
