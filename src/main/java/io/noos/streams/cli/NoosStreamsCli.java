package io.noos.streams.cli;

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

    /** The command line with its handlers: a refused configuration value is a one-line error and status 2. */
    public static CommandLine commandLine() {
        return new CommandLine(new NoosStreamsCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof InvalidConfigurationException) {
                        cmd.getErr().println("error: invalid configuration: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
    }
}
