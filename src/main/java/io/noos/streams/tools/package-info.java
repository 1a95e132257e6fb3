/**
 * Operator tools around the service: reading JSON Lines envelope files, producing them to
 * {@code agent-events}, dumping a topic to JSON Lines, and replaying a log offline or through a
 * real (in-process) Kafka to check that both decide alike. The picocli commands
 * ({@code produce}, {@code consume}, {@code replay}) are thin wrappers around these classes.
 */
package io.noos.streams.tools;
