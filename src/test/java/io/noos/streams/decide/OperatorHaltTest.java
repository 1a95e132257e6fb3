package io.noos.streams.decide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import io.noos.streams.testkit.AgentEventArbitraries;
import io.noos.streams.testkit.TestEvent;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The operator's kill switch, by its rule: while a halt applies to the user (their entry, their
 * event's agent's, or {@code *}), every decision is {@code circuit_break} / {@code operator_halt}
 * naming the most specific halting entry, whatever the regulator or a detector says; tokens still
 * get no decision; and the halt changes no state, so every decision outside the halt, before and
 * after it, and the state at the end are those of a run that was never halted.
 */
class OperatorHaltTest {
    private static final String USER = "alice";
    private static final String AGENT = "agent-7";

    private static UserDecider decider(PolicyBook book) {
        return new UserDecider(new DeciderSettings(UserSettingsSource.withPolicies(
                UserSettingsSource.fixed(new UserSettings(1_000, 0.5, null)), book), true, 64, DetectorRegistry.BUILT_IN));
    }

    private static EventEnvelope event(int n, AgentEvent e) {
        return TestEvent.user(USER).id("e" + n).agent(AGENT).session("s1").at(1_000L * n).of(e);
    }

    /** A step of the random run: an event, and whether the user is halted when it arrives. */
    record Step(AgentEvent event, boolean halted) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<AgentEvent> loops = Arbitraries.of(new AgentEvent.ToolCall("search", null));
        Arbitrary<AgentEvent> events = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, AgentEventArbitraries.events()),
                net.jqwik.api.Tuple.of(1, loops));
        return Combinators.combine(events, Arbitraries.of(false, false, true)).as(Step::new).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 300)
    void aHaltOnlyReplacesTheDecisionsWhileItIsInForce(@ForAll("steps") List<Step> steps,
                                                      @ForAll("keys") String key) {
        PolicyBook never = new PolicyBook();
        PolicyBook halting = new PolicyBook();
        UserDecider plain = decider(never);
        UserDecider halted = decider(halting);
        UserState a = null;
        UserState b = null;
        int n = 0;
        for (Step step : steps) {
            if (step.halted()) {
                halting.put(PolicyKey.parse(key), PolicyJson.parse("{\"cost_cap\":1000,\"halt\":{\"reason\":\"incident 42\"}}"));
            } else {
                halting.remove(PolicyKey.parse(key));
            }
            EventEnvelope e = event(++n, step.event());
            UserDecider.Outcome x = plain.apply(a, e);
            UserDecider.Outcome y = halted.apply(b, e);
            a = x.state();
            b = y.state();
            if (x.decision() == null) {
                assertNull(y.decision(), "tokens get no decision, halted or not");
                continue;
            }
            if (step.halted()) {
                Decision d = y.decision().decision();
                assertEquals(new Decision.CircuitBreak(new BreakReason.OperatorHalt(key, "incident 42"),
                        UserDecider.HALT_SUGGESTION), d);
                assertNull(y.decision().prelude(), "no prelude with a halt");
                assertEquals(x.decision().metrics(), y.decision().metrics(), "the regulator saw the same events");
                assertEquals(x.decision().turn(), y.decision().turn());
            } else {
                assertEquals(DecisionRecordJson.toJson(x.decision()), DecisionRecordJson.toJson(y.decision()),
                        "outside a halt the decisions are the unhalted run's");
            }
        }
        assertArrayEquals(a.encode(), b.encode(), "the halt left no trace in the state");
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(USER, PolicyKey.AGENT_PREFIX + AGENT, PolicyKey.DEFAULT);
    }

    @Test
    void theHaltBeatsACircuitBreakAWarningAndAProceduralWarning() {
        PolicyBook book = new PolicyBook();
        UserDecider decider = decider(book);
        List<EventEnvelope> events = new ArrayList<>();
        int n = 0;
        for (int turn = 0; turn < 4; turn++) {   // three corrections on one topic: a procedural warning next time
            events.add(event(++n, new AgentEvent.TurnStart("refactor the payment client to be async")));
            events.add(event(++n, new AgentEvent.TurnComplete("poem about autumn leaves and jazz")));
            events.add(event(++n, new AgentEvent.UserCorrection("keep it short", true)));
        }
        for (int i = 0; i < 6; i++) {
            events.add(event(++n, new AgentEvent.ToolCall("search", null)));
        }
        UserState s = null;
        List<String> unhalted = new ArrayList<>();
        for (EventEnvelope e : events) {
            UserDecider.Outcome o = decider.apply(s, e);
            s = o.state();
            unhalted.add(o.decision().decision().kind());
        }
        assertTrue(unhalted.containsAll(List.of("procedural_warning", "scope_drift_warn", "circuit_break")),
                "the run has every verdict to beat: " + unhalted);

        book.put(PolicyKey.parse(PolicyKey.DEFAULT), PolicyJson.parse("{\"halt\":{\"reason\":\"everyone\"}}"));
        book.put(PolicyKey.parse("agent:" + AGENT), PolicyJson.parse("{\"halt\":{}}"));
        book.put(PolicyKey.parse(USER), PolicyJson.parse("{\"cost_cap\":900}"));   // no halt of its own
        UserState h = null;
        for (EventEnvelope e : events) {
            UserDecider.Outcome o = decider.apply(h, e);
            h = o.state();
            assertEquals(new BreakReason.OperatorHalt("agent:" + AGENT, null),
                    ((Decision.CircuitBreak) o.decision().decision()).reason(),
                    "the agent's halt is the most specific; the user's entry without one does not lift it");
        }
        book.put(PolicyKey.parse(USER), PolicyJson.parse("{\"halt\":{\"reason\":\"mine\",\"since_ms\":5}}"));
        DecisionRecord mine = decider.apply(h, event(++n, new AgentEvent.TurnStart("hello"))).decision();
        assertEquals(new BreakReason.OperatorHalt(USER, "mine"), ((Decision.CircuitBreak) mine.decision()).reason());
    }

    @Test
    void aDuplicateIsNotDecidedAgainAndAHaltOnAnotherAgentOrUserDoesNotApply() {
        PolicyBook book = new PolicyBook();
        UserDecider decider = decider(book);
        book.put(PolicyKey.parse("agent:agent-8"), PolicyJson.parse("{\"halt\":{}}"));
        book.put(PolicyKey.parse("bob"), PolicyJson.parse("{\"halt\":{}}"));
        UserDecider.Outcome first = decider.apply(null, event(1, new AgentEvent.TurnStart("hello")));
        assertEquals("continue", first.decision().decision().kind());
        book.put(PolicyKey.parse(USER), PolicyJson.parse("{\"halt\":{}}"));
        UserDecider.Outcome again = decider.apply(first.state(), event(1, new AgentEvent.TurnStart("hello")));
        assertTrue(again.duplicate());
        assertNull(again.decision());
        UserDecider.Outcome next = decider.apply(again.state(), event(2, new AgentEvent.TurnComplete("hi")));
        assertEquals("operator_halt", ((Decision.CircuitBreak) next.decision().decision()).reason().kind());
        book.remove(PolicyKey.parse(USER));
        assertNotEquals("circuit_break", decider.apply(next.state(), event(3, new AgentEvent.QualityFeedback(0.9)))
                .decision().decision().kind(), "resumed from the next event");
    }
}
