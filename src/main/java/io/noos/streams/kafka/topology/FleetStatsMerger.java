package io.noos.streams.kafka.topology;

import io.noos.streams.fleet.FleetKey;
import io.noos.streams.fleet.FleetStatsSettings;
import io.noos.streams.fleet.FleetWindowStats;
import io.noos.streams.fleet.TaskPartial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Phase 2 of the fleet aggregates, after the partials are repartitioned by {@code <agent>@<window>}:
 * keeps every task's latest partial of a key, and on each arrival writes their sum as JSON to the
 * queryable fleet-stats store and downstream to the fleet-stats topic. A partial re-sent by a task
 * replaces that task's earlier one. Windows older than the retention (behind the newest window this
 * task has merged) are purged from both stores.
 */
final class FleetStatsMerger implements Processor<String, TaskPartial, String, byte[]> {
    private static final long PURGE_INTERVAL_MS = 60_000;

    private final FleetStatsSettings settings;
    private final String partsStoreName;
    private final String statsStoreName;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> parts;
    private KeyValueStore<String, byte[]> stats;
    private long newestWindow = Long.MIN_VALUE;

    FleetStatsMerger(FleetStatsSettings settings, String partsStoreName, String statsStoreName) {
        this.settings = settings;
        this.partsStoreName = partsStoreName;
        this.statsStoreName = statsStoreName;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.parts = context.getStateStore(partsStoreName);
        this.stats = context.getStateStore(statsStoreName);
        context.schedule(Duration.ofMillis(Math.max(PURGE_INTERVAL_MS, settings.emitIntervalMs())),
                PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, TaskPartial> record) {
        TaskPartial partial = record.value();
        if (record.key() == null || partial == null) {
            return;
        }
        byte[] stored = parts.get(record.key());
        List<TaskPartial> all = stored == null ? new ArrayList<>() : new ArrayList<>(TaskPartial.decodeAll(stored));
        all.removeIf(p -> Objects.equals(p.taskId(), partial.taskId()));
        all.add(partial);
        all.sort(Comparator.comparing(TaskPartial::taskId, Comparator.nullsFirst(String::compareTo)));
        parts.put(record.key(), TaskPartial.encodeAll(all));

        FleetWindowStats s = partial.stats();
        FleetWindowStats total = FleetWindowStats.sum(s.agentId(), s.windowStartMs(),
                all.stream().map(TaskPartial::stats).toList());
        byte[] json = total.toJson();
        stats.put(record.key(), json);
        newestWindow = Math.max(newestWindow, s.windowStartMs());
        context.forward(record.withValue(json));
    }

    private void purge(long wallClockMs) {
        if (newestWindow == Long.MIN_VALUE) {
            return;
        }
        long oldestKept = newestWindow - settings.retentionMs();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = stats.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                if (FleetKey.windowStart(key) < oldestKept) {
                    expired.add(key);
                }
            }
        }
        for (String key : expired) {
            stats.delete(key);
            parts.delete(key);
        }
    }
}
