package io.noos.streams.crash;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.logfile.RawLineReader;
import io.noos.streams.kafka.topology.ServiceTopic;
import io.noos.streams.testkit.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The crash test, modelled on Kafka's own exactly-once system test ({@code streams_eos_test.py}):
 * a broker and two service instances, each a separate JVM running the product jar ({@code broker},
 * {@code run}); a deterministic driver producing the {@link CrashWorkload} log at a steady rate; one
 * instance killed with SIGKILL several times while it processes, and restarted (every second
 * restart with its local state directory deleted, so it must rebuild its users from the changelog);
 * then a verifier reading the decisions topic {@code read_committed} and comparing it, event id by
 * event id, with the offline replay of the same log.
 *
 * <p>A kill only counts if it hits an instance at work: before each SIGKILL the driver waits (still
 * producing) until the group is stable with the victim owning input partitions, the victim has
 * restored its stores, and {@link #WORK_BEFORE_KILL} has passed, so the victim dies with a
 * transaction open. Everything lands in the work directory: the log, the expected decisions, every
 * child's stdout and stderr, the broker's data, the instances' state, and {@code report.txt}.
 */
final class CrashRestartRun {
    static final String RUNNING_LINE = "regulator service running";
    static final String BROKER_READY = "broker ready bootstrap.servers=";
    private static final String APPLICATION_ID = "noos-crash-test";
    private static final String VICTIM = "instance-a";
    private static final String SURVIVOR = "instance-b";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(45);
    /** Two commit intervals of processing between taking over partitions and the kill. */
    private static final Duration WORK_BEFORE_KILL = Duration.ofSeconds(2);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    /** Kafka Streams' log line for a finished restore, enabled in the children's logback config. */
    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog \\S*regulator-state-changelog\\S* to store regulator-state "
                    + "with a total number of (\\d+) records");

    /**
     * How big a run is.
     *
     * @param events          envelopes in the log
     * @param users           users (keys) in the log
     * @param kills           SIGKILLs of the victim instance
     * @param seed            the workload's seed
     * @param eventsPerSecond the driver's production rate
     * @param verifyTimeout   how long the verifier waits for the last decision
     */
    record Settings(long events, int users, int kills, long seed, int eventsPerSecond, Duration verifyTimeout) {
        /** The variant CI runs: 60 000 events, 1 000 users, 3 kills. */
        static Settings ci() {
            return new Settings(60_000, 1_000, 3, 20_260_101L, 1_000, Duration.ofSeconds(240));
        }

        /** The long variant: 600 000 events, 10 000 users, 10 kills. */
        static Settings longRun() {
            return new Settings(600_000, 10_000, 10, 20_260_101L, 3_000, Duration.ofSeconds(900));
        }

        /**
         * {@link #ci()}, or {@link #longRun()} with {@code -Dnoos.crash.long=true}; then each of
         * {@code noos.crash.events}, {@code .users}, {@code .kills}, {@code .seed}, {@code .rate}
         * overrides one figure.
         */
        static Settings fromSystemProperties() {
            Settings s = Boolean.getBoolean("noos.crash.long") ? longRun() : ci();
            return new Settings(Long.getLong("noos.crash.events", s.events),
                    Integer.getInteger("noos.crash.users", s.users),
                    Integer.getInteger("noos.crash.kills", s.kills),
                    Long.getLong("noos.crash.seed", s.seed),
                    Integer.getInteger("noos.crash.rate", s.eventsPerSecond),
                    s.verifyTimeout);
        }

        /** When the i-th kill (0-based) is due: spread from 20 % to 70 % of the events produced. */
        long killAfter(int i) {
            double fraction = kills == 1 ? 0.45 : 0.20 + 0.50 * i / (kills - 1);
            return Math.round(events * fraction);
        }

        /**
         * By when the i-th kill must have happened: production pauses there until it has, so every
         * kill falls inside the run (before the next one is due, the last before 90 %).
         */
        long killBy(int i) {
            return i + 1 < kills ? Math.max(killAfter(i + 1), killAfter(i) + 1) : Math.round(events * 0.9);
        }

        /** Every second restart starts from an empty state directory. */
        boolean wipeStateOnRestart(int i) {
            return i % 2 == 1;
        }
    }

    /** One SIGKILL and what followed it. */
    record Kill(int index, long afterEvents, long pid, int ownedPartitions, int exitStatus, boolean stateWiped,
                long restoredRecords) {}

    /** What a run did and what the verifier found. */
    record Report(Settings settings, CrashWorkload.Counts log, int nonTokenEvents, List<Kill> kills,
                  DecisionVerifier.Result decisions, Duration produceTime, Duration total) {
        List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format("crash-test events=%d users=%d token_envelopes=%d redeliveries=%d "
                            + "non_token_events=%d rate=%d/s produced_in=%ds total=%ds",
                    log.envelopes(), log.users(), log.tokenEnvelopes(), log.redeliveries(), nonTokenEvents,
                    settings.eventsPerSecond(), produceTime.toSeconds(), total.toSeconds()));
            for (Kill k : kills) {
                out.add(String.format("crash-test kill %d after %d events: pid %d owning %d input partitions, "
                                + "exit %d; restarted %s, restored %d changelog records",
                        k.index() + 1, k.afterEvents(), k.pid(), k.ownedPartitions(), k.exitStatus(),
                        k.stateWiped() ? "with its state dir wiped" : "on its state dir", k.restoredRecords()));
            }
            out.add(String.format("crash-test events=%d kills=%d decisions expected=%d seen=%d duplicated=%d "
                            + "missing=%d different=%d unexpected=%d (records read %d)",
                    log.envelopes(), kills.size(), decisions.expected(), decisions.seen(), decisions.duplicated(),
                    decisions.missing(), decisions.different(), decisions.unexpected(), decisions.records()));
            decisions.examples().forEach(e -> out.add("crash-test   " + e));
            out.add(decisions.exact() ? "crash-test ALL-DECISIONS-EXACTLY-ONCE" : "crash-test FAILED");
            return out;
        }
    }

    private final Settings settings;
    private final Path jar;
    private final Path workDir;
    private final Path logs;
    private final List<ChildJvm> children = new ArrayList<>();

    CrashRestartRun(Settings settings, Path jar, Path workDir) {
        this.settings = settings;
        this.jar = jar;
        this.workDir = workDir;
        this.logs = workDir.resolve("logs");
    }

    Report run() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("events.jsonl");
        CrashWorkload.Counts counts = CrashWorkload.write(log, settings.seed(), settings.users(), settings.events());
        Set<String> nonToken = DecisionVerifier.nonTokenEventIds(log);
        // The instances run with the default service settings, so the replay uses them too.
        TopologySettings topology = ServiceConfig.load(null, Map.of(), Map.of()).topologySettings();
        DecisionVerifier verifier = DecisionVerifier.forLog(log, topology, workDir.resolve("expected-decisions.jsonl"));
        if (!verifier.expectedIds().equals(nonToken)) {
            throw new IllegalStateException("the offline replay did not decide every non-token event of the log once");
        }
        Path logback = copyResource("crash/logback-child.xml", workDir.resolve("logback-child.xml"));
        Path instanceConfig = writeInstanceConfig(workDir.resolve("instance.properties"));

        try {
            ChildJvm broker = start("broker", List.of("-Xmx768m"), List.of("broker", "--port", "0",
                    "--dir", workDir.resolve("broker-data").toString(),
                    "--broker-property", "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000"), Map.of());
            String ready = broker.awaitStdoutLine(l -> l.startsWith(BROKER_READY), "broker ready", START_TIMEOUT);
            String bootstrap = ready.substring(BROKER_READY.length()).trim();

            Instances instances = new Instances(bootstrap, instanceConfig, logback);
            ChildJvm victim = instances.start(VICTIM, 0);
            victim.awaitStdoutLine(l -> l.startsWith(RUNNING_LINE), "RUNNING", START_TIMEOUT);   // topics exist now
            instances.start(SURVIVOR, 0).awaitStdoutLine(l -> l.startsWith(RUNNING_LINE), "RUNNING", START_TIMEOUT);

            List<Kill> kills = new ArrayList<>();
            List<ChildJvm> restarted = new ArrayList<>();
            long produceStart = System.nanoTime();
            try (GroupWatch group = new GroupWatch(bootstrap, APPLICATION_ID, ServiceTopic.AGENT_EVENTS.defaultName());
                 PacedDriver driver = new PacedDriver(bootstrap, ServiceTopic.AGENT_EVENTS.defaultName(), settings.eventsPerSecond());
                 RawLineReader in = RawLineReader.open(log)) {
                KillSchedule schedule = new KillSchedule(group);
                for (byte[] line; (line = in.next()) != null; ) {
                    while (schedule.next < settings.kills() && driver.sent() >= settings.killAfter(schedule.next)) {
                        boolean mustKill = driver.sent() >= settings.killBy(schedule.next);
                        if (!schedule.victimReady(victim, mustKill)) {
                            break;   // keep producing while the victim settles in
                        }
                        int i = schedule.next;
                        progress(produceStart, victim.name() + " owns " + schedule.owned + " input partitions since "
                                + String.format("%.1fs", (schedule.workingSince - produceStart) / 1e9));
                        long pid = victim.pid();
                        int exit = victim.kill();
                        boolean wipe = settings.wipeStateOnRestart(i);
                        if (wipe) {
                            deleteRecursively(instances.stateDir(VICTIM));
                        }
                        kills.add(new Kill(i, driver.sent(), pid, schedule.owned, exit, wipe, -1));
                        progress(produceStart, "kill " + (i + 1) + " after " + driver.sent() + " events: SIGKILL "
                                + victim.name() + " (pid " + pid + ", owning " + schedule.owned
                                + " input partitions), exit " + exit + (wipe ? "; state dir wiped" : ""));
                        victim = instances.start(VICTIM, i + 1);
                        restarted.add(victim);
                        schedule.killed();
                        driver.resetPace();
                    }
                    driver.send(line);
                    if (driver.sent() % Math.max(1, settings.events() / 10) == 0) {
                        progress(produceStart, "produced " + driver.sent() + " events");
                    }
                }
                driver.finish();
                if (schedule.next < settings.kills()) {
                    throw new IllegalStateException("only " + schedule.next + " of " + settings.kills() + " kills happened");
                }
                // The last restarted instance takes part too before the decisions are checked.
                schedule.victimReady(victim, true);
            }
            Duration produceTime = Duration.ofNanos(System.nanoTime() - produceStart);

            Properties client = new Properties();
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            DecisionVerifier.Result result = verifier.verify(client, ServiceTopic.DECISIONS.defaultName(),
                    settings.verifyTimeout());

            List<Kill> withRestores = new ArrayList<>();
            for (int i = 0; i < kills.size(); i++) {
                Kill k = kills.get(i);
                withRestores.add(new Kill(k.index(), k.afterEvents(), k.pid(), k.ownedPartitions(), k.exitStatus(),
                        k.stateWiped(), restoredRecords(restarted.get(i))));
            }
            Report report = new Report(settings, counts, nonToken.size(), withRestores, result, produceTime,
                    Duration.ofNanos(System.nanoTime() - start));
            Files.write(workDir.resolve("report.txt"), report.lines(), StandardCharsets.UTF_8);
            return report;
        } finally {
            stopAll();
        }
    }

    private static void progress(long since, String what) {
        System.out.printf("crash-test %6.1fs %s%n", (System.nanoTime() - since) / 1e9, what);
    }

    /** Deletes the broker's data and the instances' state (the logs and the report stay). */
    void deleteData() throws IOException {
        deleteRecursively(workDir.resolve("broker-data"));
        deleteRecursively(workDir.resolve("state"));
    }

    /** Tracks the next kill: when the victim is ready to die (owns partitions, has restored, has worked). */
    private static final class KillSchedule {
        private final GroupWatch group;
        int next;
        int owned;
        long workingSince = -1;
        private long lastCheck;

        KillSchedule(GroupWatch group) {
            this.group = group;
        }

        /**
         * Whether the victim may be killed now. Checks at most every {@link #CHECK_INTERVAL} unless
         * {@code block}, in which case it waits until the victim is ready (or fails after the start
         * timeout).
         */
        boolean victimReady(ChildJvm victim, boolean block) throws Exception {
            if (!block) {
                return victimWorkedLongEnough(victim);
            }
            Poll.until(victim.name() + " takes over input partitions", START_TIMEOUT, () -> {
                if (!victim.isAlive()) {
                    throw new IllegalStateException(victim.name() + " exited before it took over input partitions; see "
                            + victim.stderrFile());
                }
                return victimWorkedLongEnough(victim);
            }, () -> "see " + victim.stderrFile());
            return true;
        }

        private boolean victimWorkedLongEnough(ChildJvm victim) throws Exception {
            long now = System.nanoTime();
            if (workingSince < 0 && now - lastCheck >= CHECK_INTERVAL.toNanos()) {
                lastCheck = now;
                int partitions = group.ownedInputPartitions(victim.name());
                if (partitions > 0 && restoredLines(victim) > 0) {
                    owned = partitions;
                    workingSince = now;
                }
            }
            return workingSince >= 0 && now - workingSince >= WORK_BEFORE_KILL.toNanos();
        }

        void killed() {
            next++;
            workingSince = -1;
            owned = 0;
        }
    }

    /** Starts service instances; each instance name has its own state directory and client id. */
    private final class Instances {
        private final List<String> jvmArgs;
        private final String bootstrap;
        private final Path config;

        Instances(String bootstrap, Path config, Path logback) {
            this.jvmArgs = List.of("-Xmx512m", "-Dlogback.configurationFile=" + logback.toAbsolutePath());
            this.bootstrap = bootstrap;
            this.config = config;
        }

        Path stateDir(String instance) {
            return workDir.resolve("state").resolve(instance);
        }

        /** {@code run} on the cluster; the Kafka client id (set through the environment) names the process. */
        ChildJvm start(String instance, int generation) throws IOException {
            String name = instance + "-" + generation;
            return CrashRestartRun.this.start(name, jvmArgs, List.of("run",
                    "--bootstrap-servers", bootstrap, "--application-id", APPLICATION_ID,
                    "--state-dir", stateDir(instance).toString(), "--config-file", config.toString(),
                    "--http-port", "0"),
                    Map.of("KAFKA_CLIENT_ID", name));
        }
    }

    private ChildJvm start(String name, List<String> jvmArgs, List<String> args, Map<String, String> env)
            throws IOException {
        ChildJvm child = ChildJvm.start(name, jar, jvmArgs, args, env, logs);
        children.add(child);
        return child;
    }

    /**
     * Kafka settings of both instances. A short session lets the group drop a killed member quickly;
     * a 1 s commit interval leaves up to a second of uncommitted work in flight at each kill (Kafka's
     * own test uses 5 s); and any instance counts as caught up, so a restarted one gets active tasks
     * (and restores them) at once instead of warming up standbys until a probing rebalance.
     */
    private static Path writeInstanceConfig(Path file) throws IOException {
        Files.write(file, List.of(
                "processing.guarantee=exactly_once_v2",
                "commit.interval.ms=1000",
                "session.timeout.ms=6000",
                "heartbeat.interval.ms=1000",
                "acceptable.recovery.lag=" + Long.MAX_VALUE,
                "num.stream.threads=1"), StandardCharsets.UTF_8);
        return file;
    }

    private static long restoredLines(ChildJvm instance) throws IOException {
        return instance.stderrLines().stream().filter(l -> RESTORED.matcher(l).find()).count();
    }

    private static long restoredRecords(ChildJvm instance) throws IOException {
        long total = 0;
        for (String line : instance.stderrLines()) {
            Matcher m = RESTORED.matcher(line);
            if (m.find()) {
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    private void stopAll() {
        // Instances first (clean close, leaving the group), the broker last.
        for (int i = children.size() - 1; i >= 0; i--) {
            ChildJvm child = children.get(i);
            try {
                if (child.isAlive()) {
                    child.stop(STOP_GRACE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                child.close();
            }
        }
    }

    private static Path copyResource(String resource, Path target) throws IOException {
        try (InputStream in = CrashRestartRun.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
