package io.noos.streams.cli;

import io.noos.streams.bench.CoreWorkloadBench;
import io.noos.streams.bench.TurnBench;
import java.nio.file.Path;
import java.util.List;
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

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"The whole pipeline on a real broker: starts an in-process KRaft broker and the service's "
                    + "real topology, drives the workload into the input topic and reads the decisions back "
                    + "read_committed. Prints sustained events/s (input events from the first send to the last "
                    + "decision), end-to-end decision latency p50/p95/p99 (send to a read_committed consumer "
                    + "seeing the decision), state bytes per user (serialized, median and mean) and the process's "
                    + "peak resident memory, and the decisions' latency in the hands of probe agents that send "
                    + "through the orchestrator client (send to the decision in hand, p50/p99).",
                    "Without --rate the producer sends as fast as it can (throughput; latencies then include "
                    + "queueing). With --rate it paces itself (latency). The workload is repeated with renamed "
                    + "users when --events exceeds it.",
                    "Last line: events_per_s=<n> p99_ms=<x> p50_ms=<x> p95_ms=<x> state_bytes_median=<n> "
                    + "peak_rss_mb=<n> client_p50_ms=<x> client_p99_ms=<x> (the last two without "
                    + "--client-agents 0)."})
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--workload", defaultValue = "../shared/bench/fleet-workload.jsonl.gz",
                description = "Workload file (default: ${DEFAULT-VALUE}).")
        Path workload;

        @CommandLine.ArgGroup(exclusive = true)
        Guarantee guarantee = new Guarantee();

        static final class Guarantee {
            @Option(names = "--eos", description = "exactly_once_v2 (the default).")
            boolean eos;

            @Option(names = "--alos", description = "at_least_once.")
            boolean alos;
        }

        @Option(names = "--events", defaultValue = "0",
                description = "Input events to send (default: the whole workload once).")
        long events;

        @Option(names = "--rate", defaultValue = "0",
                description = "Events per second to offer (default: as fast as possible).")
        double rate;

        @Option(names = "--partitions", defaultValue = "6", description = "Input topic partitions (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--client-agents", defaultValue = "8", description = "Probe agents beside the workload that send "
                + "through the orchestrator client and await each decision, for the latency in the agent's hands "
                + "(default: ${DEFAULT-VALUE}; 0: none).")
        int clientAgents;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "A further service or Kafka setting, e.g. --set commit.interval.ms=50 (repeatable).")
        java.util.Map<String, String> settings = new java.util.HashMap<>();

        @Override
        public Integer call() throws Exception {
            io.noos.streams.bench.PipelineBench.Result r = io.noos.streams.bench.PipelineBench.run(
                    new io.noos.streams.bench.PipelineBench.Options(workload, !guarantee.alos, events, rate,
                            partitions, settings, clientAgents), System.out);
            System.out.printf("events %,d in %.2f s: %,.0f events/s sustained%n", r.events(), r.seconds(),
                    r.eventsPerSecond());
            System.out.printf("decisions: %,d of %,d expected%n", r.decisionsSeen(), r.decisionsExpected());
            System.out.printf("latency send -> read_committed decision: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms%n", r.p50Ms(), r.p95Ms(), r.p99Ms(), r.maxMs());
            if (r.client() != null) {
                System.out.printf("latency send -> decision in the agent's hands (orchestrator client, %d probe agents): "
                        + "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d decisions, %d timed out)%n", r.client().agents(),
                        r.client().p50Ms(), r.client().p95Ms(), r.client().p99Ms(), r.client().decisions(),
                        r.client().timeouts());
            }
            System.out.printf("state: %,d users, %d bytes median, %.0f bytes mean per user%n", r.users(),
                    r.stateBytesMedian(), r.stateBytesMean());
            System.out.printf("peak resident memory: %d MB%n", r.peakRssBytes() >> 20);
            System.out.printf(java.util.Locale.ROOT,
                    "events_per_s=%.0f p99_ms=%.1f p50_ms=%.1f p95_ms=%.1f state_bytes_median=%d peak_rss_mb=%d%s%n",
                    r.eventsPerSecond(), r.p99Ms(), r.p50Ms(), r.p95Ms(), r.stateBytesMedian(), r.peakRssBytes() >> 20,
                    r.client() == null ? "" : String.format(java.util.Locale.ROOT, " client_p50_ms=%.1f client_p99_ms=%.1f",
                            r.client().p50Ms(), r.client().p99Ms()));
            return r.decisionsSeen() == r.decisionsExpected() ? 0 : 1;
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
