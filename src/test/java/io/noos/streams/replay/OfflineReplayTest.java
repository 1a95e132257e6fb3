package io.noos.streams.replay;

import io.noos.streams.testkit.JsonTrees;
import static io.noos.streams.testkit.Logs.line;
import static io.noos.streams.testkit.Logs.correction;
import static io.noos.streams.testkit.Logs.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.logfile.EnvelopeFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline replay of small hand-made logs; expected decisions follow the regulator spec. */
class OfflineReplayTest {
    @TempDir
    Path dir;

    private final List<EnvelopeFileReader.Line.Bad> badLines = new ArrayList<>();

    private static String toolCall(int page) {
        return "{\"type\":\"tool_call\",\"tool_name\":\"search_orders\",\"args_json\":\"{\\\"page\\\":" + page + "}\"}";
    }

    private List<JsonNode> replay(TopologySettings settings, String... lines) throws IOException {
        Path input = Files.writeString(dir.resolve("log.jsonl"), String.join("\n", lines) + "\n");
        Path output = dir.resolve("decisions.jsonl");
        ReplaySummary summary = new OfflineReplay(settings).run(input, output, badLines::add);
        List<JsonNode> decisions = Files.readAllLines(output).stream().map(JsonTrees::tree).toList();
        assertEquals(decisions.size(), summary.decisionsWritten());
        assertEquals(badLines.size(), summary.badLines());
        return decisions;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void driftingResponseGivesScopeDriftWarnWithScoreOne() throws IOException {
        List<JsonNode> d = replay(TopologySettings.defaults(),
                line("alice", 1000, turnStart("refactor this function to be async")),
                line("alice", 1100, "{\"type\":\"token\",\"token\":\"Sure\",\"logprob\":-0.3,\"index\":0}"),
                line("alice", 1900, "{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}"));

        assertEquals(2, d.size(), "no decision after a token");
        assertEquals("continue", d.get(0).at("/decision/kind").asText());
        assertEquals("log.jsonl#1", d.get(0).get("event_id").asText());
        assertEquals(1, d.get(0).get("turn").asLong());

        JsonNode drift = d.get(1);
        assertEquals("log.jsonl#3", drift.get("event_id").asText());
        assertEquals("turn_complete", drift.get("event_type").asText());
        assertEquals(1900, drift.get("at_ms").asLong());
        assertEquals("scope_drift_warn", drift.at("/decision/kind").asText());
        assertEquals(1.0, drift.at("/decision/drift_score").asDouble());
        assertEquals(List.of("handling", "logging", "error"), texts(drift.at("/decision/drift_tokens")));
        assertTrue(drift.get("prelude").isNull());
        assertEquals(9, drift.get("metrics").size());
    }

    @Test
    void fiveCallsOfOneToolBreakTheCircuitOnTheFifth() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(line("bob", 1000, turnStart("find the duplicate orders in the order database")));
        for (int i = 1; i <= 5; i++) {
            lines.add(line("bob", 1000 + 10L * i, toolCall(i)));
        }

        List<JsonNode> d = replay(TopologySettings.defaults(), lines.toArray(String[]::new));

        assertEquals(6, d.size());
        for (int i = 0; i < 5; i++) {
            assertEquals("continue", d.get(i).at("/decision/kind").asText(), "decision " + (i + 1));
        }
        JsonNode loop = d.get(5);
        assertEquals("log.jsonl#6", loop.get("event_id").asText());
        assertEquals("circuit_break", loop.at("/decision/kind").asText());
        assertEquals("repeated_tool_call_loop", loop.at("/decision/reason/kind").asText());
        assertEquals("search_orders", loop.at("/decision/reason/tool_name").asText());
        assertEquals(5, loop.at("/decision/reason/consecutive_count").asInt());
    }

