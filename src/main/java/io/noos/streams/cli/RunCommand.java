package io.noos.streams.cli;

import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopologyFactory;
import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.clients.orchestrator.OrchestratorSettings;
import io.noos.streams.clients.sim.DecisionPrinter;
import io.noos.streams.clients.sim.FleetSimulator;
import io.noos.streams.kafka.topology.RegulatorTopology;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the streaming service, on a given cluster or on an in-process broker. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the regulator service. Without --bootstrap-servers it starts a single-node KRaft broker "
                + "in-process, creates the topics and runs the topology there. --simulate N adds N simulated agents "
                + "that act on their decisions through the orchestrator client; each intervention is printed once, and "
                + "at exit what acting saved (--compare) and how soon decisions were in the agents' hands.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ServiceOptions options;

    @Option(names = "--simulate", defaultValue = "0", description = "Simulated agents producing turns (default 0).")
    int simulate;

    @Option(names = "--turn-interval-ms", defaultValue = "1500", description = "Pause between a simulated agent's turns.")
    long turnIntervalMs;

    @Option(names = "--all-decisions", description = "Print every decision the simulated agents get, continue "
            + "included (by default each intervention once per user, turn and kind).")
    boolean allDecisions;

    @Option(names = "--compare", description = "Compare the simulated agents with themselves not acting on "
            + "decisions: at exit and on the dashboard, the tokens, tool calls and turns acting saved.")
    boolean compare;

    @Option(names = "--tasks", defaultValue = "0", description = "Tasks each simulated agent works through; the run "
            + "ends when all have (default 0: until Ctrl-C or --duration).")
    int tasks;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulated agents (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many seconds (0: until Ctrl-C).")
    long durationSeconds;

    @Option(names = "--http-port", description = "Port of the HTTP server: health, metrics, queries, dashboard "
            + "(default 8080, or noos.http.port; 0 picks a free one; -1 turns it off).")
    Integer httpPort;

    /** The topology run: the production one; tests give one that fails on purpose. */
    TopologyFactory topology = RegulatorTopology::build;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = options.load();
        if (httpPort != null) {
            config = config.with(ServiceConfig.HTTP_PORT, httpPort.toString());
        }
        EmbeddedKafkaBroker broker = null;
        if (!config.hasBootstrapServers()) {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withPort(0));
            config = config.with(ServiceConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            if (options.stateDir == null) {
                config = config.with(ServiceConfig.STATE_DIR, Files.createTempDirectory("noos-state").toString());
            }
            System.out.println("in-process Kafka broker at " + broker.bootstrapServers());
            if (config.get(ServiceConfig.HTTP_HOST) == null) {
                // A local trial: like the broker, the HTTP server listens on loopback only.
                config = config.with(ServiceConfig.HTTP_HOST, "127.0.0.1");
            }
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // On SIGTERM/Ctrl-C: ask the main thread to stop, then keep the JVM alive until Streams has
        // closed cleanly (checkpoints written), so a restart need not restore from the changelog.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(40, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "noos-shutdown"));
        try (RegulatorService service = new RegulatorService(config, topology).start()) {
            // A service that stops by itself (stream threads failing again and again) ends the run.
            service.failure().thenRun(stop::countDown);
            if (!awaitRunningOrStop(service, stop)) {
                if (service.failure().isDone()) {
                    return stoppedByFailure(service);
                }
                if (stop.getCount() == 0) {
                    return 0;
                }
                System.err.println("the service did not reach RUNNING within 60 s");
                return 1;
            }
            System.out.println("regulator service running: " + config.get(ServiceConfig.INPUT_TOPIC) + " -> "
                    + config.get(ServiceConfig.DECISIONS_TOPIC) + " (dead letters: " + config.get(ServiceConfig.DLQ_TOPIC) + ")");
            boolean tokenSet = config.get(ServiceConfig.HTTP_TOKEN) != null && !config.get(ServiceConfig.HTTP_TOKEN).isBlank();
            service.http().ifPresent(http -> System.out.println("dashboard: " + http.localUrl()
                    + (tokenSet ? "#token=<" + ServiceConfig.HTTP_TOKEN + ">" : "")
                    + "  (also /health /ready /metrics /users/{id} /users/{id}/decision /fleet/stats)"));
            FleetSimulator simulator = null;
            if (simulate > 0) {
                OrchestratorSettings client = OrchestratorSettings.of(config.kafkaProperties())
                        .withTopics(config.get(ServiceConfig.INPUT_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC))
                        .withFormats(WireFormat.parse(config.get(ServiceConfig.INPUT_FORMAT)),
                                WireFormat.parse(config.get(ServiceConfig.DECISIONS_FORMAT)));
                simulator = FleetSimulator.start(new FleetSimulator.Options(simulate, seed, turnIntervalMs, tasks, compare),
                        client, new DecisionPrinter(System.out, allDecisions));
                FleetSimulator fleet = simulator;
                service.http().ifPresent(http -> http.showSimulation(() -> fleet.report().json()));
                if (tasks > 0) {
                    Thread waiter = new Thread(() -> {
                        try {
                            fleet.awaitFinished(Duration.ofDays(365));
                            stop.countDown();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "fleet-simulator-end");
                    waiter.setDaemon(true);
                    waiter.start();
                }
                System.out.println("simulating " + simulate + " agents acting on their decisions"
                        + (tasks > 0 ? ", " + tasks + " task" + (tasks == 1 ? "" : "s") + " each" : "")
                        + (compare ? ", compared with the same agents not acting" : "") + "; printing "
                        + (allDecisions ? "every decision" : "each intervention once per user, turn and kind")
                        + "; Ctrl-C stops");
            }
            if (durationSeconds > 0) {
                stop.await(durationSeconds, java.util.concurrent.TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            if (simulator != null) {
                simulator.close();
                System.out.print(simulator.report().text());
            }
            if (service.failure().isDone()) {
                return stoppedByFailure(service);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            closed.countDown();
        }
        return 0;
    }

    /** Status 1 and one line: why the service stopped (a supervisor restarts it and alerts). */
    private static int stoppedByFailure(RegulatorService service) {
        System.err.println("error: the service stopped: " + service.failure().join());
        return 1;
    }

    /** True once RUNNING; false on a stop request or after 60 s. */
    private static boolean awaitRunningOrStop(RegulatorService service, CountDownLatch stop) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (service.awaitRunning(Duration.ofMillis(200))) {
                return true;
            }
            if (stop.getCount() == 0) {
                return false;
            }
        }
        return false;
    }
}
