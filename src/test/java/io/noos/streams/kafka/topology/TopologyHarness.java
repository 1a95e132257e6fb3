package io.noos.streams.kafka.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around the real topology, with its topics at hand. */
final class TopologyHarness implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> input;
    /** The input topic with keys as bytes (keys that are not UTF-8). */
    final TestInputTopic<byte[], byte[]> rawInput;
    final TestOutputTopic<String, String> decisions;
    final TestOutputTopic<String, byte[]> deadLetters;
    /** The dead-letter topic with keys as bytes. */
    final TestOutputTopic<byte[], byte[]> rawDeadLetters;
    final TestInputTopic<String, String> policies;
    final TestOutputTopic<String, String> fleetStats;
    /** The fleet-stats topic as input too: what other producers could write there (read by the fleet-spend global store). */
    final TestInputTopic<String, String> fleetStatsIn;
    private final Path stateDir;

    TopologyHarness(TopologySettings settings) {
        this(settings, ProcessingObserver.NONE);
    }

    TopologyHarness(TopologySettings settings, ProcessingObserver observer) {
        this(settings, observer, java.time.Instant.now());
    }

    /** With the driver's mock wall clock starting at {@code wallClock}. */
    TopologyHarness(TopologySettings settings, ProcessingObserver observer, java.time.Instant wallClock) {
        try {
            stateDir = Files.createTempDirectory("noos-ttd");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "noos-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        driver = new TopologyTestDriver(RegulatorTopology.build(settings, observer), props, wallClock);
        input = driver.createInputTopic(settings.inputTopic(), new StringSerializer(), new ByteArraySerializer());
        rawInput = driver.createInputTopic(settings.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        decisions = driver.createOutputTopic(settings.decisionsTopic(), new StringDeserializer(), new StringDeserializer());
        deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
        rawDeadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        policies = driver.createInputTopic(settings.policiesTopic(), new StringSerializer(), new StringSerializer());
        fleetStats = driver.createOutputTopic(settings.fleetStatsTopic(), new StringDeserializer(),
                new StringDeserializer());
        fleetStatsIn = driver.createInputTopic(settings.fleetStatsTopic(), new StringSerializer(), new StringSerializer());
    }

    void send(String key, String json) {
        input.pipeInput(key, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temp dir
        }
    }
}
