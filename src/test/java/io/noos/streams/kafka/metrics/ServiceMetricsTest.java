package io.noos.streams.kafka.metrics;

import static io.noos.streams.testkit.PrometheusSamples.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters the processor reports into, read back from the Prometheus text as a scraper would. */
class ServiceMetricsTest {
    @TempDir
    Path stateDir;

    @Test
    void decisionsDeadLettersDuplicatesAndLatencyAreCounted() {
        try (ServiceMetrics metrics = new ServiceMetrics()) {
            String before = metrics.scrape();
            for (String kind : List.of("continue", "circuit_break", "scope_drift_warn", "procedural_warning")) {
                assertEquals(0.0, sample(before, "noos_decisions_total{kind=\"" + kind + "\"}"), kind);
            }
            metrics.decided(Decision.Continue.INSTANCE);
            metrics.decided(Decision.Continue.INSTANCE);
            metrics.decided(new Decision.CircuitBreak(new BreakReason.RepeatedToolCallLoop("search", 5), "stop"));
            metrics.decided(new Decision.CircuitBreak(new BreakReason.CostCapReached(1200, 1000, 0.2), "stop"));
            metrics.decided(new Decision.ScopeDriftWarn(List.of("poem"), 1.0, List.of("async")));
            metrics.deadLettered();
            metrics.duplicate();
            metrics.duplicate();
            metrics.processed(2_000_000);  // 2 ms
            metrics.processed(500_000);    // 0.5 ms

            String s = metrics.scrape();
            assertEquals(2.0, sample(s, "noos_decisions_total{kind=\"continue\"}"));
            assertEquals(2.0, sample(s, "noos_decisions_total{kind=\"circuit_break\"}"));
            assertEquals(1.0, sample(s, "noos_decisions_total{kind=\"scope_drift_warn\"}"));
            assertEquals(0.0, sample(s, "noos_decisions_total{kind=\"procedural_warning\"}"));
            assertEquals(1.0, sample(s, "noos_circuit_breaks_total{reason=\"repeated_tool_call_loop\"}"));
            assertEquals(1.0, sample(s, "noos_circuit_breaks_total{reason=\"cost_cap_reached\"}"));
            assertEquals(1.0, sample(s, "noos_dead_letters_total"));
            assertEquals(2.0, sample(s, "noos_duplicates_total"));
            assertEquals(2.0, sample(s, "noos_processing_latency_seconds_count"));
            assertEquals(0.0025, sample(s, "noos_processing_latency_seconds_sum"), 1e-12);
            assertEquals(0.002, sample(s, "noos_processing_latency_seconds_max"), 1e-12);
            assertTrue(s.contains("noos_processing_latency_seconds_bucket{le="), "a histogram Prometheus can aggregate");
            assertTrue(s.contains("jvm_memory_used_bytes"), "JVM metrics");
        }
    }

    @Test
    void theOptInDetectorsKindsAndReasonsReadZeroUntilCounted() {
        try (ServiceMetrics metrics = new ServiceMetrics()) {
            String before = metrics.scrape();
            assertEquals(0.0, sample(before, "noos_decisions_total{kind=\"spend_anomaly_warn\"}"));
            List<String> reasons = List.of("repeated_failure_pattern", "repeated_identical_tool_call", "tool_call_cycle",
                    "token_budget_exceeded");
            for (String reason : reasons) {
                assertEquals(0.0, sample(before, "noos_circuit_breaks_total{reason=\"" + reason + "\"}"), reason);
            }

            metrics.decided(new Decision.SpendAnomalyWarn(9_000, 1_000.0, 9.0, 120_000, 60_000, 6));
            metrics.decided(new Decision.SpendAnomalyWarn(8_000, 1_000.0, 8.0, 180_000, 120_000, 6));
            metrics.decided(new Decision.CircuitBreak(new BreakReason.RepeatedFailurePattern("auth+login", 3), "s"));
            metrics.decided(new Decision.CircuitBreak(new BreakReason.RepeatedIdenticalToolCall("fetch", "ab12", 3), "s"));
            metrics.decided(new Decision.CircuitBreak(new BreakReason.ToolCallCycle(List.of("a", "b"), 3), "s"));
            metrics.decided(new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(5_100, 5_000, 60_000), "s"));
            metrics.decided(new Decision.CircuitBreak(new BreakReason.TokenBudgetExceeded(5_200, 5_000, 60_000), "s"));

            String s = metrics.scrape();
            assertEquals(2.0, sample(s, "noos_decisions_total{kind=\"spend_anomaly_warn\"}"));
            assertEquals(5.0, sample(s, "noos_decisions_total{kind=\"circuit_break\"}"));
            assertEquals(1.0, sample(s, "noos_circuit_breaks_total{reason=\"repeated_failure_pattern\"}"));
            assertEquals(1.0, sample(s, "noos_circuit_breaks_total{reason=\"repeated_identical_tool_call\"}"));
            assertEquals(1.0, sample(s, "noos_circuit_breaks_total{reason=\"tool_call_cycle\"}"));
            assertEquals(2.0, sample(s, "noos_circuit_breaks_total{reason=\"token_budget_exceeded\"}"));
            assertEquals(0.0, sample(s, "noos_circuit_breaks_total{reason=\"cost_cap_reached\"}"));
        }
    }

    @Test
    void kafkaStreamsClientMetricsAreExposedOnceBound() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never started: nothing connects
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (ServiceMetrics metrics = new ServiceMetrics();
             KafkaStreams streams = new KafkaStreams(RegulatorTopology.build(TopologySettings.defaults(), metrics), p)) {
            assertTrue(!metrics.scrape().contains("kafka_stream_"), "nothing from Kafka Streams before binding");
            metrics.bindStreams(streams);
            String s = metrics.scrape();
            // One stream thread by default: the client-level gauge Kafka Streams registers at construction.
            Matcher alive = Pattern.compile("(?m)^kafka_stream_alive_stream_threads\\{.*client_id=\"metrics-test-[^\"]+\".*\\} (\\S+)$")
                    .matcher(s);
            assertTrue(alive.find(), s);
            assertEquals(1.0, Double.parseDouble(alive.group(1)));
            assertTrue(s.contains("kafka_stream_thread_process_total"), "thread-level metrics");
            assertThrows(IllegalStateException.class, () -> metrics.bindStreams(streams));
        }
    }
}
