package io.noos.streams.kafka.topology;

import static io.noos.streams.testkit.JsonTrees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.noos.streams.core.Decision;
import io.noos.streams.decide.UserSettings;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.detect.DetectorSettings;
import io.noos.streams.fleet.FleetStatsSettings;
import io.noos.streams.fleet.FleetView;
import io.noos.streams.fleet.ReplayFleetSpend;
import io.noos.streams.fleet.FleetKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code fleet_spend_anomaly} through the real topology: the fleet's spend of a window is counted,
 * merged, written to {@code regulator-fleet-stats}, read back by the fleet-spend global store and
 * compared with each user's spend in the next window. Expected figures follow the detector's rule
 * (warn at {@code multiple} = 5 times the previous window's median, at least {@code min_tokens_out}
 * = 1000 tokens, at least {@code min_fleet_users} = 3 users) and the histogram's (the median of
 * 300, 400, 500 is 400, in bucket {@code ⌊16·log2 400⌋ = 138}, reported as {@code 2^(138.5/16)} ≈ 403.45).
 */
class FleetSpendAnomalyTopologyTest {
    /** 2026-01-01T00:00:00Z, a window start. */
    private static final long A = 1_767_225_600_000L;
    private static final long B = A + 60_000;
    private static final double MEDIAN_A = Math.pow(2, 138.5 / 16);

    private final List<Decision> decided = Collections.synchronizedList(new ArrayList<>());
    private TopologyHarness h;
    private int sequence;

