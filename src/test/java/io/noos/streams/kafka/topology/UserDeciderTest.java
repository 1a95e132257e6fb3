package io.noos.streams.kafka.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import org.junit.jupiter.api.Test;

class UserDeciderTest {

    private static EventEnvelope cost(String id, long tokensOut) {
        return new EventEnvelope(id, "alice", null, "s1", 1, new EnvelopeEvent.Single(
                new AgentEvent.Cost(1, tokensOut, 1, null)));
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
}
