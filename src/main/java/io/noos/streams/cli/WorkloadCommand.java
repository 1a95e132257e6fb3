package io.noos.streams.cli;

import io.noos.streams.bench.FleetWorkload;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code workload}: writes the seeded fleet workload the benchmarks and the README's examples use. */
@Command(name = "workload", mixinStandardHelpOptions = true,
        description = {"Write a fleet workload: JSON Lines envelopes (gzipped when --out ends in .gz) of simulated "
                + "users' turns (messages, streamed tokens, tool calls and loops, responses drifting off-task, costs, "
                + "quality feedback, corrections, new sessions), in time order. The same --seed, --events and --users "
                + "give the same file byte for byte; the defaults give the workload `bench core` and `bench pipeline` "
                + "use."})
final class WorkloadCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "The file to write, e.g. fleet-workload.jsonl.gz.")
    Path out;

    @Option(names = "--events", defaultValue = "" + FleetWorkload.DEFAULT_EVENTS,
            description = "Events to write (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--users", defaultValue = "" + FleetWorkload.DEFAULT_USERS,
            description = "Users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "" + FleetWorkload.DEFAULT_SEED,
            description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (events < 1 || users < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--events and --users must be at least 1");
        }
        CliFiles.requireOutputFile(spec, "--out", out);
        long written = FleetWorkload.write(new FleetWorkload.Spec(events, users, seed), out);
        System.out.printf(Locale.ROOT, "wrote %,d events for %,d users to %s%n", written, users, out);
        return 0;
    }
}
