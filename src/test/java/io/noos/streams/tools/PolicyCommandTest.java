package io.noos.streams.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code policy set|delete} validate before they connect: a bad key or JSON is a usage error (exit
 * 2) with the reason, and nothing is sent (the unreachable bootstrap server is never contacted).
 * Sending for real is covered by PoliciesAndFleetStatsIT.
 */
class PolicyCommandTest {
    private static final String NOWHERE = "127.0.0.1:1";

    @Test
    @Timeout(20)
    void badJsonIsRefusedWithTheReasonBeforeAnythingIsSent() {
        CliRun run = CliRun.of("policy", "set", "--bootstrap-servers", NOWHERE, "alice", "{\"cost_cap\":0}");
        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("invalid policy for key 'alice': cost_cap must be an integer in 1..4294967295, got 0"),
                run.stderr());

        CliRun notJson = CliRun.of("policy", "set", "--bootstrap-servers", NOWHERE, "alice", "cost_cap=5");
        assertEquals(2, notJson.exitCode());
        assertTrue(notJson.stderr().contains("the value is not valid JSON"), notJson.stderr());
    }

    @Test
    @Timeout(20)
    void aKeyWithoutAnAgentIsRefusedForSetAndDelete() {
        CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", NOWHERE, "agent:", "{\"cost_cap\":5}");
        assertEquals(2, set.exitCode());
        assertTrue(set.stderr().contains("names no agent"), set.stderr());
        CliRun delete = CliRun.of("policy", "delete", "--bootstrap-servers", NOWHERE, "");
        assertEquals(2, delete.exitCode());
        assertTrue(delete.stderr().contains("the key is empty"), delete.stderr());
    }

    @Test
    void policyHasHelpForItsSubcommands() {
        CliRun run = CliRun.of("policy", "set", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.stdout().contains("implicit_correction_window_ms"), run.stdout());
    }
}
