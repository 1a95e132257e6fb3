package io.noos.streams.clients.orchestrator;

import io.noos.streams.codec.WireFormat;
import java.time.Duration;
import java.util.Properties;

/**
 * How an {@link OrchestratorClient} connects and behaves. Start from {@link #of(Properties)} (the
 * service's default topics and formats) and change what differs:
 * <pre>{@code
 * OrchestratorSettings s = OrchestratorSettings.of(kafka)          // bootstrap.servers, TLS/SASL, ...
 *         .withTopics("agent-events", "regulator-decisions")
 *         .withDecisionTimeout(Duration.ofSeconds(5));
 * }</pre>
 *
 * @param kafka              Kafka client settings for the client's producer and consumer
 *                           ({@code bootstrap.servers}, security); the client sets what it relies on
 *                           itself (acks, idempotence, isolation, no consumer group)
 * @param inputTopic         the service's {@code noos.input.topic}
 * @param decisionsTopic     the service's {@code noos.decisions.topic}
 * @param inputFormat        the service's {@code noos.input.format}
 * @param decisionsFormat    the service's {@code noos.decisions.format}
 * @param decisionTimeout    how long a decision may take before its future fails with a
 *                           {@link DecisionTimeoutException}
 * @param tokenBatchTokens   a user's buffered tokens are sent as one {@code token_batch} once there are this many
 * @param tokenBatchDelay    ... or once the oldest has waited this long (and always before the user's next other event)
 * @param partitionLinger    how long a decisions partition stays assigned after its last event in
 *                           flight was decided (0: released at once)
 */
public record OrchestratorSettings(Properties kafka, String inputTopic, String decisionsTopic, WireFormat inputFormat,
                                   WireFormat decisionsFormat, Duration decisionTimeout, int tokenBatchTokens,
                                   Duration tokenBatchDelay, Duration partitionLinger) {
    /** The service's default topic names (a test checks them against the service's declarations). */
    public static final String DEFAULT_INPUT_TOPIC = "agent-events";
    /** The service's default decisions topic. */
    public static final String DEFAULT_DECISIONS_TOPIC = "regulator-decisions";
    /** How long a decision may take by default. */
    public static final Duration DEFAULT_DECISION_TIMEOUT = Duration.ofSeconds(10);
    /** The tokens of a full batch by default. */
    public static final int DEFAULT_TOKEN_BATCH_TOKENS = 256;
    /** How long a buffered token waits at most by default. */
    public static final Duration DEFAULT_TOKEN_BATCH_DELAY = Duration.ofMillis(100);
    /** How long an idle decisions partition stays assigned by default. */
    public static final Duration DEFAULT_PARTITION_LINGER = Duration.ofSeconds(10);
    /** The largest batch: a token_batch record of 65 536 logprobs is about 1.3 MB of JSON. */
    public static final int MAX_TOKEN_BATCH_TOKENS = 65_536;

    /**
     * Checks the settings and copies the Kafka properties.
     *
     * @throws IllegalArgumentException for settings that cannot work
     */
    public OrchestratorSettings {
        if (kafka == null || inputTopic == null || decisionsTopic == null || inputFormat == null
                || decisionsFormat == null) {
            throw new IllegalArgumentException("kafka settings, topics and formats are required");
        }
        Properties copy = new Properties();
        copy.putAll(kafka);
        kafka = copy;
        requirePositive(decisionTimeout, "decision timeout");
        requirePositive(tokenBatchDelay, "token batch delay");
        if (partitionLinger == null || partitionLinger.isNegative()) {
            throw new IllegalArgumentException("the partition linger must be 0 or more, got " + partitionLinger);
        }
        if (tokenBatchTokens < 1 || tokenBatchTokens > MAX_TOKEN_BATCH_TOKENS) {
            throw new IllegalArgumentException("a token batch holds 1.." + MAX_TOKEN_BATCH_TOKENS + " tokens, got "
                    + tokenBatchTokens);
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + d);
        }
    }

    /** The defaults: the service's default topics, JSON both ways, a 10 s decision timeout, batches of up to 256 tokens or 100 ms. */
    public static OrchestratorSettings of(Properties kafka) {
        return new OrchestratorSettings(kafka, DEFAULT_INPUT_TOPIC, DEFAULT_DECISIONS_TOPIC, WireFormat.JSON,
                WireFormat.JSON, DEFAULT_DECISION_TIMEOUT, DEFAULT_TOKEN_BATCH_TOKENS, DEFAULT_TOKEN_BATCH_DELAY,
                DEFAULT_PARTITION_LINGER);
    }

    /** Other topic names (the service's {@code noos.input.topic} and {@code noos.decisions.topic}). */
    public OrchestratorSettings withTopics(String input, String decisions) {
        return new OrchestratorSettings(kafka, input, decisions, inputFormat, decisionsFormat, decisionTimeout,
                tokenBatchTokens, tokenBatchDelay, partitionLinger);
    }

    /** Other wire formats (the service's {@code noos.input.format} and {@code noos.decisions.format}). */
    public OrchestratorSettings withFormats(WireFormat input, WireFormat decisions) {
        return new OrchestratorSettings(kafka, inputTopic, decisionsTopic, input, decisions, decisionTimeout,
                tokenBatchTokens, tokenBatchDelay, partitionLinger);
    }

    /** Another decision timeout (positive). */
    public OrchestratorSettings withDecisionTimeout(Duration timeout) {
        return new OrchestratorSettings(kafka, inputTopic, decisionsTopic, inputFormat, decisionsFormat, timeout,
                tokenBatchTokens, tokenBatchDelay, partitionLinger);
    }

    /** Token batches sent at {@code tokens} tokens or once the oldest waited {@code delay}. */
    public OrchestratorSettings withTokenBatching(int tokens, Duration delay) {
        return new OrchestratorSettings(kafka, inputTopic, decisionsTopic, inputFormat, decisionsFormat,
                decisionTimeout, tokens, delay, partitionLinger);
    }

    /** Another partition linger (0 or more). */
    public OrchestratorSettings withPartitionLinger(Duration linger) {
        return new OrchestratorSettings(kafka, inputTopic, decisionsTopic, inputFormat, decisionsFormat,
                decisionTimeout, tokenBatchTokens, tokenBatchDelay, linger);
    }

    /** A copy of the Kafka client settings. */
    @Override
    public Properties kafka() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }
}
