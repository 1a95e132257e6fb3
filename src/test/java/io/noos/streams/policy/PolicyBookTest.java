package io.noos.streams.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyBookTest {
    private static void put(PolicyBook book, String key, String json) {
        book.put(PolicyKey.parse(key), PolicyJson.parse(json));
    }

    @Test
    void anEmptyBookHasNoEffectivePolicy() {
        assertNull(new PolicyBook().effective("alice", "agent-7"));
    }

    @Test
    void fieldByFieldTheUserBeatsTheAgentWhichBeatsTheDefault() {
        PolicyBook book = new PolicyBook();
        put(book, "*", "{\"cost_cap\":100,\"scope_drift_threshold\":0.9,\"implicit_correction_window_ms\":1000}");
        put(book, "agent:agent-7", "{\"cost_cap\":200,\"scope_drift_threshold\":0.8}");
        put(book, "alice", "{\"cost_cap\":300}");

        assertEquals(new Policy(300L, 0.8, true, 1000L), book.effective("alice", "agent-7"),
                "cap from alice, threshold from agent-7, window from *");
        assertEquals(new Policy(300L, 0.9, true, 1000L), book.effective("alice", null),
                "an event without agent_id skips the agent entries");
        assertEquals(new Policy(300L, 0.9, true, 1000L), book.effective("alice", "agent-8"));
        assertEquals(new Policy(200L, 0.8, true, 1000L), book.effective("bob", "agent-7"));
        assertEquals(new Policy(100L, 0.9, true, 1000L), book.effective("bob", null));
    }

    @Test
    void anExplicitNullWindowTurnsTheFeatureOffOverALowerLayer() {
        PolicyBook book = new PolicyBook();
        put(book, "*", "{\"implicit_correction_window_ms\":1000}");
        put(book, "alice", "{\"implicit_correction_window_ms\":null}");
        Policy alice = book.effective("alice", null);
        assertTrue(alice.implicitWindowSet());
        assertNull(alice.implicitWindowMs());
        assertEquals(1000L, book.effective("bob", null).implicitWindowMs());
    }

    @Test
    void removingAnEntryFallsBackToTheNextLayer() {
        PolicyBook book = new PolicyBook();
        put(book, "*", "{\"cost_cap\":100}");
        put(book, "alice", "{\"cost_cap\":300}");
        book.remove(PolicyKey.parse("alice"));
        assertEquals(100L, book.effective("alice", null).costCap());
        book.remove(PolicyKey.parse("*"));
        assertNull(book.effective("alice", null));
        assertEquals(0, book.size());
    }

    @Test
    void aUserNamedLikeAnAgentKeyIsTheAgentEntry() {
        PolicyBook book = new PolicyBook();
        put(book, "agent:x", "{\"cost_cap\":5}");
        assertNull(book.effective("agent:x", null), "the key names agent x, not a user called agent:x");
        assertEquals(5L, book.effective("u", "x").costCap());
    }

    @Test
    void aJsonLinesFileIsAppliedInOrderAndABadLineNamesItsNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policies.jsonl");
        Files.writeString(file, """
                {"key":"*","policy":{"cost_cap":100}}
                {"key":"alice","policy":{"cost_cap":300}}

                {"key":"bob","policy":{"cost_cap":400}}
                {"key":"bob","policy":null}
                """);
        PolicyBook book = PolicyBook.readJsonLines(file);
        assertEquals(Map.of("*", "{\"cost_cap\":100}", "alice", "{\"cost_cap\":300}"), book.entries());

        Files.writeString(file, "{\"key\":\"*\",\"policy\":{\"cost_cap\":100}}\n{\"key\":\"alice\",\"policy\":{\"cost_cap\":0}}\n");
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyBook.readJsonLines(file));
        assertEquals(file + " line 2: cost_cap must be an integer in 1..4294967295, got 0", e.getMessage());
    }

    /** A file that is not well-formed UTF-8 names the line and the byte in it, as the service names a record's. */
    @Test
    void aLineThatIsNotUtf8NamesItsNumberAndTheByte(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policies.jsonl");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes("{\"key\":\"*\",\"policy\":{\"cost_cap\":100}}\n{\"key\":\"al".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF});   // an overlong '/'
        bytes.writeBytes("ice\",\"policy\":{\"cost_cap\":300}}\n".getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());

        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyBook.readJsonLines(file));
        assertEquals(file + " line 2: not valid UTF-8: overlong encoding at byte 10", e.getMessage());
    }

    @Test
    void aHaltIsMarkedWithItsKeyAndTheMostSpecificHaltIsInForce() {
        PolicyBook book = new PolicyBook();
        put(book, "*", "{\"halt\":{\"reason\":\"everyone\"}}");
        put(book, "alice", "{\"cost_cap\":300}");
        assertEquals(new Policy.Halt("everyone", null, "*"), book.effective("alice", "agent-7").halt(),
                "an entry without a halt does not lift a wider one");
        assertEquals(300L, book.effective("alice", "agent-7").costCap());
        put(book, "agent:agent-7", "{\"halt\":{}}");
        assertEquals(new Policy.Halt(null, null, "agent:agent-7"), book.effective("alice", "agent-7").halt());
        assertEquals("*", book.effective("alice", "agent-8").halt().key());
        put(book, "alice", "{\"halt\":{\"reason\":\"mine\"}}");
        assertEquals("alice", book.effective("alice", "agent-7").halt().key());
        assertEquals(Map.of("*", new Policy.Halt("everyone", null, "*"),
                "agent:agent-7", new Policy.Halt(null, null, "agent:agent-7"),
                "alice", new Policy.Halt("mine", null, "alice")), book.halts());
        assertEquals("{\"halt\":{\"reason\":\"mine\"}}", book.entries().get("alice"), "the key is not part of the JSON");
        book.remove(PolicyKey.parse("*"));
        assertNull(book.effective("bob", "agent-8"));
    }
}
