package io.noos.streams.clients.sim;

import io.noos.streams.clients.orchestrator.OrchestratorClient;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import java.util.concurrent.CompletableFuture;

/**
 * Where a simulated agent sends its events and gets their decisions: the service through the
 * {@link OrchestratorClient}, the same rules in this process ({@link LocalDecisions}, for tests), or
 * nowhere ({@link #IGNORED}: the agents that do not act, whose events go to no service).
 */
interface DecisionSource {
    /** Sends an event that gets a decision; the future completes with it (null from {@link #IGNORED}). */
    CompletableFuture<DecisionRecord> send(EventEnvelope event);

    /** Sends a streamed token (no decision). */
    void token(EventEnvelope token);

    /** No service: no decisions, nothing sent. */
    DecisionSource IGNORED = new DecisionSource() {
        @Override
        public CompletableFuture<DecisionRecord> send(EventEnvelope event) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void token(EventEnvelope token) {
            // nothing is sent
        }
    };

    static DecisionSource of(OrchestratorClient client) {
        return new DecisionSource() {
            @Override
            public CompletableFuture<DecisionRecord> send(EventEnvelope event) {
                return client.send(event);
            }

            @Override
            public void token(EventEnvelope token) {
                client.token(token);
            }
        };
    }
}
