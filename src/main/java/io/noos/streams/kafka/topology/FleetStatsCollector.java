package io.noos.streams.kafka.topology;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.fleet.FleetKey;
import io.noos.streams.fleet.FleetStatsSettings;
import io.noos.streams.fleet.FleetStatsWindows;
import io.noos.streams.fleet.FleetWindowStats;
import io.noos.streams.fleet.TaskPartial;
import io.noos.streams.kafka.store.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Phase 1 of the fleet aggregates, inside the regulator's task: counts every event into this
 * task's partial of its 1-minute window, for the event's agent and for the fleet ({@code *}), and
 * every {@code noos.fleet.stats.emit.interval.ms} (wall clock) sends the partials that changed, keyed
 * {@code <agent>@<window>}, to be merged across tasks. A cost event with output tokens also moves
 * its user, in each scope, to the spend-histogram bucket of their new total in the window (the
 * totals are in the user-tokens store).
 *
 * <p>The partials live in a changelogged store written after every event, so they always match the
 * committed input offsets: after a crash a task resumes from them and re-sends whole partials
 * (cumulative, with the task id), which the merge replaces rather than adds. The store keeps them
 * as objects ({@link ObjectStore}) and encodes each changed one once per commit, so counting an
 * event costs a few increments on objects in memory; no encoding, no JSON.
 *
 * <p>Lateness is judged against the newest event time ({@code at_ms}) this task has seen: an event
 * whose window ended more than the grace before it adds only to {@code late_events} of the window
 * of that newest time. A window is closed (sent a last time, then dropped here) once it is that far
 * behind. Dead letters count in the fleet scope of the newest window (their own time is unknown).
 */
final class FleetStatsCollector {
    private final FleetStatsSettings settings;
    private final ProcessorContext<String, ProcessingOutcome> context;
    private final ObjectStore<String, TaskPartial> partials;
    private final ObjectStore<String, Long> userTokens;
    private final String taskId;
    /** This task's partials of the open windows (the store's contents, decoded), by key. */
    private final Map<String, FleetWindowStats> open = new HashMap<>();
    /** The partial each scope counted into last, to skip building its key while the window lasts. */
    private final Map<String, FleetWindowStats> current = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private long newestEventTime = Long.MIN_VALUE;
    private long purgedThroughWindow = Long.MIN_VALUE;

