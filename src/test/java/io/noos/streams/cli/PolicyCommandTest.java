package io.noos.streams.cli;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.Logs;
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
        assertEquals("error: invalid policy for key 'alice': cost_cap must be an integer in 1..4294967295, got 0\n", run.stderr());

        CliRun notJson = CliRun.of("policy", "set", "--bootstrap-servers", NOWHERE, "alice", "cost_cap=5");
        assertEquals(2, notJson.exitCode());
        assertEquals("error: invalid policy for key 'alice': the value is not valid JSON: Unrecognized token 'cost_cap': "
                + "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n", notJson.stderr());
    }

    @Test
    @Timeout(20)
    void aKeyWithoutAnAgentIsRefusedForSetAndDelete() {
        CliRun set = CliRun.of("policy", "set", "--bootstrap-servers", NOWHERE, "agent:", "{\"cost_cap\":5}");
        assertEquals(2, set.exitCode());
        assertEquals("error: invalid policy for key 'agent:': the key 'agent:' names no agent; use 'agent:<agent_id>'\n", set.stderr());
        CliRun delete = CliRun.of("policy", "delete", "--bootstrap-servers", NOWHERE, "");
        assertEquals(2, delete.exitCode());
        assertEquals("error: invalid policy key '': the key is empty; use a user id, '*' or 'agent:<agent_id>'\n", delete.stderr());
    }

    @Test
    @Timeout(20)
    void aBadHaltReasonOrKeyIsRefusedBeforeAnythingIsSent() {
        CliRun empty = CliRun.of("policy", "halt", "--bootstrap-servers", NOWHERE, "alice", "--reason", "");
        assertEquals(2, empty.exitCode());
        assertTrue(empty.stderr().contains("invalid halt for key 'alice': halt.reason must be a non-empty string of at "
                + "most 500 characters, got 0 characters"), empty.stderr());
        CliRun tooLong = CliRun.of("policy", "halt", "--bootstrap-servers", NOWHERE, "*", "--reason", "x".repeat(501));
        assertEquals(2, tooLong.exitCode());
        assertTrue(tooLong.stderr().contains("got 501 characters"), tooLong.stderr());
        CliRun noAgent = CliRun.of("policy", "resume", "--bootstrap-servers", NOWHERE, "agent:");
        assertEquals(2, noAgent.exitCode());
        assertTrue(noAgent.stderr().contains("names no agent"), noAgent.stderr());
    }

    @Test
    void policyHasHelpForItsSubcommands() {
        CliRun run = CliRun.of("policy", "set", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.stdout().contains("implicit_correction_window_ms"), run.stdout());
    }

    /** A turn over 500 output tokens with three poor, steady qualities (spec §13 rule 1 needs the cap). */
    private static java.nio.file.Path poorTurn(java.nio.file.Path dir) throws java.io.IOException {
        return java.nio.file.Files.writeString(dir.resolve("log.jsonl"), Logs.poorTurn());
    }

    private static String lastDecisionKind(java.nio.file.Path output) throws java.io.IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(output);
        return tree(lines.get(lines.size() - 1)).get("decision").path("reason")
                .path("kind").asText("none");
    }

    @Test
    void offlineReplayAppliesAPoliciesFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = poorTurn(dir);
        CliRun plain = CliRun.of("replay", "--offline", "--no-progress", "--input", log.toString(), "--output",
                dir.resolve("plain.jsonl").toString());
        assertEquals(0, plain.exitCode(), plain.stderr());
        assertEquals("none", lastDecisionKind(dir.resolve("plain.jsonl")), "600 < the default cap: continue");

        java.nio.file.Path policies = java.nio.file.Files.writeString(dir.resolve("policies.jsonl"),
                "{\"key\":\"agent:agent-7\",\"policy\":{\"cost_cap\":500}}\n");
        CliRun capped = CliRun.of("replay", "--offline", "--no-progress", "--input", log.toString(), "--output",
                dir.resolve("capped.jsonl").toString(), "--policies", policies.toString());
        assertEquals(0, capped.exitCode(), capped.stderr());
        assertEquals("cost_cap_reached", lastDecisionKind(dir.resolve("capped.jsonl")));

        java.nio.file.Files.writeString(policies, "{\"key\":\"alice\",\"policy\":{\"cost_cap\":500}}\n"
                + "{\"key\":\"alice\",\"policy\":{\"scope_drift_threshold\":2}}\n");
        CliRun bad = CliRun.of("replay", "--offline", "--no-progress", "--input", log.toString(), "--output",
                dir.resolve("bad.jsonl").toString(), "--policies", policies.toString());
        assertEquals(2, bad.exitCode());
        assertEquals("error: --policies: " + policies + " line 2: scope_drift_threshold must be a number in [0, 1], got 2\n", bad.stderr());

        CliRun viaKafka = CliRun.of("replay", "--via-kafka", "--input", log.toString(), "--output",
                dir.resolve("k.jsonl").toString(), "--policies", policies.toString());
        assertEquals(2, viaKafka.exitCode());
        assertEquals("error: --policies applies to --offline only\n", viaKafka.stderr());
    }
}
