package io.noos.streams.kafka.topology;

/**
 * A user's state can no longer be told as it was before the event being processed: applying the
 * event failed half-way on the in-memory state, which held changes not yet committed. An
 * {@code Error}, so that Kafka Streams' processing exception handler does not skip the record and
 * carry on with the damaged state: the stream thread fails and the task starts again from its last
 * commit (see {@code StreamThreadFailures}).
 */
final class StateLostError extends Error {
    StateLostError(String message, Throwable cause) {
        super(message, cause);
    }
}
