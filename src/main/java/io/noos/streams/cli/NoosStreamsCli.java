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
        System.exit(new CommandLine(new NoosStreamsCli()).execute(args));
    }
}
