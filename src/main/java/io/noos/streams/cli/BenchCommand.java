package io.noos.streams.cli;

import io.noos.streams.bench.CoreWorkloadBench;
import io.noos.streams.bench.FleetWorkload;
import io.noos.streams.bench.PipelineBench;
import io.noos.streams.bench.TurnBench;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench core|turn|pipeline|jmh}: the project's speed figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints its figures and a last line of key=value results.",
        subcommands = {BenchCommand.Core.class, BenchCommand.Turn.class, BenchCommand.Pipeline.class,
                BenchCommand.Jmh.class})
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
        @Option(names = "--workload", description = "Workload file (default: the fleet workload that `workload` writes "
                + "with its defaults, generated once into the temporary directory).")
        Path workload;

        @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up runs (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Override
        public Integer call() throws Exception {
            Path file = workload != null ? workload : FleetWorkload.defaultFile();
            try {
                CoreWorkloadBench.run(file, warmup, runs, System.out);
            } catch (io.noos.streams.core.InvalidEventException e) {
                throw new CommandFailedException("workload " + file + ": " + e.getMessage());
            }
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

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"The whole pipeline on a real broker, against the minimal Kafka Streams pipeline: starts an "
                    + "in-process KRaft broker, then runs the minimal pipeline (one processor getting and putting a "
                    + "700-byte value per user in one cached, changelogged RocksDB store and emitting a 600-byte record "
                    + "per non-token event) and the service's real topology one after the other, each on its own "
                    + "topics with the same settings, driver and read_committed consumer. For each: sustained "
                    + "events/s (measured input events from the first measured send to the last decision read) and "
                    + "end-to-end decision latency p50/p95/p99/max (send to a read_committed consumer seeing the "
                    + "decision); then the regulator's figures over the minimal pipeline's. Beside the consumer's figure, the "
                    + "decisions' latency in the hands of probe agents that send through the orchestrator client "
                    + "(send to the decision in hand, p50/p95/p99; regulator only, --client-agents).",
                    "Each run first sends --warmup events as fast as possible and waits for all their decisions "
                    + "(the JIT warms up); the figures cover only the --events measured events after them. Without "
                    + "--rate the measured events are sent as fast as possible (throughput; latencies then include "
                    + "queueing); with --rate they are paced (latency). The workload is repeated with renamed users "
                    + "when it holds fewer events.",
                    "Last line: events_per_s=<n> p99_ms=<x> baseline_events_per_s=<n> baseline_p99_ms=<x> ratio=<x>, "
                    + "where ratio is the regulator's events/s over the minimal pipeline's, or with --rate its p99 "
                    + "over the minimal pipeline's; with --baseline or --regulator alone: events_per_s=<n> p99_ms=<x> "
                    + "p50_ms=<x> p95_ms=<x> turns_per_s=<n>."})
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--workload", description = "Workload file (default: the fleet workload that `workload` writes "
                + "with its defaults, generated once into the temporary directory).")
        Path workload;

        @CommandLine.ArgGroup(exclusive = true)
        Guarantee guarantee = new Guarantee();

        static final class Guarantee {
            @Option(names = "--eos", description = "exactly_once_v2 (the default).")
            boolean eos;

            @Option(names = "--alos", description = "at_least_once.")
            boolean alos;
        }

        @CommandLine.ArgGroup(exclusive = true)
        Which which = new Which();

        static final class Which {
            @Option(names = "--baseline", description = "Only the minimal pipeline.")
            boolean baseline;

            @Option(names = "--regulator", description = "Only the service.")
            boolean regulator;
        }

        @Option(names = "--events", defaultValue = "0",
                description = "Input events to measure (default: as many as the workload holds).")
        long events;

        @Option(names = "--warmup", defaultValue = "100000",
                description = "Input events sent and decided before the measured ones (default: ${DEFAULT-VALUE}).")
        long warmup;

        @Option(names = "--rate", defaultValue = "0",
                description = "Input records per second to offer during the measurement (default: as fast as possible).")
        double rate;

        @Option(names = "--token-batch", description = "Send each run of a user's consecutive tokens in a turn as one "
                + "token_batch record (decisions are the same); reports turns/s.")
        boolean tokenBatch;

        @Option(names = "--partitions", defaultValue = "6", description = "Input topic partitions (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--client-agents", defaultValue = "8", description = "Probe agents beside the workload that send "
                + "through the orchestrator client and await each decision, for the latency in the agent's hands "
                + "(default: ${DEFAULT-VALUE}; 0: none).")
        int clientAgents;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "A further setting for both pipelines, e.g. --set commit.interval.ms=50 (repeatable).")
        java.util.Map<String, String> settings = new java.util.HashMap<>();

        @Override
        public Integer call() throws Exception {
            List<PipelineBench.Pipeline> pipelines = which.baseline ? List.of(PipelineBench.Pipeline.BASELINE)
                    : which.regulator ? List.of(PipelineBench.Pipeline.REGULATOR)
                    : List.of(PipelineBench.Pipeline.BASELINE, PipelineBench.Pipeline.REGULATOR);
            Path file = workload != null ? workload : FleetWorkload.defaultFile();
            List<PipelineBench.Result> results = PipelineBench.run(new PipelineBench.Options(file, !guarantee.alos,
                    events, warmup, rate, partitions, tokenBatch, settings, clientAgents), pipelines, System.out);
            boolean complete = true;
            for (PipelineBench.Result r : results) {
                String p = r.pipeline().label();
                System.out.printf(Locale.ROOT, "%s: %,d events, %,d turns in %.2f s: %,.0f events/s, %,.0f turns/s sustained%n",
                        p, r.events(), r.turns(), r.seconds(), r.eventsPerSecond(), r.turnsPerSecond());
                System.out.printf(Locale.ROOT, "%s: decisions %,d of %,d expected%n", p, r.decisionsSeen(),
                        r.decisionsExpected());
                System.out.printf(Locale.ROOT, "%s: latency send -> read_committed decision, measured events only: "
                        + "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n", p, r.p50Ms(), r.p95Ms(), r.p99Ms(), r.maxMs());
                if (r.client() != null) {
                    System.out.printf(Locale.ROOT, "%s: latency send -> decision in the agent's hands (orchestrator "
                            + "client, %d probe agents): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d decisions, %d timed "
                            + "out)%n", p, r.client().agents(), r.client().p50Ms(), r.client().p95Ms(), r.client().p99Ms(),
                            r.client().decisions(), r.client().timeouts());
                }
                if (r.users() > 0) {
                    System.out.printf(Locale.ROOT, "%s: state %,d users, %d bytes median, %.0f bytes mean per user%n",
                            p, r.users(), r.stateBytesMedian(), r.stateBytesMean());
                }
                complete &= r.decisionsSeen() == r.decisionsExpected();
            }
            System.out.printf("peak resident memory of the process: %d MB%n", PipelineBench.peakRssBytes() >> 20);
            if (results.size() == 2) {
                PipelineBench.Result base = results.get(0);
                PipelineBench.Result reg = results.get(1);
                double throughputRatio = reg.eventsPerSecond() / base.eventsPerSecond();
                System.out.printf(Locale.ROOT, "regulator / minimal pipeline: throughput %.2f, p50 %.2f, p95 %.2f, "
                                + "p99 %.2f%n", throughputRatio, reg.p50Ms() / base.p50Ms(), reg.p95Ms() / base.p95Ms(),
                        reg.p99Ms() / base.p99Ms());
                System.out.printf(Locale.ROOT, "events_per_s=%.0f p99_ms=%.1f baseline_events_per_s=%.0f "
                                + "baseline_p99_ms=%.1f ratio=%.2f%n", reg.eventsPerSecond(), reg.p99Ms(),
                        base.eventsPerSecond(), base.p99Ms(), rate > 0 ? reg.p99Ms() / base.p99Ms() : throughputRatio);
            } else {
                PipelineBench.Result r = results.get(0);
                System.out.printf(Locale.ROOT, "events_per_s=%.0f p99_ms=%.1f p50_ms=%.1f p95_ms=%.1f turns_per_s=%.0f%n",
                        r.eventsPerSecond(), r.p99Ms(), r.p50Ms(), r.p95Ms(), r.turnsPerSecond());
            }
            return complete ? 0 : 1;
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
