package io.noos.streams.testkit;

import org.junit.jupiter.api.Assumptions;

/**
 * Something a test needs from the machine (a browser, the shared workspace folder). Where it is
 * missing the test is skipped, visibly and with the reason; where the environment says it is
 * required (CI sets the variable) the test fails instead, so CI never passes by skipping.
 */
public final class Prerequisite {
    private Prerequisite() {
    }

    /**
     * Returns when {@code available}; otherwise fails if the environment variable
     * {@code requiredBy} (or {@code CI=true}, when {@code alsoUnderCi}) is set, else aborts the test
     * with {@code reason}.
     */
    public static void require(boolean available, String requiredBy, boolean alsoUnderCi, String reason) {
        if (available) {
            return;
        }
        if (isRequired(requiredBy, alsoUnderCi)) {
            throw new AssertionError(reason + " (required here: " + requiredBy
                    + (alsoUnderCi ? " or CI=true" : "") + " is set)");
        }
        Assumptions.abort(reason);
    }

    static boolean isRequired(String requiredBy, boolean alsoUnderCi) {
        String value = System.getenv(requiredBy);
        if (value != null && !value.isEmpty() && !value.equals("0") && !value.equalsIgnoreCase("false")) {
            return true;
        }
        return alsoUnderCi && "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
