package io.noos.streams.decide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import io.noos.streams.testkit.TestEvent;
import org.junit.jupiter.api.Test;

class UserDeciderTest {

    private static EventEnvelope cost(String id, long tokensOut) {
        return TestEvent.user("alice").id(id).session("s1").at(1).of(new AgentEvent.Cost(1, tokensOut, 1, null));
    }

    @Test
    void anEventIdAlreadyAppliedIsNotAppliedOrDecidedAgain() {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, 64);
        UserDecider.Outcome first = decider.apply(null, cost("e1", 100));
        assertFalse(first.duplicate());
        UserDecider.Outcome again = decider.apply(first.state(), cost("e1", 100));
        assertTrue(again.duplicate());
        assertNull(again.decision());
        assertEquals(100, again.state().regulator().totalTokensOut(), "applied once");
        UserDecider.Outcome other = decider.apply(again.state(), cost("e2", 100));
        assertEquals(200, other.state().regulator().totalTokensOut());
        assertEquals(200.0, other.decision().metrics().get("noos.total_tokens_out"));
    }

    @Test
    void onlyTheConfiguredNumberOfRecentIdsIsRemembered() {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, 2);
        UserState s = decider.apply(null, cost("e1", 1)).state();
        s = decider.apply(s, cost("e2", 1)).state();
        s = decider.apply(s, cost("e3", 1)).state();
        assertTrue(decider.apply(s, cost("e3", 1)).duplicate());
        assertFalse(decider.apply(s, cost("e1", 1)).duplicate(), "e1 fell out of a window of 2");
    }

    @Test
    void rememberedIdsSurviveTheStateCodecAndEventsWithoutIdsAreAlwaysApplied() {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, 64);
        UserState s = decider.apply(null, cost("e1", 5)).state();
        UserState restored = UserState.decode(s.encode());
        assertTrue(decider.apply(restored, cost("e1", 5)).duplicate());
        UserState t = decider.apply(restored, cost(null, 5)).state();
        t = decider.apply(t, cost(null, 5)).state();
        assertEquals(15, t.regulator().totalTokensOut());
    }

    @Test
    void aWrappedRingOfIdsSurvivesTheStateCodecOldestFirst() {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(UserSettings.DEFAULTS), true, 3);
        UserState s = null;
        for (String id : new String[] {"e1", "e2", "e3", "e4", "e5"}) {
            s = decider.apply(s, cost(id, 1)).state();   // the ring of 3 wraps: e3 e4 e5, its head moved
        }
        byte[] stored = s.encode();
        assertArrayEquals(stored, UserState.decode(stored).encode());
        // apply() changes the state it is given: each check starts from the stored bytes
        assertFalse(decider.apply(UserState.decode(stored), cost("e2", 1)).duplicate());
        assertTrue(decider.apply(UserState.decode(stored), cost("e3", 1)).duplicate());
        byte[] afterE6 = decider.apply(UserState.decode(stored), cost("e6", 1)).state().encode();
        assertFalse(decider.apply(UserState.decode(afterE6), cost("e3", 1)).duplicate(), "e3, the oldest, made room");
        assertTrue(decider.apply(UserState.decode(afterE6), cost("e4", 1)).duplicate());
        assertTrue(decider.apply(UserState.decode(afterE6), cost("e6", 1)).duplicate());
    }

    private static EventEnvelope event(String id, String session, String agent, AgentEvent e) {
        return TestEvent.user("alice").id(id).agent(agent).session(session).at(1).of(e);
    }

    @Test
    void aChangedPolicyAppliesFromTheUsersNextEventAndSurvivesTheStateCodec() {
        PolicyBook book = new PolicyBook();
        UserDecider decider = new UserDecider(
                UserSettingsSource.withPolicies(UserSettingsSource.fixed(UserSettings.DEFAULTS), book), true, 64);
        UserState s = decider.apply(null, cost("e1", 600)).state();
        assertEquals(10_000, s.regulator().costCapTokens());

        book.put(PolicyKey.parse("alice"), PolicyJson.parse("{\"cost_cap\":500,\"implicit_correction_window_ms\":250}"));
        UserDecider.Outcome next = decider.apply(s, cost("e2", 1));
        assertEquals(500.0, next.decision().metrics().get("noos.cost_cap_tokens"), "decided with the new cap");
        assertEquals(601, next.state().regulator().totalTokensOut(), "a settings change keeps the totals");

        UserState restored = UserState.decode(next.state().encode());
        assertEquals(500, restored.regulator().costCapTokens());
        assertEquals(java.util.Optional.of(250L), restored.regulator().implicitCorrectionWindowMs());
        assertTrue(UserSettings.DEFAULTS.overriddenBy(book.effective("alice", null)).isAppliedTo(restored.regulator()),
                "after a restart nothing needs re-applying");

        book.remove(PolicyKey.parse("alice"));
        UserState back = decider.apply(restored, cost("e3", 1)).state();
        assertEquals(10_000, back.regulator().costCapTokens(), "the entry deleted: the default again");
        assertEquals(java.util.Optional.empty(), back.regulator().implicitCorrectionWindowMs(), "window off again");
    }

    @Test
    void aSessionResetReappliesTheEffectiveSettingsOfTheEventsAgent() {
        PolicyBook book = new PolicyBook();
        book.put(PolicyKey.parse("agent:agent-7"), PolicyJson.parse("{\"cost_cap\":700,\"scope_drift_threshold\":0.9}"));
        UserDecider decider = new UserDecider(
                UserSettingsSource.withPolicies(UserSettingsSource.fixed(UserSettings.DEFAULTS), book), true, 64);
        UserState s = decider.apply(null, event("e1", "s1", "agent-7", new AgentEvent.TurnStart("fix the cache"))).state();
        assertEquals(700, s.regulator().costCapTokens());
        s = decider.apply(s, event("e2", "s2", "agent-7", new AgentEvent.TurnStart("fix the cache"))).state();
        assertEquals(700, s.regulator().costCapTokens(), "the reset's fresh regulator gets the agent's cap");
        assertEquals(0.9, s.regulator().scopeDriftThreshold());
        s = decider.apply(s, event("e3", "s2", null, new AgentEvent.TurnStart("fix the cache"))).state();
        assertEquals(10_000, s.regulator().costCapTokens(), "an event without agent_id: no agent entry applies");
        assertEquals(0.5, s.regulator().scopeDriftThreshold());
    }

    @Test
    void anImplicitCorrectionIsReportedOnTheEventThatCausedIt() {
        UserDecider decider = new UserDecider(UserSettingsSource.fixed(new UserSettings(10_000, 0.5, 1_000L)), true, 64);
        UserState s = decider.apply(null, event("e1", "s1", null, new AgentEvent.TurnStart("refactor the async function"))).state();
        UserDecider.Outcome done = decider.apply(s, event("e2", "s1", null, new AgentEvent.TurnComplete("done")));
        assertEquals(0, done.implicitCorrections());
        UserDecider.Outcome again = decider.apply(done.state(),
                event("e3", "s1", null, new AgentEvent.TurnStart("refactor the async function")));
        assertEquals(1, again.implicitCorrections(), "same topic again within the window (event time 1 ms apart)");
    }
}
