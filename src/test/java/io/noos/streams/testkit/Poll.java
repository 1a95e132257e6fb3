package io.noos.streams.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Waiting in tests for something another thread or process brings about, with a bound. */
public final class Poll {
    private static final Duration PAUSE = Duration.ofMillis(200);

    private Poll() {
    }

    /** Returns once {@code condition} holds; fails saying {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        until(what, timeout, condition, null);
    }

    /**
     * {@link #until(String, Duration, Callable)}, the failure message ending with what
     * {@code lastSeen} says at that moment (the last answer, the states, a log's tail).
     */
    public static void until(String what, Duration timeout, Callable<Boolean> condition, Callable<String> lastSeen)
            throws Exception {
        value(what, timeout, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty(), lastSeen);
    }

    /**
     * The first value {@code attempt} gives (an empty Optional: not yet), asked every 200 ms; fails
     * saying {@code what} after {@code timeout}. What {@code attempt} throws ends the wait at once.
     */
    public static <T> T value(String what, Duration timeout, Callable<Optional<T>> attempt) throws Exception {
        return value(what, timeout, attempt, null);
    }

    /** {@link #value(String, Duration, Callable)} with {@code lastSeen} (may be null) in the failure message. */
    public static <T> T value(String what, Duration timeout, Callable<Optional<T>> attempt, Callable<String> lastSeen)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = attempt.call();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what
                        + (lastSeen == null ? "" : "; last: " + lastSeen.call()));
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
