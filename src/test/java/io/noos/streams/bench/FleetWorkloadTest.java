package io.noos.streams.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.envelope.EventEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated workload is a function of its seed and sizes, in time order, with the fleet log's mix. */
class FleetWorkloadTest {
    @TempDir
    Path dir;

    @Test
    void theSameSpecWritesTheSameBytesAnotherSeedOthers() throws Exception {
        FleetWorkload.Spec spec = new FleetWorkload.Spec(20_000, 80, 42);
        Path a = dir.resolve("a.jsonl.gz");
        Path b = dir.resolve("b.jsonl");
        Path c = dir.resolve("c.jsonl");
        assertEquals(20_000, FleetWorkload.write(spec, a));
        FleetWorkload.write(spec, b);
        FleetWorkload.write(new FleetWorkload.Spec(20_000, 80, 43), c);
        assertArrayEquals(Files.readAllBytes(b), new java.util.zip.GZIPInputStream(Files.newInputStream(a)).readAllBytes());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(b), Files.readAllBytes(c)));
    }

    @Test
    void eventsComeInTimeOrderWithTheFleetLogsMix() {
        List<EventEnvelope> log = new ArrayList<>();
        FleetWorkload.generate(new FleetWorkload.Spec(100_000, 400, 1), log::add);
        assertEquals(100_000, log.size());
        for (int i = 1; i < log.size(); i++) {
            assertTrue(log.get(i - 1).atMs() <= log.get(i).atMs(), "time order at " + i);
        }
        Map<String, Integer> types = new TreeMap<>();
        log.forEach(e -> types.merge(e.event().type(), 1, Integer::sum));
        // the fleet log: 88.9 % tokens, 2.1 % each of turn_start/turn_complete/cost, 1.8 % quality
        // feedback, 1.3 % each of tool_call/tool_result, 0.27 % corrections
        assertShare(types, "token", 0.889, 0.02);
        assertShare(types, "turn_start", 0.0214, 0.002);
        assertShare(types, "cost", 0.0214, 0.002);
        assertShare(types, "quality_feedback", 0.0181, 0.002);
        assertShare(types, "tool_call", 0.0130, 0.002);
        assertShare(types, "user_correction", 0.0027, 0.001);
        assertEquals(400, log.stream().map(EventEnvelope::userId).distinct().count());
    }

    private static void assertShare(Map<String, Integer> types, String type, double share, double tolerance) {
        double actual = types.getOrDefault(type, 0) / 100_000.0;
        assertTrue(Math.abs(actual - share) <= tolerance, type + ": " + actual + " vs " + share);
    }
}
