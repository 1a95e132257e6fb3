package io.noos.streams.cli;

import io.noos.streams.kafka.app.ServiceStartException;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.http.ServiceHttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code noos-streams.jar}: one subcommand per job. */
@Command(name = "noos-streams",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Real-time reliability layer for fleets of LLM agents on Kafka Streams.",
        subcommands = {
                RunCommand.class,
                BrokerCommand.class,
                ConformanceCommand.class,
                DescribeTopologyCommand.class,
                BenchCommand.class,
                ProduceCommand.class,
                ConsumeCommand.class,
                ReplayCommand.class,
                PolicyCommand.class,
                WorkloadCommand.class,
                CommandLine.HelpCommand.class
        })
public final class NoosStreamsCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: every error a user can fix is {@code error: <what
     * to fix>} on stderr, without a stack trace. Exit status 2 when the command line or the
     * configuration is wrong (a missing or unusable file argument, a refused value; a usage mistake
     * adds a pointer to the command's help), 1 when the command ran and failed (an unreachable
     * cluster, refused credentials, a topic that cannot be created, a damaged input file, the HTTP
     * port in use, an input without one event).
     */
    public static CommandLine commandLine() {
        return new CommandLine(new NoosStreamsCli())
                .setParameterExceptionHandler(NoosStreamsCli::usageError)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof InvalidConfigurationException) {
                        cmd.getErr().println("error: invalid configuration: " + e.getMessage());
                        return 2;
                    }
                    if (e instanceof CommandFailedException) {
                        cmd.getErr().println("error: " + e.getMessage());
                        return 1;
                    }
                    if (e instanceof ServiceStartException start) {   // run: the cluster, its credentials, the topics
                        cmd.getErr().println("error: " + start.getMessage());
                        return 1;
                    }
                    if (e instanceof ServiceHttpServer.PortUnavailableException port) {   // run
                        cmd.getErr().println("error: the HTTP port " + port.port() + " on " + port.host()
                                + " is not available (" + port.getCause().getMessage() + "); choose another with "
                                + "--http-port or " + ServiceConfig.HTTP_PORT
                                + " (0 picks a free port, -1 runs without the HTTP server)");
                        return 1;
                    }
                    IOException io = e instanceof UncheckedIOException unchecked ? unchecked.getCause()
                            : e instanceof IOException checked ? checked : null;
                    if (io != null) {
                        cmd.getErr().println("error: " + CliFiles.describe(io));
                        return 1;
                    }
                    throw e;
                });
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        // picocli's own parse errors (a missing, unknown or repeated option) point to the help;
        // a command's own checks name the option and what is wrong with its value.
        if (e.getClass() != CommandLine.ParameterException.class
                && !CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        }
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }
}
