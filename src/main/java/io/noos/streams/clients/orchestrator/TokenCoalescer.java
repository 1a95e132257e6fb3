package io.noos.streams.clients.orchestrator;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Coalesces each user's streamed tokens into {@code token_batch} envelopes, which the service
 * applies exactly as that many single {@code token} events: a user's consecutive tokens of one agent
 * and session, up to {@code maxTokens} per batch, with the agent, session and time of the batch's
 * first token and an id of its own. The caller drains a user's buffer before sending any other
 * event of theirs (so the batch keeps its place in the user's stream) and when the buffer is old.
 *
 * <p>Not synchronised per user: the caller holds the user's lock around {@link #add} and the
 * drains. Different users may be handled concurrently.
 */
final class TokenCoalescer {
    private final int maxTokens;
    private final Supplier<String> ids;
    private final Map<String, Buffer> buffers = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();

    /**
     * What {@link #add} did: the batches it completed (full, or ended by a change of agent or
     * session), in order, and the generation of the buffer it started, or -1 when it started none
     * (the caller times that buffer's age).
     */
    record Added(List<EventEnvelope> batches, long startedGeneration) {}

    TokenCoalescer(int maxTokens, Supplier<String> ids) {
        this.maxTokens = maxTokens;
        this.ids = ids;
    }

    /** The logprobs of a {@code token} or {@code token_batch} envelope; else an {@link IllegalArgumentException}. */
    static double[] logprobs(EventEnvelope envelope) {
        if (envelope.event() instanceof EnvelopeEvent.TokenBatch batch) {
            return batch.logprobs();
        }
        if (envelope.event() instanceof EnvelopeEvent.Single s && s.event() instanceof AgentEvent.Token t) {
            return new double[] {t.logprob()};
        }
        throw new IllegalArgumentException("a " + envelope.event().type() + " event gets a decision; send it with "
                + "send(...)");
    }

    Added add(EventEnvelope envelope) {
        double[] logprobs = logprobs(envelope);
        String user = envelope.userId();
        List<EventEnvelope> done = new ArrayList<>(1);
        long started = -1;
        Buffer buffer = buffers.get(user);
        if (buffer != null && !buffer.sameStream(envelope)) {
            done.add(drain(user));
            buffer = null;
        }
        for (double logprob : logprobs) {
            if (buffer == null) {
                buffer = new Buffer(envelope, generations.incrementAndGet());
                buffers.put(user, buffer);
                started = buffer.generation;
            }
            buffer.add(logprob);
            if (buffer.size == maxTokens) {
                done.add(drain(user));
                buffer = null;
            }
        }
        return new Added(done, buffers.containsKey(user) && buffers.get(user).generation == started ? started : -1);
    }

    /** The user's buffered tokens as one batch (removed), or null when none are buffered. */
    EventEnvelope drain(String user) {
        Buffer buffer = buffers.remove(user);
        return buffer == null ? null : buffer.toEnvelope(ids.get());
    }

    /** As {@link #drain}, but only the buffer of this generation (a timer's, which may have been drained since). */
    EventEnvelope drain(String user, long generation) {
        Buffer buffer = buffers.get(user);
        return buffer != null && buffer.generation == generation ? drain(user) : null;
    }

    /** Users with buffered tokens. */
    Set<String> users() {
        return Set.copyOf(buffers.keySet());
    }

    private static final class Buffer {
        final String userId;
        final String agentId;
        final String sessionId;
        final long atMs;
        final long generation;
        double[] logprobs = new double[16];
        int size;

        Buffer(EventEnvelope first, long generation) {
            this.userId = first.userId();
            this.agentId = first.agentId();
            this.sessionId = first.sessionId();
            this.atMs = first.atMs();
            this.generation = generation;
        }

        boolean sameStream(EventEnvelope e) {
            return Objects.equals(agentId, e.agentId()) && Objects.equals(sessionId, e.sessionId());
        }

        void add(double logprob) {
            if (size == logprobs.length) {
                logprobs = Arrays.copyOf(logprobs, size * 2);
            }
            logprobs[size++] = logprob;
        }

        EventEnvelope toEnvelope(String eventId) {
            return new EventEnvelope(eventId, userId, agentId, sessionId, atMs,
                    new EnvelopeEvent.TokenBatch(Arrays.copyOf(logprobs, size)));
        }
    }
}
