package io.noos.streams.clients.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.decide.UserState;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.testkit.AgentEventArbitraries;
import io.noos.streams.testkit.TestEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The client's token coalescing against the service's rule that a {@code token_batch} equals that
 * many {@code token} events: random streams of two users (tokens, every other event type, agent and
 * session changes, the batch timer firing at random moments), sent once token by token and once as
 * the client sends them, get exactly the same decision records from the service's per-user rules
 * ({@link UserDecider}, which the topology runs), and the regulators end in the same state.
 */
class TokenCoalescingTest {
    private static final List<String> USERS = List.of("ana", "ben");

    /** One step: a user's event (a token when {@code event} is null), in an agent and session, or a timer flush. */
    record Step(int user, AgentEvent event, double logprob, int agent, int session, boolean timerFires) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<AgentEvent> others = AgentEventArbitraries.events().filter(e -> !(e instanceof AgentEvent.Token));
        Arbitrary<AgentEvent> eventOrToken = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(null)), net.jqwik.api.Tuple.of(2, others));
        return Combinators.combine(Arbitraries.integers().between(0, 1), eventOrToken,
                        Arbitraries.doubles().between(-8, 0), Arbitraries.frequency(
                                net.jqwik.api.Tuple.of(9, 0), net.jqwik.api.Tuple.of(1, 1)),
                        Arbitraries.frequency(net.jqwik.api.Tuple.of(9, 0), net.jqwik.api.Tuple.of(1, 1)),
                        Arbitraries.frequency(net.jqwik.api.Tuple.of(8, false), net.jqwik.api.Tuple.of(1, true)))
                .as(Step::new).list().ofMaxSize(120);
    }

    @Property(tries = 400)
    void coalescedTokensDecideExactlyAsSingleTokens(@ForAll("steps") List<Step> steps,
                                                    @ForAll @IntRange(min = 1, max = 6) int maxTokens) {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, 64);
        Run single = new Run(decider);
        Run coalesced = new Run(decider);
        AtomicInteger batchIds = new AtomicInteger();
        TokenCoalescer coalescer = new TokenCoalescer(maxTokens, () -> "batch-" + batchIds.incrementAndGet());
        int n = 0;
        for (Step step : steps) {
            String user = USERS.get(step.user());
            if (step.timerFires()) {
                coalesced.apply(coalescer.drain(user));
                continue;
            }
            String agent = "agent-" + step.agent();
            String session = user + "-s" + step.session();
            long at = 1_000L * ++n;
            if (step.event() == null) {
                EventEnvelope token = TestEvent.user(user).agent(agent).session(session).at(at)
                        .of(new AgentEvent.Token("t", step.logprob(), n));
                single.apply(token);
                TokenCoalescer.Added added = coalescer.add(token);
                added.batches().forEach(coalesced::apply);
                added.batches().forEach(b -> assertTrue(((EnvelopeEvent.TokenBatch) b.event()).size() <= maxTokens));
            } else {
                EventEnvelope event = TestEvent.user(user).id(user + "-" + n).agent(agent).session(session).at(at)
                        .of(step.event());
                single.apply(event);
                coalesced.apply(coalescer.drain(user));   // what send() does before any other event
                coalesced.apply(event);
            }
        }
        for (String user : USERS) {
            coalesced.apply(coalescer.drain(user));
        }
        assertEquals(single.decisions, coalesced.decisions);
        for (String user : USERS) {
            UserState a = single.states.get(user);
            UserState b = coalesced.states.get(user);
            assertEquals(a == null, b == null);
            if (a != null) {
                assertEquals(a.regulator().metricsSnapshot(), b.regulator().metricsSnapshot(), user);
                assertEquals(a.turn(), b.turn());
            }
        }
    }

    /** The decisions and states of one way of sending. */
    private static final class Run {
        final UserDecider decider;
        final Map<String, UserState> states = new HashMap<>();
        final List<String> decisions = new ArrayList<>();

        Run(UserDecider decider) {
            this.decider = decider;
        }

        void apply(EventEnvelope e) {
            if (e == null) {
                return;
            }
            UserDecider.Outcome o = decider.apply(states.get(e.userId()), e);
            states.put(e.userId(), o.state());
            if (o.decision() != null) {
                decisions.add(DecisionRecordJson.toJson(o.decision()));
            }
        }
    }

    @Test
    void batchesKeepTheFirstTokensTimeAgentAndSessionAndSplitWhenEitherChanges() {
        AtomicInteger ids = new AtomicInteger();
        TokenCoalescer c = new TokenCoalescer(3, () -> "b" + ids.incrementAndGet());
        TokenCoalescer.Added first = c.add(token("ana", "a1", "s1", 10, -0.1));
        assertTrue(first.batches().isEmpty());
        assertTrue(first.startedGeneration() > 0, "a new buffer: the caller starts its timer");
        assertEquals(-1, c.add(token("ana", "a1", "s1", 11, -0.2)).startedGeneration(), "no new buffer");
        TokenCoalescer.Added switched = c.add(token("ana", "a1", "s2", 12, -0.3));
        assertEquals(List.of(TestEvent.user("ana").id("b1").agent("a1").session("s1").at(10).tokens(-0.1, -0.2)), switched.batches());
        TokenCoalescer.Added many = c.add(TestEvent.user("ana").agent("a1").session("s2").at(13).tokens(-1, -2, -3, -4, -5, -6));
        assertEquals(2, many.batches().size(), "full batches of 3 go at once");
        assertEquals(3, ((EnvelopeEvent.TokenBatch) many.batches().get(0).event()).size());
        assertEquals(12, many.batches().get(0).atMs(), "the first token's time");
        assertEquals(13, many.batches().get(1).atMs());
        long generation = many.startedGeneration();
        assertTrue(generation > 0, "the remainder is a new buffer");
        assertNull(c.drain("ana", generation - 1), "an older timer finds nothing to flush");
        assertEquals(new EnvelopeEvent.TokenBatch(new double[] {-6}), c.drain("ana", generation).event());
        assertNull(c.drain("ana"));
        assertThrows(IllegalArgumentException.class, () -> c.add(TestEvent.user("ana").at(1).of(new AgentEvent.TurnStart("hi"))));
    }

    private static EventEnvelope token(String user, String agent, String session, long at, double logprob) {
        return TestEvent.user(user).agent(agent).session(session).at(at).of(new AgentEvent.Token("", logprob, 0));
    }
}
