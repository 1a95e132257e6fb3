package io.noos.streams.cli;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.tools.BadLineReport;
import io.noos.streams.tools.KafkaReplay;
import io.noos.streams.tools.OfflineReplay;
import io.noos.streams.tools.ReplaySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code replay}: decides a recorded envelope log offline or through a real Kafka. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
                "Replay a JSON Lines file of envelopes (.gz accepted) and write each decision record as a JSON line.",
                "--offline: no broker; the events go, in file order, through the service's per-user rules with "
                        + "one regulator per user in memory; decisions are written in file order.",
                "--via-kafka: starts a Kafka broker in this process, runs the real service on it (fresh application "
                        + "id, temporary state), produces the file and reads the decisions back (read_committed) "
                        + "until there is one per non-token event or --idle-timeout passes; decisions are written "
                        + "sorted by user, each user's in the order of their events.",
                "Event ids missing from the file are derived as '<file name>#<line number>' in both modes, so the "
                        + "two outputs can be compared per user. Lines that are not envelopes are reported on stderr "
                        + "and counted. The service options below tune the regulator as for 'run'; "
                        + "--bootstrap-servers, --application-id and --state-dir do not apply.",
                "Exit status: 0, or 1 when decisions are missing (--via-kafka)."})
final class ReplayCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--offline", required = true, description = "Replay in this process, without Kafka.")
        boolean offline;

        @Option(names = "--via-kafka", required = true, description = "Replay through the real service on an in-process broker.")
        boolean viaKafka;
    }

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSON Lines envelopes, .gz accepted.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "JSON Lines decision records (created or truncated; .gz compresses).")
    Path output;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "--via-kafka: stop waiting after this many seconds without a new decision "
                    + "(default: ${DEFAULT-VALUE}).")
    double idleTimeoutSeconds;

    @Mixin
    ServiceOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (options.bootstrapServers != null || options.applicationId != null || options.stateDir != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "replay runs on its own: "
                    + "--bootstrap-servers, --application-id and --state-dir cannot be used with it");
        }
        if (!(idleTimeoutSeconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle-timeout must be positive");
        }
        if (!Files.isReadable(input)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read --input " + input);
        }
        ServiceConfig config = options.load();
        BadLineReport report = new BadLineReport(System.err, input);
        ReplaySummary summary = mode.offline
                ? new OfflineReplay(config.topologySettings()).run(input, output, report::report)
                : new KafkaReplay(config, Duration.ofMillis(Math.round(idleTimeoutSeconds * 1000)))
                        .run(input, output, report::report);
        System.out.println((mode.offline ? "offline" : "via kafka") + " replay: " + summary.describe());
        return summary.decisionsMissing() > 0 ? 1 : 0;
    }
}