    @Test
    void threeCorrectionsOnATopicGiveAProceduralWarningWithThePrelude() throws IOException {
        List<JsonNode> d = replay(TopologySettings.defaults(),
                line("carol", 1000, turnStart("refactor this function to be async")),
                line("carol", 1010, correction("don't add logging")),
                line("carol", 1020, correction("stop adding logging please")),
                line("carol", 1030, correction("no more logs")));

        assertEquals("continue", d.get(2).at("/decision/kind").asText(), "two corrections are not a pattern");
        JsonNode warning = d.get(3);
        assertEquals("procedural_warning", warning.at("/decision/kind").asText());
        JsonNode pattern = warning.at("/decision/patterns/0");
        assertEquals("corrections_on_async+function", pattern.get("pattern_name").asText());
        assertEquals(3, pattern.get("learned_from_turns").asInt());
        assertEquals(0.15, pattern.get("confidence").asDouble());
        assertEquals("User has previously corrected responses on this topic with:\n- no more logs\n"
                + "- stop adding logging please\n- don't add logging", warning.get("prelude").asText());
    }

    @Test
    void eachUserHasTheirOwnRegulatorAndDecisionsKeepFileOrder() throws IOException {
        List<JsonNode> d = replay(TopologySettings.defaults(),
                line("alice", 1000, turnStart("refactor this function to be async")),
                line("bob", 1001, turnStart("refactor this function to be async")),
                line("bob", 1002, "{\"type\":\"turn_complete\",\"full_response\":\"refactor this async function\"}"),
                line("alice", 1003, "{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}"),
                line("alice", 1004, turnStart("now write the tests")));

        assertEquals(List.of("alice", "bob", "bob", "alice", "alice"),
                d.stream().map(n -> n.get("user_id").asText()).toList());
        assertEquals("continue", d.get(2).at("/decision/kind").asText(), "bob's answer is on topic");
        assertEquals("scope_drift_warn", d.get(3).at("/decision/kind").asText());
        assertEquals(List.of(1L, 1L, 1L, 1L, 2L), d.stream().map(n -> n.get("turn").asLong()).toList());
    }

    @Test
    void badLinesAreReportedWithTheirLineNumbersAndTheRestIsDecided() throws IOException {
        List<JsonNode> d = replay(TopologySettings.defaults(),
                line("alice", 1000, turnStart("refactor this function to be async")),
                "{\"user_id\":\"alice\",\"at_ms\":1001,\"event\":{\"type\":\"no_such_event\"}}",
                "",
                "not json at all",
                line("alice", 1900, "{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}"));

        assertEquals(List.of(2L, 4L), badLines.stream().map(EnvelopeFileReader.Line.Bad::lineNumber).toList());
        assertEquals(2, d.size());
        assertEquals("log.jsonl#5", d.get(1).get("event_id").asText(), "ids follow the physical line numbers");
        assertEquals("scope_drift_warn", d.get(1).at("/decision/kind").asText());
    }

    @Test
    void appliesTheServiceSettings() throws IOException {
        TopologySettings strict = TopologySettings.builder().userSettings(new UserSettings(2_000, 1.0, null)).build();

        List<JsonNode> d = replay(strict,
                line("alice", 1000, turnStart("refactor this function to be async")),
                line("alice", 1900, "{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}"));

        assertEquals(2_000.0, d.get(1).at("/metrics/noos.cost_cap_tokens").asDouble());
        assertEquals(1.0, d.get(1).at("/metrics/noos.scope_drift_threshold").asDouble());
        assertEquals("scope_drift_warn", d.get(1).at("/decision/kind").asText(), "1.0 >= 1.0: inclusive");
    }

    @Test
    void aNewSessionResetsTheUsersPerTaskState() throws IOException {
        String correctionOnAsync = "{\"type\":\"user_correction\",\"correction_message\":\"no logging\",\"corrects_last\":true}";
        List<JsonNode> d = replay(TopologySettings.defaults(),
                line("dave", 1000, turnStart("refactor this function to be async")),
                line("dave", 1001, "{\"type\":\"cost\",\"tokens_in\":10,\"tokens_out\":700,\"wallclock_ms\":5}"),
                line("dave", 1002, correctionOnAsync),
                "{\"user_id\":\"dave\",\"session_id\":\"dave-s2\",\"at_ms\":2000,\"event\":"
                        + turnStart("refactor this function to be async") + "}");

        assertEquals(700.0, d.get(1).at("/metrics/noos.total_tokens_out").asDouble());
        JsonNode afterReset = d.get(3);
        assertEquals("dave-s2", afterReset.get("session_id").asText());
        assertEquals(0.0, afterReset.at("/metrics/noos.total_tokens_out").asDouble(), "cost starts fresh");
        assertEquals(2, afterReset.get("turn").asLong(), "the turn count goes on");
    }
}
