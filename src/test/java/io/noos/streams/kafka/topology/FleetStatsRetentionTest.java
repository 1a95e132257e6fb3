package io.noos.streams.kafka.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.Logs;
import io.noos.streams.testkit.TestEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * {@code noos.fleet.stats.retention.ms}, set as the service reads it: merged windows older than the
 * retention behind the newest merged window leave the queryable store at the next purge (every
 * minute). One event in window A and one two windows later, in C: with one window of retention A
 * goes (C − 60 s is B, and A starts before it), with the default day it stays.
 */
class FleetStatsRetentionTest {
    private static final long A = 1_767_225_600_000L;
    private static final long C = A + 120_000;

    @Test
    void windowsOlderThanTheRetentionBehindTheNewestAreDropped() throws IOException {
        assertEquals(Set.of("*@" + C, "agent-1@" + C), windowsKept(Map.of(ServiceConfig.FLEET_STATS_RETENTION_MS, "60000")));
        assertEquals(Set.of("*@" + A, "agent-1@" + A, "*@" + C, "agent-1@" + C), windowsKept(Map.of()));
    }

    private static Set<String> windowsKept(Map<String, String> flags) throws IOException {
        TopologySettings settings = ServiceConfig.load(null, Map.of(), flags).topologySettings();
        try (TopologyHarness h = new TopologyHarness(settings)) {
            TestEvent ana = TestEvent.user("ana").agent("agent-1").session("s1");
            h.send("ana", ana.id("a").at(A + 1_000).json(Logs.turnStart("explain tokio runtime")));
            h.send("ana", ana.id("c").at(C + 1_000).json(Logs.cost(10, 200)));
            h.driver.advanceWallClockTime(Duration.ofSeconds(5));    // the partials are sent and merged
            h.driver.advanceWallClockTime(Duration.ofSeconds(60));   // the merger purges
            KeyValueStore<String, byte[]> store = h.driver.getKeyValueStore(ServiceStore.FLEET_STATS.storeName());
            Set<String> keys = new TreeSet<>();
            try (var all = store.all()) {
                all.forEachRemaining(kv -> keys.add(kv.key));
            }
            return keys;
        }
    }
}
