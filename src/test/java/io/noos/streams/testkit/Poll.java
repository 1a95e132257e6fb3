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
        value(what, timeout, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * The first value {@code attempt} gives (an empty Optional: not yet), asked every 200 ms; fails
     * saying {@code what} after {@code timeout}.
     */
    public static <T> T value(String what, Duration timeout, Callable<Optional<T>> attempt) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = attempt.call();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
