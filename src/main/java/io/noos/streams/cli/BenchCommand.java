package io.noos.streams.cli;

import io.noos.streams.bench.CoreWorkloadBench;
import io.noos.streams.bench.TurnBench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench core|turn|jmh}: the project's speed figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints its figures and a last line of key=value results.",
        subcommands = {BenchCommand.Core.class, BenchCommand.Turn.class, BenchCommand.Jmh.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "core", mixinStandardHelpOptions = true,
            description = "Replay a workload (JSON Lines envelopes, .gz accepted) through one regulator per user, "
                    + "deciding after every non-token event. Parsing is not timed. Last line: "
                    + "events_per_s=<n> ns_per_event=<x> (median of the runs).")
    static final class Core implements Callable<Integer> {
        @Option(names = "--workload", required = true, description = "Workload file, e.g. fleet-workload.jsonl.gz.")
        Path workload;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up runs (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            CoreWorkloadBench.run(workload, warmup, runs, System.out);
            return 0;
        }
    }

    @Command(name = "turn", mixinStandardHelpOptions = true,
            description = "One realistic turn on a fresh regulator: turn_start, 100 tokens, turn_complete, cost, "
                    + "decide. Last line: ns_per_turn=<x> (median of the runs).")
    static final class Turn implements Callable<Integer> {
        @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--turns", defaultValue = "200000", description = "Turns per run (default: ${DEFAULT-VALUE}).")
        int turns;

        @Override
        public Integer call() {
            TurnBench.run(runs, turns, System.out);
            return 0;
        }
    }

    @Command(name = "jmh", mixinStandardHelpOptions = true,
            description = "Run the JMH benchmarks of the hot paths (keyword extraction, decide, a whole turn). "
                    + "Arguments after -- go to JMH, e.g. bench jmh -- -f 1 -wi 3 -i 5 KeywordExtraction")
    static final class Jmh implements Callable<Integer> {
        @CommandLine.Parameters(arity = "0..*", paramLabel = "JMH_ARG", description = "JMH options and filters.")
        List<String> jmhArgs = List.of();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(jmhArgs.toArray(new String[0]));
            return 0;
        }
    }
}
