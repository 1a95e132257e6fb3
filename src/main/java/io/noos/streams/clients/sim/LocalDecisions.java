package io.noos.streams.clients.sim;

import io.noos.streams.clients.orchestrator.TimeOrderedIds;
import io.noos.streams.decide.DeciderSettings;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The service's per-user rules in this process ({@link UserDecider}, as the topology and the
 * offline replay run them): each event is decided at once. Tokens are applied one by one. For
 * tests of the simulation, which then needs no broker. Thread-safe.
 */
final class LocalDecisions implements DecisionSource {
    private final UserDecider decider;
    private final Map<String, UserState> states = new HashMap<>();
    private final TimeOrderedIds ids = new TimeOrderedIds();

    LocalDecisions(DeciderSettings settings) {
        this.decider = new UserDecider(settings);
    }

    @Override
    public synchronized CompletableFuture<DecisionRecord> send(EventEnvelope event) {
        return CompletableFuture.completedFuture(apply(event.eventId() == null ? event.withEventId(ids.next()) : event));
    }

    @Override
    public synchronized void token(EventEnvelope token) {
        apply(token);
    }

    private DecisionRecord apply(EventEnvelope e) {
        UserDecider.Outcome o = decider.apply(states.get(e.userId()), e);
        states.put(e.userId(), o.state());
        return o.decision();
    }
}
