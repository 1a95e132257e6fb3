package io.noos.streams.clients.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.CliRun;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code run --simulate 5 --compare --tasks 2} as a user runs it (in-process broker, the real
 * service, the agents on the orchestrator client): it ends by itself once every agent has done its
 * tasks, prints each intervention once per user, turn and kind, and reports exactly the savings the
 * same agents get from the service's rules in this process, with the decisions' latency.
 */
class SimulateCompareIT {
    private static final Pattern INTERVENTION =
            Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (\\S+)\\s+\\S+\\s+turn (\\d+)\\s+after \\S+\\s+([A-Z]+ [A-Z]+)");

    @Test
    @Timeout(300)
    void theCompareRunEndsAndSavesWhatTheRulesSay() throws Exception {
        CliRun run = CliRun.of("run", "--simulate", "5", "--compare", "--tasks", "2", "--turn-interval-ms", "0",
                "--http-port", "-1");
        assertEquals(0, run.exitCode(), run.stderr());

        SimulationReport.Snapshot expected;
        try (FleetSimulator local = FleetSimulator.local(new FleetSimulator.Options(5, 42, 0, 2, true),
                ServiceConfig.load(null, Map.of(), Map.of()).topologySettings().decider(),
                new DecisionPrinter(new java.io.PrintStream(new ByteArrayOutputStream()), false),
                new AtomicLong(System.currentTimeMillis())::incrementAndGet)) {
            assertTrue(local.awaitFinished(Duration.ofSeconds(60)));
            expected = local.report();
        }
        List<String> out = run.stdout().lines().toList();
        for (String what : List.of("tokens", "tool calls", "turns")) {
            String line = expected.text().lines().filter(l -> l.startsWith("  " + what + " ")).findFirst().orElseThrow();
            assertTrue(out.contains(line), "the service saves as the rules do: " + line + "\n" + run.stdout());
        }
        assertTrue(out.contains("acting on decisions saved, over 10 finished tasks against the same agents not acting:"),
                run.stdout());
        assertTrue(out.stream().anyMatch(l -> l.matches("decision in the agent's hands after its event was sent: "
                + "p50 [0-9.]+ ms, p99 [0-9.]+ ms \\([0-9,]+ decisions, 0 timed out\\)")), run.stdout());
        Set<String> printed = new HashSet<>();
        int interventions = 0;
        for (String line : out) {
            Matcher m = INTERVENTION.matcher(line);
            if (m.find()) {
                assertTrue(printed.add(m.group(1) + "/" + m.group(2) + "/" + m.group(3)), "printed twice: " + line);
                interventions++;
            }
        }
        assertTrue(interventions > 0, run.stdout());
    }
}
