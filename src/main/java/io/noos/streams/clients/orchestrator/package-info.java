/**
 * The Java client for orchestrators: send an agent's events to the service, get each event's
 * decision back in time to act on it ({@link io.noos.streams.clients.orchestrator.OrchestratorClient}).
 * It depends on the wire model and its codecs ({@code envelope}, {@code codec}, {@code json},
 * {@code avro}) and on Kafka's clients, never on the service's topology or runtime
 * ({@code io.noos.streams.kafka.*}); a test checks it.
 */
package io.noos.streams.clients.orchestrator;
