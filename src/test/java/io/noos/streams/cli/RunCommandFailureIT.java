package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.testkit.FailingRecords;
import io.noos.streams.testkit.RegulatorFlow;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.TestKafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} on a real broker whose stream threads keep failing on one record: it ends by itself
 * with exit status 1 and one line on stderr saying why (the log, also on stderr, is not counted).
 */
class RunCommandFailureIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void aServiceThatStopsItselfEndsTheRunWithStatusOneAndOneLine() throws Exception {
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            String suffix = "run-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> flags = RegulatorFlow.flags(kafka.bootstrapServers(), "noos-it-" + suffix,
                    dir.resolve("state"), suffix);
            Properties file = new Properties();
            file.putAll(flags);
            file.put(ServiceConfig.MAX_CONSECUTIVE_THREAD_FAILURES, "2");
            Path config = dir.resolve("service.properties");
            try (Writer w = Files.newBufferedWriter(config)) {
                file.store(w, null);
            }
            String input = flags.get(ServiceConfig.INPUT_TOPIC);
            kafka.createTopics(6, input);
            RegulatorFlow.produce(kafka.bootstrapServers(), input,
                    new RegulatorFlow.Agent("poison").then(RegulatorFlow.turnStart("summarize the report")).take());

            RunCommand run = new RunCommand();
            run.topology = new FailingRecords(Set.of("poison"), Integer.MAX_VALUE, new ConcurrentHashMap<>());
            CommandLine cli = new CommandLine(run);
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();   // run's own line and the log
            PrintStream original = System.err;
            int status;
            try {
                System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
                status = CompletableFuture.supplyAsync(() -> cli.execute("--bootstrap-servers", kafka.bootstrapServers(),
                        "--config-file", config.toString(), "--http-port", "0")).get(200, TimeUnit.SECONDS);
            } finally {
                System.setErr(original);
                original.print(stderr);
            }

            assertEquals(1, status);
            List<String> errors = stderr.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("error: ")).toList();
            assertEquals(List.of("error: the service stopped: 2 consecutive stream thread failures without progress; "
                    + "last: " + FailingRecords.InjectedFailure.class.getName() + ": injected failure 2 on poison"), errors);
        }
    }
}
