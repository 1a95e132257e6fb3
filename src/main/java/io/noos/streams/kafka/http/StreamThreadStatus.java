package io.noos.streams.kafka.http;

import java.util.Optional;

/**
 * What {@code /health} tells of the stream threads beyond the Kafka Streams state: threads replaced
 * after a failure, failures since the last progress and the limit that stops the instance, the last
 * failure and, once stopped for failures, why (each one line).
 */
public record StreamThreadStatus(long replacements, int consecutiveFailures, int maxConsecutiveFailures,
                                 Optional<String> lastFailure, Optional<String> stopReason) {
    /** No failure yet. */
    public static StreamThreadStatus healthy(int maxConsecutiveFailures) {
        return new StreamThreadStatus(0, 0, maxConsecutiveFailures, Optional.empty(), Optional.empty());
    }
}
