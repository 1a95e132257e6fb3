package io.noos.streams.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * Something a test needs from the machine (a browser, the shared workspace folder). Where it is
 * missing the test is skipped, visibly and with the reason; where an environment variable says it
 * is required (CI sets it) the test fails instead, so that run never passes by skipping.
 */
public final class Prerequisite {
    private Prerequisite() {
    }

    /**
     * Returns when {@code available}; otherwise fails if the environment variable {@code requiredBy}
     * is set (to anything but empty, {@code 0} or {@code false}), else aborts the test with {@code reason}.
     */
    public static void require(boolean available, String requiredBy, String reason) {
        if (available) {
            return;
        }
        String value = System.getenv(requiredBy);
        if (value != null && !value.isEmpty() && !value.equals("0") && !value.equalsIgnoreCase("false")) {
            throw new AssertionError(reason + " (required here: " + requiredBy + " is set)");
        }
        Assumptions.abort(reason);
    }
}
