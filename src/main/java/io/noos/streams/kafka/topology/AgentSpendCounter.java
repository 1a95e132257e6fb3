package io.noos.streams.kafka.topology;

import io.noos.streams.detect.AgentSpend;
import io.noos.streams.detect.AgentSpendBook;
import io.noos.streams.detect.RollingSlots;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The agents' totals for the agent-wide budget ({@code agent_spend_budget}), after the amounts are
 * repartitioned by agent so that one task sees all of an agent's users: counts each amount into
 * its agent's total of that currency and window ({@link AgentSpend#totalKey}; the same
 * {@link RollingSlots} as the per-user budgets), keeps the total in a changelogged store, and sends
 * it on, keyed by the total's key, to the agent-spend topic every instance reads back.
 */
final class AgentSpendCounter implements Processor<String, AgentSpend, String, byte[]> {
    private final String storeName;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> totals;

    AgentSpendCounter(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.totals = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, AgentSpend> record) {
        AgentSpend spend = record.value();
        if (spend == null) {
            return;
        }
        String key = spend.totalKey();
        byte[] stored = totals.get(key);
        RollingSlots total = stored == null ? new RollingSlots() : AgentSpendBook.decode(stored);
        total.count(spend.atMs(), spend.micros(), spend.windowMs());
        byte[] bytes = AgentSpendBook.encode(total);
        totals.put(key, bytes);
        context.forward(record.withKey(key).withValue(bytes));
    }
}
