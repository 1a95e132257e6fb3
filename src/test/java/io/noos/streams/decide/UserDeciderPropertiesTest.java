package io.noos.streams.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.testkit.AgentEventArbitraries;
import io.noos.streams.testkit.SpecDecisionCheck;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.kafka.serde.UserStateSerde;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random envelope streams for a few users through {@link UserDecider}, the per-user rules the
 * topology and the offline replay share: new events, token batches (empty, NaN, infinite),
 * redeliveries of recent and of long-forgotten envelopes, new sessions, event time running
 * backwards, and, at random points, every user's state passed through the changelog's serde (what
 * a restore after a crash or a wiped state directory does). The rules never throw; exactly the
 * applied non-token events get a decision, for their own user and event, within the spec's
 * vocabulary; a redelivery is decided once while its id is among the user's remembered ones; and
 * the restored run decides exactly as the uninterrupted one.
 */
class UserDeciderPropertiesTest {
    private static final int RECENT_IDS = 4;
    private static final List<String> USERS = List.of("ana", "ben", "\u6570\u636e-\ud83d\ude00");

    /**
     * One step: {@code action} 0–5 a new event, 6 a token batch, 7 a redelivery of the user's
     * {@code back}-th latest envelope, 8 a new session, 9 a restore of every user's state.
     */
    record Step(int user, int action, AgentEvent event, double[] batch, long atDelta, int back) {}

    /** What the random streams exercised; every case must occur. */
    private static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

    @AfterContainer
    static void everyCaseOccurred() {
        assertEquals(Set.of("restore", "redelivery-remembered", "redelivery-forgotten", "new-session", "decision"),
                SEEN.keySet(), "occurred: " + SEEN);
    }

    @Property(tries = 300)
    void decidesEachAppliedNonTokenEventOnceAndARestoreChangesNothing(@ForAll("steps") List<Step> steps) {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, RECENT_IDS);
        UserStateSerde serde = new UserStateSerde();
        Map<String, UserState> live = new HashMap<>();
        Map<String, UserState> restored = new HashMap<>();
        Map<String, List<EventEnvelope>> sent = new HashMap<>();
        Map<String, Deque<String>> remembered = new HashMap<>();
        Map<String, Long> turns = new HashMap<>();
        Map<String, Integer> sessions = new HashMap<>();
        long at = 1_767_225_600_000L;   // times run backwards too, but never below 0 (not an envelope)
        int sequence = 0;

        for (Step step : steps) {
            if (step.action() == 9) {
                SEEN.merge("restore", 1, Integer::sum);
                restored.replaceAll((user, state) ->
                        serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", state)));
                continue;
            }
            String user = USERS.get(step.user());
            List<EventEnvelope> history = sent.computeIfAbsent(user, u -> new ArrayList<>());
            at += step.atDelta();
            EventEnvelope envelope;
            if (step.action() == 7 && !history.isEmpty()) {
                envelope = history.get(Math.max(0, history.size() - 1 - step.back()));
            } else {
                if (step.action() == 8) {
                    sessions.merge(user, 1, Integer::sum);
                }
                EnvelopeEvent event = step.action() == 6 ? new EnvelopeEvent.TokenBatch(step.batch())
                        : new EnvelopeEvent.Single(step.event());
                envelope = new EventEnvelope(user + "#" + (++sequence), user, "agent", user + "-s" + sessions.getOrDefault(user, 0),
                        at, event);
            }
            history.add(envelope);

            UserDecider.Outcome a = decider.apply(live.get(user), envelope);
            live.put(user, a.state());
            UserDecider.Outcome b = decider.apply(restored.get(user), envelope);
            restored.put(user, b.state());

            Deque<String> recent = remembered.computeIfAbsent(user, u -> new ArrayDeque<>());
            boolean duplicate = recent.contains(envelope.eventId());
            if (step.action() == 7 && history.size() > 1) {
                SEEN.merge(duplicate ? "redelivery-remembered" : "redelivery-forgotten", 1, Integer::sum);
            }
            if (step.action() == 8 && history.size() > 1) {
                SEEN.merge("new-session", 1, Integer::sum);
            }
            assertEquals(duplicate, a.duplicate(), "a redelivery is recognised while its id is remembered");
            if (!duplicate) {
                recent.addLast(envelope.eventId());
                if (recent.size() > RECENT_IDS) {
                    recent.removeFirst();
                }
                if (envelope.event() instanceof EnvelopeEvent.Single s && s.event() instanceof AgentEvent.TurnStart) {
                    turns.merge(user, 1L, Long::sum);
                }
            }

            DecisionRecord d = a.decision();
            if (duplicate || envelope.event().isTokenLike()) {
                assertNull(d, "no decision after a token or a redelivery");
            } else {
                assertNotNull(d, "a decision after every applied non-token event");
                SEEN.merge("decision", 1, Integer::sum);
                assertEquals(user, d.userId(), "never another user's decision");
                assertEquals(envelope.eventId(), d.eventId());
                assertEquals(envelope.event().type(), d.eventType());
                assertEquals(envelope.atMs(), d.atMs());
                assertEquals(turns.getOrDefault(user, 0L), d.turn(), "turns count the user's applied turn starts");
                SpecDecisionCheck.check(d.decision(), user, UserSettings.DEFAULTS.costCap(),
                        UserSettings.DEFAULTS.scopeDriftThreshold());
            }
            assertEquals(d == null ? null : DecisionRecordJson.toJson(d),
                    b.decision() == null ? null : DecisionRecordJson.toJson(b.decision()),
                    "a restored state decides as the live one");
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<double[]> batches = Arbitraries.oneOf(
                Arbitraries.doubles().between(-20, 1).array(double[].class).ofMaxSize(40),
                Arbitraries.of(new double[0], new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}));
        Arbitrary<Long> atDeltas = Arbitraries.oneOf(Arbitraries.longs().between(0, 5_000),
                Arbitraries.of(-1_000_000L, 0L, 86_400_000L));
        return Combinators.combine(Arbitraries.integers().between(0, USERS.size() - 1),
                        Arbitraries.integers().between(0, 9), AgentEventArbitraries.events(), batches, atDeltas,
                        Arbitraries.integers().between(0, 2 * RECENT_IDS))
                .as(Step::new)
                .list().ofMaxSize(120);
    }
}
