package io.noos.streams.cli;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.pricing.PriceFileWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The service's configuration flags, shared by the commands that run the topology. */
final class ServiceOptions {
    @Option(names = "--config-file", description = "Properties file (noos.* keys and any Kafka setting).")
    Path configFile;

    @Option(names = "--bootstrap-servers", description = "Kafka cluster to join. Without it, an in-process "
            + "single-node KRaft broker is started.")
    String bootstrapServers;

    @Option(names = "--application-id", description = "Kafka Streams application id (default noos-streams).")
    String applicationId;

    @Option(names = "--state-dir", description = "Directory of the local RocksDB state.")
    Path stateDir;

    @Option(names = "--cost-cap", description = "Default output-token cap per user (default 10000).")
    Long costCap;

    @Option(names = "--scope-drift-threshold", description = "Default drift threshold (default 0.5).")
    Double driftThreshold;

    @Option(names = "--implicit-window-ms", description = "Implicit-correction window in ms (default off).")
    Long implicitWindowMs;

    @Option(names = "--input-format", description = "agent-events encoding: json or avro.")
    String inputFormat;

    @Option(names = "--decisions-format", description = "regulator-decisions encoding: json or avro.")
    String decisionsFormat;

    @Option(names = "--processing-guarantee", description = "exactly_once_v2 (default) or at_least_once.")
    String processingGuarantee;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "Price table (JSON) for money per cost event: sets noos.prices.file; reloaded on change.")
    Path prices;

    ServiceConfig load() throws IOException {
        String unreadable = configFile == null ? null : CliFiles.inputFileProblem(configFile);
        if (unreadable != null) {
            throw new InvalidConfigurationException("--config-file " + configFile + ": " + unreadable);
        }
        Map<String, String> flags = new HashMap<>();
        flags.put(ServiceConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        flags.put(ServiceConfig.APPLICATION_ID, applicationId);
        flags.put(ServiceConfig.STATE_DIR, stateDir == null ? null : stateDir.toString());
        flags.put(ServiceConfig.COST_CAP, costCap == null ? null : costCap.toString());
        flags.put(ServiceConfig.SCOPE_DRIFT_THRESHOLD, driftThreshold == null ? null : driftThreshold.toString());
        flags.put(ServiceConfig.IMPLICIT_WINDOW_MS, implicitWindowMs == null ? null : implicitWindowMs.toString());
        flags.put(ServiceConfig.INPUT_FORMAT, inputFormat);
        flags.put(ServiceConfig.DECISIONS_FORMAT, decisionsFormat);
        flags.put(ServiceConfig.PROCESSING_GUARANTEE, processingGuarantee);
        flags.put(ServiceConfig.PRICES_FILE, prices == null ? null : prices.toString());
        ServiceConfig config = ServiceConfig.load(configFile, System.getenv(), flags);
        try {
            config.userSettings();   // refuse bad noos.* values before anything starts
            config.topologySettings();
            config.rocksDbMemoryBytes();
            config.eventTimeBound();
            config.maxConsecutiveThreadFailures();
            config.pricesCheckIntervalMs();
            config.alertSettings();
            if (config.pricesFile() != null) {
                PriceFileWatcher.load(config.pricesFile());   // a bad price table is refused before anything starts
            }
            config.recordSizeLimit();
            config.startupTimeout();
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
        return config;
    }
}
