package io.noos.streams.replay.report;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.decide.UserSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The settings a replay ran with, as shown in its summary and report.
 *
 * @param mode                {@code offline} or {@code via-kafka}
 * @param input               the input file as given (for a span log: its files, comma-separated)
 * @param costCap             output-token cap per user
 * @param scopeDriftThreshold the scope-drift threshold of the decisions
 * @param implicitWindowMs    the implicit-correction window, or null when off
 * @param resetOnNewSession   whether a new session resets a user's per-task state
 * @param inputFormat         the agent-events wire format (via Kafka)
 * @param decisionsFormat     the decisions wire format (via Kafka)
 * @param generatedAt         when the summary was made (UTC, ISO-8601, seconds)
 */
public record RunParameters(String mode, String input, long costCap, double scopeDriftThreshold, Long implicitWindowMs,
                            boolean resetOnNewSession, String inputFormat, String decisionsFormat,
                            String generatedAt) {

    /** The same parameters with {@code newInput} as the input. */
    public RunParameters withInput(String newInput) {
        return new RunParameters(mode, newInput, costCap, scopeDriftThreshold, implicitWindowMs, resetOnNewSession,
                inputFormat, decisionsFormat, generatedAt);
    }

    /** The parameters of a replay of {@code input} in {@code mode} with the service configuration {@code config}. */
    public static RunParameters of(String mode, Path input, ServiceConfig config) {
        UserSettings user = config.userSettings();
        return new RunParameters(mode, input.toString(), user.costCap(), user.scopeDriftThreshold(),
                user.implicitWindowMs(), Boolean.parseBoolean(config.get(ServiceConfig.RESET_ON_NEW_SESSION)),
                config.get(ServiceConfig.INPUT_FORMAT), config.get(ServiceConfig.DECISIONS_FORMAT),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
}
