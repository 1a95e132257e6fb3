package io.noos.streams.bench;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * The fleet workload of the benchmarks and the README's examples, made by a seeded generator: the
 * same seed, event count and user count give the same file, byte for byte, on any machine.
 *
 * <p>Its shape follows the fleet log the project was first measured on (2 000 users, 500 023
 * events): users start at random moments over the first {@code 0.32 s × users}; each has 5 or 6
 * turns (on average as many as the asked event count needs), in one session or, for about half of
 * them, two (the second from turn 4, 5 or 6). A turn is a {@code turn_start} (a task verb with topic
 * words), 5 to 100 streamed tokens in four turns out of five, for about a quarter of the turns a run
 * of tool calls each followed by its result (1 to 6 calls; some turns call one tool 5 or 6 times in
 * a row, a loop), the {@code turn_complete} (a response drifting from the task's words to generic
 * technical ones, as the logged agents' did), its {@code cost}, then in most turns a
 * {@code quality_feedback} and in some a {@code user_correction}. Users differ: most keep their
 * quality, some decline turn after turn, a few burn through the cost cap. Times between events
 * follow the log's ranges (tokens 10–60 ms apart, tools up to 2.5 s, feedback up to 20 s, the next
 * turn seconds to minutes later). Events carry no event id and no agent id, as in that log.
 */
public final class FleetWorkload {
    public static final long DEFAULT_SEED = 20_260_501L;
    public static final long DEFAULT_EVENTS = 500_000;
    public static final int DEFAULT_USERS = 2_000;
    /** Mean events a turn adds up to (tokens, tools, response, cost, feedback, corrections). */
    private static final double EVENTS_PER_TURN = 46.8;

    private static final String[] VERBS = {"Rewrite", "Simplify", "Fix", "Explain", "Test", "Debug", "Review",
            "Refactor", "Document", "Speed up", "Optimise", "Secure", "Extend", "Summarise"};
    private static final String[] FILLERS = {"so", "without", "the", "with", "and", "into", "using", "my", "keeping",
            "current", "this", "that", "while", "for", "it", "our"};
    private static final String[] QUALITIES = {"typed", "async", "cached", "versioned", "incremental", "idempotent",
            "timeout", "concurrent", "paginated", "streaming", "batched"};
    private static final String[] TOPICS = {"upload", "tenant", "retry", "parser", "backup", "notification", "schema",
            "shipping", "refund", "invoice", "search", "inventory", "migration", "session", "login", "pipeline",
            "index", "export", "profile", "cache", "queue", "webhook", "dashboard", "scheduler", "report", "billing",
            "payment", "audit", "quota"};
    private static final String[] TECH = {"lock", "function", "latency", "handler", "module", "config", "metrics",
            "struct", "callback", "future", "request", "limit", "transaction", "query", "logging", "benchmark", "field",
            "endpoint", "response", "backoff", "database", "interface", "header", "tracing", "window", "stream",
            "buffer", "trait", "channel", "batch", "result", "error", "token"};
    private static final String[] RESPONSE_FILLERS = {"test", "without", "with", "that", "into", "current", "this",
            "while", "keeping", "using", "retry", "timeout"};
    private static final String[] RESPONSE_GLUE = {"and", "the", "our", "it", "so", "my", "for"};
    private static final String[] TOKENS = {"s", " request", ".", " error", " await", " in", " value", " if", "(",
            " the", "\n", ")", ",", " we", " let", " return", "ed", " can", " to", " is", " a", " function", " data",
            " async", " of", "ing", " fn", " user", " and", ";"};
    private static final String[] TOOLS = {"read_file", "search_docs", "run_tests", "list_dir", "db.query", "grep",
            "exec_python", "http.get"};
    private static final String[] TOOL_ERRORS = {"not found", "timeout", "rate limited"};
    private static final String[] CORRECTIONS = {"Please leave logging out", "That's the wrong file",
            "Stop adding doc comments", "Shorter answer please", "Use the existing helper instead",
            "No, keep the public API unchanged", "Not async, keep it blocking", "You ignored the timeout requirement"};
    private static final String[] PROVIDERS = {"anthropic", "openai", "vllm", null};
    private static final String CODE_BLOCK = "\n\n```rust\nfn example() -> Result<(), Error> { Ok(()) }\n```";

    private FleetWorkload() {}

    /** What to generate. */
    public record Spec(long events, int users, long seed) {
        public Spec {
            if (events < 1 || users < 1) {
                throw new IllegalArgumentException("a workload needs at least one event and one user");
            }
        }

        public static Spec defaults() {
            return new Spec(DEFAULT_EVENTS, DEFAULT_USERS, DEFAULT_SEED);
        }
    }

