package io.noos.streams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.JsonTrees;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent_spend_budget} in the offline replay: all users in one process, so each agent's
 * total is exact, the event being decided included (docs/detectors.md): the event that brings the
 * agent's users together to max_amount is broken, and so is every later event of its users while
 * the total stays there; a duplicate is not counted again; the spend leaves the window slot by slot.
 */
class OfflineReplayAgentBudgetTest {
    private static final long T = 1_767_225_600_000L;
    private static final long MIN = 60_000;

    @TempDir
    Path dir;

    private static String cost(String id, String user, String agent, long at, String usd) {
        return TestEvent.user(user).id(id).agent(agent).session("s").at(at).reportedCost(usd, "USD")
                .json("{\"type\":\"cost\",\"tokens_in\":10,\"tokens_out\":10,\"wallclock_ms\":5,\"provider\":\"openai\"}");
    }

    private static String call(String id, String user, String agent, long at) {
        return TestEvent.user(user).id(id).agent(agent).session("s").at(at).json(Logs.toolCall("search"));
    }

    private List<DecisionRecord> replay(String... lines) throws IOException {
        TopologySettings settings = TopologySettings.builder().userSettings(UserSettings.DEFAULTS.withDetectors(
                DetectorSettings.of(Map.of("agent_spend_budget", Map.of("enabled", 1.0, "max_amount", 10.0,
                        "window_ms", 3_600_000.0, "warn_percent", 0.0, "warn_again_percent", 0.0)),
                        DetectorRegistry.BUILT_IN))).build();
        Path input = Files.writeString(dir.resolve("log.jsonl"), String.join("\n", lines) + "\n");
        List<DecisionRecord> decided = new ArrayList<>();
        new OfflineReplay(settings).run(input, null, bad -> {
            throw new AssertionError("bad line " + bad);
        }, (state, decision) -> {
            if (decision != null) {
                decided.add(decision);
            }
        });
        return decided;
    }

    @Test
    void theUsersOfOneAgentShareItsBudgetExactly() throws IOException {
        List<DecisionRecord> d = replay(
                cost("1", "alice", "agent-7", T, "6"),
                cost("1", "alice", "agent-7", T + 1, "6"),        // delivered again: not applied, not counted
                cost("2", "carol", "agent-8", T + 2, "9.99"),
                cost("3", "bob", "agent-7", T + MIN, "3.99"),     // agent-7: 9.99
                cost("4", "bob", "agent-7", T + 2 * MIN, "0.01"), // agent-7: 10, bob alone 4
                call("5", "alice", "agent-7", T + 3 * MIN),
                call("6", "carol", "agent-8", T + 3 * MIN),
                call("7", "bob", "agent-7", T + 59 * MIN + 59_999), // 1-minute slots: T's is in the window to T + 60 min
                call("8", "alice", "agent-7", T + 60 * MIN));     // alice's 6 left the window: bob's 4 remain

        assertEquals(List.of("alice", "carol", "bob", "bob", "alice", "carol", "bob", "alice"),
                d.stream().map(DecisionRecord::userId).toList(), "the duplicate is not decided");
        for (int i : new int[] {0, 1, 2, 5, 7}) {
            assertInstanceOf(Decision.Continue.class, d.get(i).decision(), i + " " + d.get(i).userId());
        }
        for (int i : new int[] {3, 4, 6}) {
            Decision.CircuitBreak cb = assertInstanceOf(Decision.CircuitBreak.class, d.get(i).decision(), d.get(i).userId());
            assertEquals(new BreakReason.SpendBudgetExceeded("USD", 10_000_000, 10_000_000, 3_600_000, "agent-7"),
                    cb.reason());
        }
    }

    /** The README's example (Spend in money), through the CLI: the decisions it lists. */
    @Test
    void theReadmeExampleDecidesAsTheReadmeSays() throws IOException {
        Path out = dir.resolve("agent-budget.jsonl");
        CliRun run = CliRun.of("replay", "--offline", "--input", "docs/examples/agent-budget.jsonl", "--output",
                out.toString(), "--prices", "docs/examples/prices.example.json", "--policies",
                "docs/examples/agent-budget.policies.jsonl", "--no-progress");
        assertEquals(0, run.exitCode(), run.stderr());
        List<JsonNode> d = Files.readAllLines(out).stream().map(JsonTrees::tree).toList();
        assertEquals(List.of("alice", "carol", "bob", "alice", "bob", "carol"),
                d.stream().map(r -> r.get("user_id").asText()).toList());
        assertEquals(List.of("continue", "continue", "spend_budget_warn", "circuit_break", "circuit_break", "continue"),
                d.stream().map(r -> r.get("decision").get("kind").asText()).toList());
        JsonNode warn = d.get(2).get("decision");
        assertEquals("0.020000", warn.get("spent").asText());
        assertEquals(60, warn.get("threshold_percent").asInt());
        assertEquals("agent-7", warn.get("agent_id").asText());
        for (int i : new int[] {3, 4}) {
            JsonNode reason = d.get(i).get("decision").get("reason");
            assertEquals("spend_budget_exceeded", reason.get("kind").asText());
            assertEquals("0.030000", reason.get("spent").asText());
            assertEquals("agent-7", reason.get("agent_id").asText());
        }
    }
}
