package io.noos.streams.envelope;

import io.noos.streams.core.AgentEvent;
import java.util.Arrays;

/**
 * What an envelope carries: one of the regulator's eight events, or a batch of token
 * log-probabilities that stands for that many {@code token} events (so streaming agents need not
 * send a record per token).
 */
public sealed interface EnvelopeEvent {

    /** The wire type tag: one of the eight event types, or {@code token_batch}. */
    String type();

    /** True for {@code token} and {@code token_batch}: no decision is emitted after them. */
    default boolean isTokenLike() {
        return this instanceof TokenBatch || (this instanceof Single s && s.event() instanceof AgentEvent.Token);
    }

    /** One regulator event. */
    record Single(AgentEvent event) implements EnvelopeEvent {
        @Override
        public String type() {
            return event.type();
        }
    }

    /** {@code logprobs.length} token events; NaN and infinities are legal as for a single token. */
    record TokenBatch(double[] logprobs) implements EnvelopeEvent {
        public static final String TYPE = "token_batch";

        public TokenBatch {
            logprobs = logprobs.clone();
        }

        @Override
        public double[] logprobs() {
            return logprobs.clone();
        }

        public int size() {
            return logprobs.length;
        }

        public double logprob(int i) {
            return logprobs[i];
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TokenBatch t && Arrays.equals(logprobs, t.logprobs);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(logprobs);
        }

        @Override
        public String toString() {
            return "TokenBatch" + Arrays.toString(logprobs);
        }
    }
}