    @BeforeEach
    void start() {
        UserSettings withDetector = UserSettings.DEFAULTS.withDetectors(DetectorSettings.of(
                Map.of("fleet_spend_anomaly", Map.of("enabled", 1.0, "min_fleet_users", 3.0)), DetectorRegistry.BUILT_IN));
        h = new TopologyHarness(TopologySettings.builder().userSettings(withDetector).build(), new ProcessingObserver() {
            @Override
            public void decided(Decision decision) {
                decided.add(decision);
            }
        });
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** A cost event of {@code user} at {@code at}; returns the decision it got. */
    private Decision cost(String user, long at, long tokensOut) {
        int before = decided.size();
        h.send(user, "{\"event_id\":\"e" + (sequence++) + "\",\"user_id\":\"" + user + "\",\"agent_id\":\"agent-1\","
                + "\"session_id\":\"s1\",\"at_ms\":" + at + ",\"event\":{\"type\":\"cost\",\"tokens_in\":0,\"tokens_out\":"
                + tokensOut + ",\"wallclock_ms\":900,\"provider\":null}}");
        assertEquals(before + 1, decided.size(), "one decision per cost event");
        return decided.get(before);
    }

    private void fleetSpendsInWindowA() {
        assertInstanceOf(Decision.Continue.class, cost("f1", A + 1_000, 300));
        assertInstanceOf(Decision.Continue.class, cost("f2", A + 2_000, 400));
        assertInstanceOf(Decision.Continue.class, cost("f3", A + 3_000, 500));
    }

    @Test
    void aUserSpendingManyTimesTheFleetsMedianOfTheWindowBeforeIsWarnedAndANormalUserIsNot() {
        fleetSpendsInWindowA();
        // Window A's figures are not known until the partials are sent (every 5 s, wall clock) and merged.
        assertInstanceOf(Decision.Continue.class, cost("early", B + 1_000, 4_000), "the fleet's spend is unknown yet");

        h.driver.advanceWallClockTime(Duration.ofSeconds(5));
        KeyValueStore<String, byte[]> spendStore = h.driver.getKeyValueStore(ServiceStore.FLEET_SPEND.storeName());
        assertNotNull(spendStore.get(FleetKey.of("*", A)), "the merged fleet window came back through the global store");
        assertNull(spendStore.get(FleetKey.of("agent-1", A)), "agents' windows are not kept");

        Decision heavy = cost("heavy", B + 2_000, 4_000);
        Decision.SpendAnomalyWarn warn = assertInstanceOf(Decision.SpendAnomalyWarn.class, heavy);
        assertEquals(4_000, warn.userTokensOut());
        assertEquals(MEDIAN_A, warn.fleetMedianTokensOut(), 1e-9);
        assertEquals(4_000 / MEDIAN_A, warn.ratio(), 1e-9, "≈ 9.91, at least 5");
        assertEquals(B, warn.windowStartMs());
        assertEquals(A, warn.fleetWindowStartMs());
        assertEquals(3, warn.fleetUsers());

        assertInstanceOf(Decision.Continue.class, cost("normal", B + 3_000, 1_200),
                "1200 / 403.45 ≈ 2.97: under 5 times the median");
        assertEquals(Decision.SpendAnomalyWarn.class, cost("heavy", B + 5_000, 10).getClass(),
                "heavy's window total is now 4010: still warned");

        List<String> kinds = h.decisions.readValuesToList().stream()
                .map(json -> tree(json).at("/decision/kind").asText()).toList();
        assertEquals(List.of("continue", "continue", "continue", "continue", "spend_anomaly_warn", "continue",
                "spend_anomaly_warn"), kinds, "as published on regulator-decisions");
    }

    @Test
    void tooFewSpendingUsersInTheWindowBeforeGiveNoMedianToCompareWith() {
        assertInstanceOf(Decision.Continue.class, cost("f1", A + 1_000, 300));
        assertInstanceOf(Decision.Continue.class, cost("f2", A + 2_000, 400));
        h.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertInstanceOf(Decision.Continue.class, cost("heavy", B + 2_000, 40_000), "2 users < min_fleet_users 3");
    }

    @Test
    void aMalformedFleetStatsRecordIsLoggedAndSkippedAndTheFiguresStayAsTheyWere() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(FleetSpendUpdater.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            fleetSpendsInWindowA();
            h.driver.advanceWallClockTime(Duration.ofSeconds(5));
            String key = FleetKey.of("*", A);
            byte[] good = h.driver.<String, byte[]>getKeyValueStore(ServiceStore.FLEET_SPEND.storeName()).get(key);

            h.fleetStatsIn.pipeInput(key, "{not json");
            h.fleetStatsIn.pipeInput(key, "{\"agent_id\":\"*\",\"window_start_ms\":" + A
                    + ",\"user_spend\":{\"users\":-4,\"median_tokens_out\":1.0}}");
            h.fleetStatsIn.pipeInput(key, "{\"agent_id\":\"*\",\"window_start_ms\":" + B
                    + ",\"user_spend\":{\"users\":3,\"median_tokens_out\":1.0}}");
            h.fleetStatsIn.pipeInput("no-window", "{}");
            h.fleetStatsIn.pipeInput("*@12", "{}");
            h.fleetStatsIn.pipeInput("agent-9@" + B, "{not json either, but an agent's: not read}");

            assertEquals(new String(good), new String(h.driver.<String, byte[]>getKeyValueStore(
                    ServiceStore.FLEET_SPEND.storeName()).get(key)), "the last good record stays");
            assertInstanceOf(Decision.SpendAnomalyWarn.class, cost("heavy", B + 2_000, 4_000),
                    "the service still compares with window A's good figures");

            List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(5, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("'" + key + "'") && warnings.get(0).contains("not JSON"), warnings.get(0));
            assertTrue(warnings.get(1).contains("user_spend.users"), warnings.get(1));
            assertTrue(warnings.get(2).contains("do not match the key"), warnings.get(2));
            assertTrue(warnings.get(3).contains("'no-window'"), warnings.get(3));
            assertTrue(warnings.get(4).contains("'*@12'"), warnings.get(4));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void withoutTheDetectorEnabledNoSpendIsWarned() {
        try (TopologyHarness plain = new TopologyHarness(TopologySettings.defaults())) {
            for (String user : List.of("f1", "f2", "f3")) {
                plain.send(user, "{\"user_id\":\"" + user + "\",\"at_ms\":" + (A + 1_000)
                        + ",\"event\":{\"type\":\"cost\",\"tokens_in\":0,\"tokens_out\":300,\"wallclock_ms\":1,\"provider\":null}}");
            }
            plain.driver.advanceWallClockTime(Duration.ofSeconds(5));
            plain.send("heavy", "{\"user_id\":\"heavy\",\"at_ms\":" + (B + 1_000)
                    + ",\"event\":{\"type\":\"cost\",\"tokens_in\":0,\"tokens_out\":9000,\"wallclock_ms\":1,\"provider\":null}}");
            List<String> kinds = plain.decisions.readValuesToList().stream()
                    .map(json -> tree(json).at("/decision/kind").asText()).toList();
            assertEquals(List.of("continue", "continue", "continue", "continue"), kinds, "the detector is off by default");
        }
    }

    /**
     * For windows whose events have all been counted, the service's merged {@code user_spend} equals
     * what the offline replay's {@link ReplayFleetSpend} counts from the same events.
     */
    @Test
    void theServicesFiguresOfCompleteWindowsEqualTheOfflineReplays() {
        ReplayFleetSpend offline = new ReplayFleetSpend(FleetStatsSettings.DEFAULT_GRACE_MS);
        java.util.Random random = new java.util.Random(42);
        long at = A;
        for (int e = 0; e < 600; e++) {
            at += random.nextInt(1_000);
            String user = "u" + random.nextInt(40);
            long tokens = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 50 : 5_000);
            cost(user, at, tokens);
            offline.onEvent(user, at, tokens);
            if (e % 100 == 99) {
                h.driver.advanceWallClockTime(Duration.ofSeconds(5));
            }
        }
        h.driver.advanceWallClockTime(Duration.ofSeconds(5));
        Map<String, com.fasterxml.jackson.databind.JsonNode> newest = new java.util.TreeMap<>();
        h.fleetStats.readKeyValuesToList().forEach(kv -> newest.put(kv.key, tree(kv.value)));
        long lastWindow = io.noos.streams.fleet.FleetStatsWindows.startOf(at);
        int compared = 0;
        for (long w = A; w < lastWindow; w += 60_000) {
            com.fasterxml.jackson.databind.JsonNode spend = newest.get(FleetKey.of("*", w)).get("user_spend");
            FleetView.FleetSpend expected = offline.spendIn(w);
            assertEquals(expected.users(), spend.get("users").asLong(), "window " + w);
            assertEquals(expected.medianTokensOut(), spend.get("median_tokens_out").asDouble(), "window " + w);
            assertTrue(expected.users() >= 30, "most of the 40 users spend in each window: " + expected.users());
            compared++;
        }
        assertTrue(compared >= 4, "windows compared: " + compared);
    }
}