    FleetStatsCollector(FleetStatsSettings settings, ProcessorContext<String, ProcessingOutcome> context,
                        ObjectStore<String, TaskPartial> partials, ObjectStore<String, Long> userTokens) {
        this.settings = settings;
        this.context = context;
        this.partials = partials;
        this.userTokens = userTokens;
        this.taskId = context.taskId().toString();
        try (KeyValueIterator<String, TaskPartial> all = partials.all()) {
            while (all.hasNext()) {
                KeyValue<String, TaskPartial> e = all.next();
                FleetWindowStats stats = e.value.stats();
                open.put(e.key, stats);
                changed.add(e.key); // may not have been sent before a crash: send again (idempotent)
                newestEventTime = Math.max(newestEventTime, stats.windowStartMs());
            }
        }
        context.schedule(Duration.ofMillis(settings.emitIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    /** Counts one applied event (duplicates are not counted: they were not applied). */
    void count(EventEnvelope envelope, UserDecider.Outcome outcome) {
        if (outcome.duplicate()) {
            return;
        }
        long at = envelope.atMs();
        newestEventTime = Math.max(newestEventTime, at);
        String agent = envelope.agentId();
        if (FleetStatsWindows.isLate(at, newestEventTime, settings.graceMs())) {
            long now = FleetStatsWindows.startOf(newestEventTime);
            countLate(stats(FleetKey.FLEET, now));
            if (agent != null) {
                countLate(stats(agent, now));
            }
            return;
        }
        long window = FleetStatsWindows.startOf(at);
        add(stats(FleetKey.FLEET, window), FleetKey.FLEET, envelope, outcome);
        if (agent != null) {
            add(stats(agent, window), agent, envelope, outcome);
        }
    }

    /** Counts a record the processor dead-lettered, in the fleet scope only. */
    void countDeadLetter(long recordTimestamp) {
        long time = newestEventTime != Long.MIN_VALUE ? newestEventTime : Math.max(0, recordTimestamp);
        FleetWindowStats fleet = stats(FleetKey.FLEET, FleetStatsWindows.startOf(time));
        fleet.countDeadLetter();
        save(fleet);
    }

    private void countLate(FleetWindowStats stats) {
        stats.countLateEvent();
        save(stats);
    }

    private void add(FleetWindowStats stats, String scope, EventEnvelope envelope, UserDecider.Outcome outcome) {
        if (envelope.event() instanceof EnvelopeEvent.TokenBatch batch) {
            stats.countEvents(batch.size());
        } else {
            stats.countEvents(1);
            AgentEvent event = ((EnvelopeEvent.Single) envelope.event()).event();
            if (event instanceof AgentEvent.TurnStart) {
                stats.countTurn();
            } else if (event instanceof AgentEvent.Cost cost) {
                stats.countCost(cost.tokensIn(), cost.tokensOut());
                if (cost.tokensOut() > 0) {
                    long after = addUserTokens(stats.windowStartMs(), scope, envelope.userId(), cost.tokensOut());
                    stats.offerTopUser(envelope.userId(), after);
                    stats.countUserSpend(after - cost.tokensOut(), after);
                }
            } else if (event instanceof AgentEvent.ToolCall) {
                stats.countToolCall();
            } else if (event instanceof AgentEvent.ToolResult result && !result.success()) {
                stats.countToolFailure();
            }
        }
        stats.countImplicitCorrections(outcome.implicitCorrections());
        DecisionRecord decision = outcome.decision();
        if (decision != null) {
            stats.countDecision(decision.decision().kind());
            if (decision.decision() instanceof Decision.CircuitBreak cb) {
                stats.countBreak(new FleetWindowStats.Break(envelope.userId(), envelope.agentId(), cb.reason().kind(),
                        envelope.atMs()));
            }
        }
        save(stats);
    }

    private FleetWindowStats stats(String scope, long windowStart) {
        FleetWindowStats last = current.get(scope);
        if (last != null && last.windowStartMs() == windowStart) {
            return last;
        }
        String key = FleetKey.of(scope, windowStart);
        FleetWindowStats stats = open.get(key);
        if (stats == null) {
            stats = new FleetWindowStats(scope, windowStart);
            open.put(key, stats);
        }
        current.put(scope, stats);
        return stats;
    }

    private void save(FleetWindowStats stats) {
        partials.put(stats.key(), new TaskPartial(taskId, stats));
        changed.add(stats.key());
    }

    /** A user's output tokens in a window and scope (for the top users and the spend histogram), after adding {@code tokensOut}. */
    private long addUserTokens(long windowStart, String scope, String user, long tokensOut) {
        String key = userTokensKey(windowStart, scope, user);
        Long before = userTokens.get(key);
        long total = (before == null ? 0 : before) + tokensOut;
        userTokens.put(key, total);
        return total;
    }

    /** {@code <window, 13 digits>|<user length>|<user><scope>}: unambiguous, and sorted by window first. */
    static String userTokensKey(long windowStart, String scope, String user) {
        return FleetKey.of("", windowStart).substring(1) + '|' + user.length() + '|' + user + scope;
    }

    /** Sends the changed partials, then closes the windows too far behind the newest event time. */
    void emit(long wallClockMs) {
        if (!changed.isEmpty()) {
            List<String> keys = new ArrayList<>(changed);
            keys.sort(null);
            for (String key : keys) {
                FleetWindowStats stats = open.get(key);
                if (stats != null) {
                    context.forward(new Record<>(key,
                            new ProcessingOutcome.FleetPartial(new TaskPartial(taskId, stats)), wallClockMs));
                }
            }
            changed.clear();
        }
        if (newestEventTime == Long.MIN_VALUE) {
            return;
        }
        for (Iterator<Map.Entry<String, FleetWindowStats>> it = open.entrySet().iterator(); it.hasNext(); ) {
            FleetWindowStats stats = it.next().getValue();
            if (FleetStatsWindows.isLate(stats.windowStartMs(), newestEventTime, settings.graceMs())) {
                partials.delete(stats.key());
                current.remove(stats.agentId(), stats);
                it.remove();
            }
        }
        purgeUserTokens(FleetStatsWindows.startOf(newestEventTime - settings.graceMs() - FleetStatsWindows.WINDOW_MS));
    }

    /** Drops the per-user token totals of every window up to {@code lastClosedWindow}. */
    private void purgeUserTokens(long lastClosedWindow) {
        if (lastClosedWindow <= purgedThroughWindow) {
            return;
        }
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> old = userTokens.range(null,
                FleetKey.of("", lastClosedWindow + 1).substring(1))) {
            while (old.hasNext()) {
                keys.add(old.next().key);
            }
        }
        keys.forEach(userTokens::delete);
        purgedThroughWindow = lastClosedWindow;
    }
}
