package io.noos.streams.kafka.app;

import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Stream-thread failures of one instance and what to answer each: replace the thread, or stop.
 *
 * <p>The rule. <b>Progress</b> is a successful commit by any stream thread of the instance (a
 * committed transaction under exactly-once, committed offsets under at-least-once): work that
 * will not be done again. A failure is <b>consecutive</b> to the previous one when there was no
 * progress between them (the first failure, or the first after progress, counts 1). A failure is
 * answered by replacing the thread while the consecutive count is below the limit; the failure
 * that reaches it stops the instance. A record that fails every time it is processed therefore
 * stops the instance after {@code limit} attempts (under exactly-once the replacement thread
 * resumes from the last commit and meets the same record before committing anything), while a
 * transient failure followed by a commit starts the count again. A failure of the global thread
 * stops the instance at once: Kafka Streams cannot replace that thread.
 *
 * <p>Thread-safe: failures arrive on the failing stream thread, commits on every stream thread,
 * reads on the HTTP threads.
 */
public final class StreamThreadFailures {
    private final int limit;
    private long commits;
    private long commitsAtLastFailure;
    private int consecutive;
    private long replacements;
    private String lastFailure;
    private String stopReason;

    /** @param limit consecutive failures that stop the instance, at least 1 */
    public StreamThreadFailures(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the consecutive-failure limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /** A stream thread committed. */
    public synchronized void committed() {
        commits++;
    }

    /**
     * Counts a failure and answers it.
     *
     * @param replaceable false for the global thread, which cannot be replaced
     */
    public synchronized StreamThreadExceptionResponse failed(Throwable failure, boolean replaceable) {
        consecutive = commits > commitsAtLastFailure || lastFailure == null ? 1 : consecutive + 1;
        commitsAtLastFailure = commits;
        lastFailure = describe(failure);
        if (!replaceable) {
            stopReason = "the global stream thread failed: " + lastFailure;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (consecutive >= limit) {
            stopReason = consecutive + " consecutive stream thread failures without progress; last: " + lastFailure;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements++;
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Failures since the last progress: 0 once a commit followed the last failure. */
    public synchronized int consecutive() {
        return lastFailure == null || commits > commitsAtLastFailure ? 0 : consecutive;
    }

    public int limit() {
        return limit;
    }

    /** Threads replaced after a failure since the instance started. */
    public synchronized long replacements() {
        return replacements;
    }

    /** The last failure, one line: exception type and message. */
    public synchronized Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Why the instance was stopped, one line; empty while failures are answered by replacement. */
    public synchronized Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    /**
     * One line naming the failure: the innermost cause's type and message (Kafka Streams wraps the
     * original in {@link StreamsException}s whose messages carry stack traces), and the task when
     * Kafka Streams names it.
     */
    static String describe(Throwable failure) {
        Throwable root = failure;
        Optional<String> task = Optional.empty();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (task.isEmpty() && t instanceof StreamsException s && s.taskId().isPresent()) {
                task = Optional.of(s.taskId().get().toString());
            }
        }
        String message = root.getMessage() == null ? "" : root.getMessage().strip().lines().findFirst().orElse("");
        return root.getClass().getName() + (message.isEmpty() ? "" : ": " + message)
                + task.map(t -> " (task " + t + ")").orElse("");
    }
}
