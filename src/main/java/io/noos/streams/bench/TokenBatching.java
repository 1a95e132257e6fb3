package io.noos.streams.bench;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A log with each run of a user's consecutive {@code token} events (nothing else of that user's in
 * between, one session) replaced by one {@code token_batch} record, as a streaming agent that
 * batches its tokens would send them: the batch takes the place, time and ids of the run's last
 * token, so every user's events keep their order and every non-token event is unchanged.
 */
public final class TokenBatching {
    private TokenBatching() {}

    public static List<EventEnvelope> coalesce(List<EventEnvelope> log) {
        List<Object> slots = new ArrayList<>(log.size());
        Map<String, Run> open = new HashMap<>();
        for (EventEnvelope e : log) {
            if (e.event() instanceof EnvelopeEvent.Single single && single.event() instanceof AgentEvent.Token token) {
                Run run = open.get(e.userId());
                if (run != null && !Objects.equals(run.last.sessionId(), e.sessionId())) {
                    run = null;
                }
                if (run == null) {
                    run = new Run();
                    open.put(e.userId(), run);
                } else {
                    slots.set(run.slot, null);
                }
                run.logprobs.add(token.logprob());
                run.last = e;
                run.slot = slots.size();
                slots.add(run);
            } else {
                open.remove(e.userId());
                slots.add(e);
            }
        }
        List<EventEnvelope> out = new ArrayList<>();
        for (Object slot : slots) {
            if (slot instanceof EventEnvelope e) {
                out.add(e);
            } else if (slot instanceof Run run) {
                out.add(run.envelope());
            }
        }
        return out;
    }

    private static final class Run {
        final List<Double> logprobs = new ArrayList<>();
        EventEnvelope last;
        int slot;

        EventEnvelope envelope() {
            double[] values = new double[logprobs.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = logprobs.get(i);
            }
            return new EventEnvelope(last.eventId(), last.userId(), last.agentId(), last.sessionId(), last.atMs(),
                    new EnvelopeEvent.TokenBatch(values));
        }
    }
}
