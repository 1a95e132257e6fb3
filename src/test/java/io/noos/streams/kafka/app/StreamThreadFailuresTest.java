package io.noos.streams.kafka.app;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule of {@link StreamThreadFailures}: failures with no commit between them are consecutive;
 * the one that reaches the limit stops the instance; a commit starts the count again.
 */
class StreamThreadFailuresTest {
    private static final RuntimeException BOOM = new IllegalStateException("boom");

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void failuresWithoutProgressStopTheInstanceAtTheLimit(int limit) {
        StreamThreadFailures failures = new StreamThreadFailures(limit);
        for (int i = 1; i < limit; i++) {
            assertEquals(REPLACE_THREAD, failures.failed(BOOM, true), "failure " + i);
            assertEquals(i, failures.consecutive());
            assertEquals(Optional.empty(), failures.stopReason());
        }
        assertEquals(SHUTDOWN_CLIENT, failures.failed(BOOM, true), "failure " + limit);
        assertEquals(limit, failures.consecutive());
        assertEquals(limit - 1, failures.replacements(), "the last failure is not answered by a replacement");
        String reason = failures.stopReason().orElseThrow();
        assertTrue(reason.startsWith(limit + " consecutive stream thread failures without progress; last: "
                + "java.lang.IllegalStateException: boom"), reason);
    }

    @Test
    void aCommitBetweenFailuresStartsTheCountAgain() {
        StreamThreadFailures failures = new StreamThreadFailures(2);
        for (int i = 0; i < 10; i++) {
            assertEquals(REPLACE_THREAD, failures.failed(BOOM, true), "failure " + (i + 1) + ", each after a commit");
            assertEquals(1, failures.consecutive());
            failures.committed();
            assertEquals(0, failures.consecutive(), "progress since the last failure");
        }
        assertEquals(10, failures.replacements());
        assertEquals(Optional.of("java.lang.IllegalStateException: boom"), failures.lastFailure());
        assertEquals(REPLACE_THREAD, failures.failed(BOOM, true));
        assertEquals(SHUTDOWN_CLIENT, failures.failed(BOOM, true), "two in a row without a commit");
    }

    @Test
    void commitsBeforeTheFirstFailureDoNotMatter() {
        StreamThreadFailures failures = new StreamThreadFailures(2);
        failures.committed();
        failures.committed();
        assertEquals(0, failures.consecutive());
        assertEquals(REPLACE_THREAD, failures.failed(BOOM, true));
        assertEquals(SHUTDOWN_CLIENT, failures.failed(BOOM, true));
    }

    @Test
    void theGlobalThreadCannotBeReplacedSoItsFailureStopsAtOnce() {
        StreamThreadFailures failures = new StreamThreadFailures(5);
        assertEquals(SHUTDOWN_CLIENT, failures.failed(BOOM, false));
        assertEquals(0, failures.replacements());
        assertEquals(Optional.of("the global stream thread failed: java.lang.IllegalStateException: boom"),
                failures.stopReason());
    }

    @Test
    void theLimitIsAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new StreamThreadFailures(0));
    }

    @Test
    void aFailureIsDescribedByItsInnermostCauseOnOneLineWithTheTask() {
        Throwable wrapped = new StreamsException(
                "Exception caught in process. taskId=0_3, processor=regulator, stacktrace=java.lang.Error\n\tat x.y(Z.java:1)",
                new IllegalStateException("state store closed\nsecond line"), new TaskId(0, 3));
        assertEquals("java.lang.IllegalStateException: state store closed (task 0_3)",
                StreamThreadFailures.describe(new StreamsException(wrapped)));
        assertEquals("java.lang.OutOfMemoryError", StreamThreadFailures.describe(new OutOfMemoryError()));
    }
}
