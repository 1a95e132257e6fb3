/**
 * Kafka clients around the service, for operators: producing envelope files to
 * {@code agent-events}, reading a topic committed records only and dumping it to JSON Lines,
 * publishing policies (set, delete, halt, resume); the client for orchestrators ({@code
 * orchestrator}); and the simulated fleet that acts on its decisions through it, with its report and
 * decision printer ({@code sim}). The picocli commands ({@code produce}, {@code consume},
 * {@code policy}, {@code run --simulate}) are thin wrappers around these classes.
 */
package io.noos.streams.clients;
