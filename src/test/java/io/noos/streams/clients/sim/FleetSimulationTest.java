package io.noos.streams.clients.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.decide.DeciderSettings;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulated fleet against the service's own rules in this process ({@link LocalDecisions}): the
 * agents act as {@link SimulatedAgent} says (checked on the events they send), acting saves, the
 * comparison is the same on every run, and the printer shows each intervention once per user,
 * turn and kind.
 */
class FleetSimulationTest {
    private static final Pattern LINE = Pattern.compile("^\\S+ (\\S+)\\s+\\S+\\s+turn (\\d+)\\s+after \\S+\\s+([A-Z]+ [A-Z]+)");

    private static SimulationReport.Snapshot run(int agents, int tasks, ByteArrayOutputStream printed) throws Exception {
        AtomicLong clock = new AtomicLong(1_767_225_600_000L);
        try (FleetSimulator sim = FleetSimulator.local(new FleetSimulator.Options(agents, 42, 0, tasks, true),
                DeciderSettings.DEFAULTS, new DecisionPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8), false),
                clock::incrementAndGet)) {
            assertTrue(sim.awaitFinished(Duration.ofSeconds(60)));
            return sim.report();
        }
    }

    @Test
    void actingSavesTokensToolCallsAndTurnsTheSameOnEveryRun() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SimulationReport.Snapshot first = run(10, 3, printed);
        SimulationReport.Snapshot second = run(10, 3, new ByteArrayOutputStream());
        assertEquals(first, second, "seeded agents, deterministic rules: the same report");
        assertEquals(30, first.acting().tasks());
        assertEquals(30, first.notActing().tasks());
        SimulationReport.Totals saved = first.saved();
        assertTrue(saved.tokens() > 0 && saved.toolCalls() > 0 && saved.turns() > 0, saved.toString());
        for (String kind : SimulatedAgent.ACTED_ON) {
            assertTrue(first.interventions().get(kind) > 0, kind + " acted on: " + first.interventions());
        }
        assertFalse(first.running());
        assertTrue(first.text().contains("acting on decisions saved, over 30 finished tasks"), first.text());
        assertEquals(saved.tokens(), first.json().get("saved").get("tokens").asLong());

        // Each intervention once per (user, turn, kind), however many events of the turn repeat it.
        Set<String> seen = new HashSet<>();
        int lines = 0;
        for (String line : printed.toString(StandardCharsets.UTF_8).split("\n")) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.find(), line);
            assertTrue(seen.add(m.group(1) + "/" + m.group(2) + "/" + m.group(3)), "printed twice: " + line);
            lines++;
        }
        assertTrue(lines >= first.interventions().values().stream().mapToLong(Long::longValue).sum());
    }

    /** Records what an agent sends and hands each event to the rules. */
    private static final class Recorder implements DecisionSource {
        final DecisionSource rules = new LocalDecisions(DeciderSettings.DEFAULTS);
        final List<String> log = new ArrayList<>();

        @Override
        public CompletableFuture<DecisionRecord> send(EventEnvelope event) {
            DecisionRecord d = rules.send(event).join();
            String type = event.event().type();
            if (event.event() instanceof EnvelopeEvent.Single s && s.event() instanceof AgentEvent.ToolCall call) {
                type += ":" + call.toolName();
            }
            log.add(type + ">" + d.decision().kind());
            return CompletableFuture.completedFuture(d);
        }

        @Override
        public void token(EventEnvelope token) {
            rules.token(token);
        }
    }

    private static SimulatedAgent agent(SimulatedAgent.Behaviour b) {
        AtomicLong clock = new AtomicLong(1_767_225_600_000L);
        return new SimulatedAgent("u", "a", b, 7, clock::incrementAndGet);
    }

    @Test
    void aCircuitBreakEndsTheTurnWithNoFurtherToolCallOrAnswer() throws Exception {
        for (SimulatedAgent.Behaviour b : SimulatedAgent.Behaviour.values()) {
            Recorder noos = new Recorder();
            SimulatedAgent agent = agent(b);
            for (int task = 0; task < 4; task++) {
                agent.runTask(task, noos, true, SimulatedAgent.Pacing.NONE, SimulatedAgent.Observer.NONE);
            }
            boolean broken = false;
            for (String step : noos.log) {
                if (step.startsWith("turn_start")) {
                    broken = false;
                } else if (broken) {
                    assertTrue(step.startsWith("cost>"), b + ": after a break only the turn's spend is reported: " + noos.log);
                }
                broken |= step.endsWith(">circuit_break");
            }
        }
    }

    @Test
    void eachBehaviourActsAsDescribed() throws Exception {
        // a tool loop is cut at the 5th call, where the agent not acting makes all 10
        Recorder looper = new Recorder();
        SimulatedAgent l = agent(SimulatedAgent.Behaviour.TOOL_LOOPER);
        SimulatedAgent.TaskTotals cut = l.runTask(0, looper, true, SimulatedAgent.Pacing.NONE, SimulatedAgent.Observer.NONE);
        SimulatedAgent.TaskTotals loops = l.runTask(0, DecisionSource.IGNORED, false, SimulatedAgent.Pacing.NONE,
                SimulatedAgent.Observer.NONE);
        assertTrue(looper.log.contains("tool_call:search_orders>circuit_break"), looper.log.toString());
        assertTrue(cut.toolCalls() < loops.toolCalls(), cut + " vs " + loops);

        // a drift warning is followed by the answer again, in the same turn
        Recorder drifter = new Recorder();
        agent(SimulatedAgent.Behaviour.DRIFTER).runTask(0, drifter, true, SimulatedAgent.Pacing.NONE,
                SimulatedAgent.Observer.NONE);
        int warned = drifter.log.indexOf("turn_complete>scope_drift_warn");
        assertTrue(warned >= 0, drifter.log.toString());
        assertTrue(drifter.log.get(warned + 1).startsWith("turn_complete>"), "retried: " + drifter.log);

        // with the prelude, the user corrects less than without
        SimulatedAgent c = agent(SimulatedAgent.Behaviour.CORRECTED);
        SimulatedAgent shadow = agent(SimulatedAgent.Behaviour.CORRECTED);
        Recorder corrected = new Recorder();
        Recorder ignoring = new Recorder();
        for (int task = 0; task < 4; task++) {
            c.runTask(task, corrected, true, SimulatedAgent.Pacing.NONE, SimulatedAgent.Observer.NONE);
            shadow.runTask(task, ignoring, false, SimulatedAgent.Pacing.NONE, SimulatedAgent.Observer.NONE);
        }
        assertTrue(corrected.log.contains("turn_start>procedural_warning"));
        assertTrue(count(corrected.log, "user_correction") < count(ignoring.log, "user_correction"),
                count(corrected.log, "user_correction") + " vs " + count(ignoring.log, "user_correction"));

        // a budget burner abandons its task at the break; not acting, it burns every turn of it
        SimulatedAgent burner = agent(SimulatedAgent.Behaviour.BUDGET_BURNER);
        SimulatedAgent.TaskTotals abandoned = burner.runTask(0, new Recorder(), true, SimulatedAgent.Pacing.NONE,
                SimulatedAgent.Observer.NONE);
        SimulatedAgent.TaskTotals burnt = burner.runTask(0, DecisionSource.IGNORED, false, SimulatedAgent.Pacing.NONE,
                SimulatedAgent.Observer.NONE);
        assertFalse(abandoned.done());
        assertEquals(SimulatedAgent.MAX_TURNS_PER_TASK, burnt.turns());
        assertTrue(abandoned.turns() < burnt.turns() && abandoned.tokens() < burnt.tokens());

        // a healthy agent gets nothing to act on: acting changes nothing
        SimulatedAgent healthy = agent(SimulatedAgent.Behaviour.HEALTHY);
        for (int task = 0; task < 4; task++) {
            Recorder r = new Recorder();
            assertEquals(healthy.runTask(task, DecisionSource.IGNORED, false, SimulatedAgent.Pacing.NONE,
                    SimulatedAgent.Observer.NONE), healthy.runTask(task, r, true, SimulatedAgent.Pacing.NONE,
                    SimulatedAgent.Observer.NONE));
            assertTrue(r.log.stream().allMatch(s -> s.endsWith(">continue")), r.log.toString());
        }
    }

    private static long count(List<String> log, String type) {
        return log.stream().filter(s -> s.startsWith(type + ">")).count();
    }
}
