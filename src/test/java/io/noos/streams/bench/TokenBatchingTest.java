package io.noos.streams.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.decide.DeciderSettings;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bench pipeline --token-batch} sends the same workload with each run of a user's consecutive
 * tokens as one {@code token_batch} record. A batch stands for its tokens, so the decisions must be
 * the same, byte for byte, after every non-token event.
 */
class TokenBatchingTest {
    private static List<EventEnvelope> workload() {
        List<EventEnvelope> log = new ArrayList<>();
        FleetWorkload.generate(new FleetWorkload.Spec(60_000, 150, 7), log::add);
        return log;
    }

    private static List<String> decisions(List<EventEnvelope> log) {
        UserDecider decider = new UserDecider(DeciderSettings.DEFAULTS);
        Map<String, UserState> states = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (EventEnvelope e : log) {
            UserDecider.Outcome o = decider.apply(states.get(e.userId()), e);
            states.put(e.userId(), o.state());
            if (o.decision() != null) {
                out.add(new String(DecisionRecordJson.toBytes(o.decision()), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void batchingEachUsersTokenRunsChangesNoDecision() {
        List<EventEnvelope> perToken = workload();
        List<EventEnvelope> batched = TokenBatching.coalesce(perToken);

        long tokens = perToken.stream().filter(e -> e.event().isTokenLike()).count();
        long batches = batched.stream().filter(e -> e.event() instanceof EnvelopeEvent.TokenBatch).count();
        long batchedTokens = batched.stream().filter(e -> e.event() instanceof EnvelopeEvent.TokenBatch)
                .mapToLong(e -> ((EnvelopeEvent.TokenBatch) e.event()).size()).sum();
        assertEquals(tokens, batchedTokens, "every token is in a batch");
        assertTrue(batches > 0 && batches * 10 < tokens, batches + " batches for " + tokens + " tokens");
        assertEquals(perToken.size() - tokens, batched.size() - batches, "the other events are all still there");

        List<String> expected = decisions(perToken);
        assertTrue(expected.size() > 5_000, "a workload that decides: " + expected.size());
        assertEquals(expected, decisions(batched));
    }

    @Test
    void aRunEndsAtTheUsersNextOtherEventOrNewSession() {
        List<EventEnvelope> log = new ArrayList<>();
        log.add(token("u", "s0", 1, -0.5));
        log.add(token("v", "s0", 2, -0.1));
        log.add(token("u", "s0", 3, -1.0));
        log.add(TestEvent.user("v").session("s0").at(4).of(new io.noos.streams.core.AgentEvent.TurnComplete("done")));
        log.add(token("v", "s0", 5, -2.0));
        log.add(token("u", "s1", 6, -3.0));
        List<EventEnvelope> out = TokenBatching.coalesce(log);
        assertEquals(List.of("v:[-0.1]@2", "u:[-0.5, -1.0]@3", "v:turn_complete@4", "v:[-2.0]@5", "u:[-3.0]@6"),
                out.stream().map(TokenBatchingTest::describe).toList());
    }

    private static EventEnvelope token(String user, String session, long at, double logprob) {
        return TestEvent.user(user).session(session).at(at).of(new io.noos.streams.core.AgentEvent.Token("t", logprob, 0));
    }

    private static String describe(EventEnvelope e) {
        return e.userId() + ":" + (e.event() instanceof EnvelopeEvent.TokenBatch b
                ? java.util.Arrays.toString(b.logprobs()) : e.event().type()) + "@" + e.atMs();
    }
}