    /**
     * The default workload as a file, written once into the temporary directory and reused (its name
     * holds the generator's version and parameters, so a stale one is never read).
     */
    public static Path defaultFile() throws IOException {
        Spec spec = Spec.defaults();
        Path file = Path.of(System.getProperty("java.io.tmpdir"), String.format(Locale.ROOT,
                "noos-fleet-workload-v1-%d-%d-%d.jsonl.gz", spec.events(), spec.users(), spec.seed()));
        if (!Files.isRegularFile(file)) {
            Path tmp = Files.createTempFile(file.getParent(), "noos-fleet-workload", ".tmp.jsonl.gz");
            try {
                write(spec, tmp);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return file;
    }

    /** Writes the workload as JSON Lines, gzipped when the name ends in {@code .gz}; returns the events written. */
    public static long write(Spec spec, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = new BufferedOutputStream(file.toString().endsWith(".gz")
                     ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16)) {
            long[] n = {0};
            try {
                generate(spec, e -> {
                    try {
                        out.write(EnvelopeJson.toBytes(e));
                        out.write('\n');
                        n[0]++;
                    } catch (IOException io) {
                        throw new UncheckedIOException(io);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return n[0];
        }
    }

    /** Hands the workload's events to {@code sink} in time order (users' events interleaved). */
    public static void generate(Spec spec, Consumer<EventEnvelope> sink) {
        double turnsPerUser = spec.events() * 1.035 / spec.users() / EVENTS_PER_TURN;
        int width = Math.max(4, Integer.toString(spec.users() - 1).length());
        PriorityQueue<UserTimeline> queue = new PriorityQueue<>((a, b) -> a.nextAt() != b.nextAt()
                ? Long.compare(a.nextAt(), b.nextAt()) : Integer.compare(a.index, b.index));
        SplittableRandom master = new SplittableRandom(spec.seed());
        for (int u = 0; u < spec.users(); u++) {
            UserTimeline user = new UserTimeline(u, String.format(Locale.ROOT, "user-%0" + width + "d", u),
                    master.split(), spec.users(), turnsPerUser);
            if (user.advance()) {
                queue.add(user);
            }
        }
        long written = 0;
        while (written < spec.events() && !queue.isEmpty()) {
            UserTimeline user = queue.poll();
            sink.accept(user.take());
            written++;
            if (user.advance()) {
                queue.add(user);
            }
        }
    }

    /** One user's events, made a turn at a time. */
    private static final class UserTimeline {
        final int index;
        final String id;
        final SplittableRandom rnd;
        final int turns;
        final int secondSessionFrom;
        final double qualityStart;
        final double qualityStep;
        final double qualityNoise;
        final double spendScale;
        final double loopiness;
        final ArrayDeque<EventEnvelope> pending = new ArrayDeque<>();
        long clock;
        int turn;
        double quality;

        UserTimeline(int index, String id, SplittableRandom rnd, int users, double turnsPerUser) {
            this.index = index;
            this.id = id;
            this.rnd = rnd;
            int whole = (int) turnsPerUser;
            this.turns = Math.max(1, whole + (rnd.nextDouble() < turnsPerUser - whole ? 1 : 0));
            double s = rnd.nextDouble();
            this.secondSessionFrom = rnd.nextDouble() < 0.66 ? (s < 0.31 ? 4 : s < 0.84 ? 5 : 6) : Integer.MAX_VALUE;
            double kind = rnd.nextDouble();
            if (kind < 0.08) {          // declining: starts middling, loses quality turn after turn
                qualityStart = 0.45 + 0.2 * rnd.nextDouble();
                qualityStep = -(0.05 + 0.12 * rnd.nextDouble());
                qualityNoise = 0.05;
            } else {                    // steady, at their own level
                qualityStart = 0.45 + 0.55 * Math.sqrt(rnd.nextDouble());
                qualityStep = 0;
                qualityNoise = 0.02 + 0.1 * rnd.nextDouble();
            }
            this.spendScale = rnd.nextDouble() < 0.04 ? 1600 + 1400 * rnd.nextDouble() : 250 + 300 * rnd.nextDouble();
            this.loopiness = rnd.nextDouble();
            this.quality = qualityStart;
            this.clock = (long) (rnd.nextDouble() * 320.0 * users) + 4_000;
        }

        long nextAt() {
            return pending.peekFirst().atMs();
        }

        EventEnvelope take() {
            return pending.pollFirst();
        }

        /** True while the user has an event to give. */
        boolean advance() {
            if (pending.isEmpty() && turn < turns) {
                nextTurn();
            }
            return !pending.isEmpty();
        }

        private void emit(AgentEvent event) {
            String session = id + "-s" + (turn >= secondSessionFrom ? 1 : 0);
            pending.addLast(new EventEnvelope(null, id, null, session, clock, new EnvelopeEvent.Single(event)));
        }

        private int between(int min, int max) {
            return min + rnd.nextInt(max - min + 1);
        }

        private <T> T pick(T[] values) {
            return values[rnd.nextInt(values.length)];
        }

        private void nextTurn() {
            turn++;
            if (turn > 1) {
                clock += rnd.nextDouble() < 0.08 ? between(60_000, 900_000) : between(2_000, 50_000);
            }
            String[] task = taskWords();
            emit(new AgentEvent.TurnStart(message(task)));
            boolean tokens = rnd.nextDouble() < 0.8;
            clock += between(200, 1_500);
            if (tokens) {
                int n = between(5, 100);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        clock += between(10, 60);
                    }
                    double lp = Math.min(0.0, -Math.abs(rnd.nextGaussian() * 1.9) + 0.1 * rnd.nextDouble());
                    emit(new AgentEvent.Token(pick(TOKENS), Math.round(lp * 1e4) / 1e4, i));
                }
            }
            if (rnd.nextDouble() < 0.225) {
                tools(task);
            }
            clock += between(20, 400);
            emit(new AgentEvent.TurnComplete(response(task)));
            clock += between(1, 20);
            long out = Math.max(60, Math.min(4_188, Math.round(spendScale * (0.4 + 1.2 * rnd.nextDouble()))));
            emit(new AgentEvent.Cost(between(40, 3_000), out, between(500, 20_000), pick(PROVIDERS)));
            quality = Math.max(0, Math.min(1, qualityStart + qualityStep * (turn - 1)));
            if (rnd.nextDouble() < 0.85) {
                clock += between(500, 20_000);
                double q = Math.max(0, Math.min(1, quality + rnd.nextGaussian() * qualityNoise));
                emit(new AgentEvent.QualityFeedback(Math.round(q * 1e3) / 1e3, null));
            }
            if (rnd.nextDouble() < 0.124) {
                clock += between(2_000, 30_000);
                emit(new AgentEvent.UserCorrection(pick(CORRECTIONS), rnd.nextDouble() < 0.89));
            }
        }

        private void tools(String[] task) {
            double r = rnd.nextDouble();
            int calls = r < 0.293 ? 1 : r < 0.572 ? 2 : r < 0.715 ? 3 : r < 0.858 ? 4 : 6;
            boolean loop = calls == 6 && rnd.nextDouble() < 0.2 + 0.4 * loopiness;
            String looped = pick(TOOLS);
            int loopLength = rnd.nextDouble() < 0.34 ? 5 : 6;
            String previous = null;
            for (int i = 0; i < calls; i++) {
                String tool = loop && i < loopLength ? looped
                        : previous != null && rnd.nextDouble() < 0.4 ? previous : pick(TOOLS);
                previous = tool;
                clock += between(50, 400);
                emit(new AgentEvent.ToolCall(tool, "{\"q\": \"" + pick(TOPICS) + "\", \"n\": " + between(1, 50) + "}"));
                clock += between(5, 2_500);
                boolean ok = rnd.nextDouble() < 0.855;
                emit(new AgentEvent.ToolResult(tool, ok, between(5, 2_500), ok ? null : pick(TOOL_ERRORS)));
            }
        }

        /** The task's verb, then its content words (qualities and topics). */
        private String[] taskWords() {
            int topics = 1 + (rnd.nextDouble() < 0.4 ? 1 : 0);
            int qualities = rnd.nextDouble() < 0.6 ? 1 : 0;
            String[] words = new String[1 + topics + qualities];
            words[0] = pick(VERBS);
            for (int i = 1; i <= topics; i++) {
                words[i] = pick(TOPICS);
            }
            for (int i = 1 + topics; i < words.length; i++) {
                words[i] = pick(QUALITIES);
            }
            return words;
        }

        private String message(String[] task) {
            StringBuilder b = new StringBuilder(task[0]);
            int fillers = between(1, 4);
            int contents = task.length - 1;
            int slots = fillers + contents + (rnd.nextDouble() < 0.3 ? 1 : 0);
            int content = 1;
            for (int i = 0; i < slots; i++) {
                b.append(' ');
                double r = rnd.nextDouble();
                if (content < task.length && (r < 0.45 || slots - i <= task.length - content)) {
                    b.append(task[content++]);
                } else if (r < 0.53) {
                    b.append(pick(TECH));
                } else if (r < 0.62) {
                    b.append("please");
                } else {
                    b.append(pick(FILLERS));
                }
            }
            double end = rnd.nextDouble();
            return b.append(end < 0.5 ? "." : end < 0.75 ? "?" : "").toString();
        }

        private String response(String[] task) {
            int words = between(20, 84);
            StringBuilder b = new StringBuilder(words * 8);
            for (int i = 0; i < words; i++) {
                double r = rnd.nextDouble();
                String w;
                if (r < 0.26) {
                    w = task[rnd.nextInt(task.length)].toLowerCase(Locale.ROOT).replace("speed up", "speed");
                } else if (r < 0.16) {
                    w = "please";
                } else if (r < 0.36) {
                    w = pick(RESPONSE_FILLERS);
                } else if (r < 0.42) {
                    w = pick(RESPONSE_GLUE);
                } else if (r < 0.45) {
                    w = pick(TOPICS);
                } else {
                    w = pick(TECH);
                }
                if (i == 0) {
                    w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                } else {
                    b.append(' ');
                }
                b.append(w);
                double p = rnd.nextDouble();
                if (i < words - 1 && p < 0.1) {
                    b.append(p < 0.04 ? "," : p < 0.06 ? ";" : p < 0.08 ? ":" : ".");
                }
            }
            b.append('.');
            if (rnd.nextDouble() < 0.15) {
                b.append(CODE_BLOCK);
                if (rnd.nextDouble() < 0.64) {
                    b.append(" Which version are you on?.");
                }
            }
            return b.toString();
        }
    }
}
