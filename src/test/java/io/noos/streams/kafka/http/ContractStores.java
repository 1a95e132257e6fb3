package io.noos.streams.kafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.app.TopologyFactory;
import io.noos.streams.kafka.serde.EnvelopeCodec;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's topology with the two stores the HTTP API reads beyond {@code regulator-state}
 * ({@code regulator-latest-decision}, {@code regulator-fleet-stats-store}), in the formats of the
 * stores' contract, for as long as the production topology does not have them yet.
 *
 * <p>{@link #topology()} adds only what the production topology lacks: once it builds these stores
 * itself, the tests using this run against the production topology unchanged.
 *
 * <p>The stand-in counts in one-minute windows of event time, per agent and fleet-wide ({@code *}),
 * in the store of the user's task, so a window's counts are spread over the instances and
 * {@code /fleet/stats} has to gather and add them up.
 */
final class ContractStores {
    static final long WINDOW_MS = 60_000;
    private static final String FLEET = "*";
    private static final String DECISION_RECORD_NODE = "decision-record";

    private ContractStores() {}

    static TopologyFactory topology() {
        return (settings, observer) -> {
            Topology topology = RegulatorTopology.build(settings, observer);
            Set<String> stores = storeNames(topology);
            if (!stores.contains(StoreNames.LATEST_DECISION)) {
                topology.addProcessor("contract-latest-decision", LatestDecisionWriter::new, DECISION_RECORD_NODE);
                topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.LATEST_DECISION), Serdes.String(), Serdes.ByteArray()),
                        "contract-latest-decision");
            }
            if (!stores.contains(StoreNames.FLEET_STATS)) {
                topology.addProcessor("contract-fleet-events", () -> new FleetEventCounter(settings),
                        RegulatorTopology.SOURCE);
                topology.addProcessor("contract-fleet-decisions", FleetDecisionCounter::new, DECISION_RECORD_NODE);
                topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.FLEET_STATS), Serdes.String(), Serdes.ByteArray()),
                        "contract-fleet-events", "contract-fleet-decisions");
            }
            return topology;
        };
    }

    static Set<String> storeNames(Topology topology) {
        Set<String> names = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    names.addAll(p.stores());
                }
            }
        }
        return names;
    }

    static String key(String agent, long windowStart) {
        return agent + "@" + String.format("%013d", windowStart);
    }

    /** {@code regulator-latest-decision}: user id → the decision record JSON. */
    private static final class LatestDecisionWriter implements Processor<String, DecisionRecord, Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(StoreNames.LATEST_DECISION);
        }

        @Override
        public void process(Record<String, DecisionRecord> record) {
            store.put(record.value().userId(), DecisionRecordJson.toBytes(record.value()));
        }
    }

    /** Reads, changes and writes back the window JSON of {@code regulator-fleet-stats-store}. */
    private abstract static class WindowWriter<V> implements Processor<String, V, Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(StoreNames.FLEET_STATS);
        }

        void update(String agent, long atMs, java.util.function.Consumer<ObjectNode> change) {
            long start = Math.floorDiv(atMs, WINDOW_MS) * WINDOW_MS;
            for (String who : agent == null ? List.of(FLEET) : List.of(FLEET, agent)) {
                String key = key(who, start);
                byte[] old = store.get(key);
                ObjectNode w = old == null ? empty(who, start) : read(old);
                change.accept(w);
                try {
                    store.put(key, Json.mapper().writeValueAsBytes(w));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private static ObjectNode read(byte[] bytes) {
            try {
                return (ObjectNode) Json.mapper().readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static ObjectNode empty(String agent, long start) {
            ObjectNode w = Json.mapper().createObjectNode();
            w.put("agent_id", agent);
            w.put("window_start_ms", start);
            w.put("window_end_ms", start + WINDOW_MS);
            for (String f : List.of("events", "turns", "tokens_in", "tokens_out")) {
                w.put(f, 0);
            }
            ObjectNode d = w.putObject("decisions");
            for (String k : List.of("continue", "scope_drift_warn", "procedural_warning", "circuit_break")) {
                d.put(k, 0);
            }
            w.putObject("circuit_breaks");
            for (String f : List.of("tool_calls", "tool_failures", "implicit_corrections", "dead_letters", "late_events")) {
                w.put(f, 0);
            }
            w.putArray("top_users");
            w.putArray("latest_breaks");
            return w;
        }

        static void increment(ObjectNode node, String field, long by) {
            node.put(field, node.path(field).asLong() + by);
        }
    }

    private static final class FleetEventCounter extends WindowWriter<byte[]> {
        private final EnvelopeCodec codec;

        FleetEventCounter(TopologySettings settings) {
            codec = new EnvelopeCodec(settings.inputFormat());
        }

        @Override
        public void process(Record<String, byte[]> record) {
            EventEnvelope e;
            try {
                e = codec.decode(record.value());
            } catch (InvalidEventException bad) {
                update(null, record.timestamp(), w -> increment(w, "dead_letters", 1));
                return;
            }
            update(e.agentId(), e.atMs(), w -> {
                increment(w, "events", 1);
                if (e.event() instanceof EnvelopeEvent.Single single) {
                    AgentEvent event = single.event();
                    if (event instanceof AgentEvent.TurnStart) {
                        increment(w, "turns", 1);
                    } else if (event instanceof AgentEvent.Cost cost) {
                        increment(w, "tokens_in", cost.tokensIn());
                        increment(w, "tokens_out", cost.tokensOut());
                        addSpend((ArrayNode) w.get("top_users"), e.userId(), cost.tokensOut());
                    } else if (event instanceof AgentEvent.ToolCall) {
                        increment(w, "tool_calls", 1);
                    } else if (event instanceof AgentEvent.ToolResult r && !r.success()) {
                        increment(w, "tool_failures", 1);
                    }
                }
            });
        }

        private static void addSpend(ArrayNode top, String user, long tokensOut) {
            List<ObjectNode> rows = new ArrayList<>();
            boolean found = false;
            for (JsonNode row : top) {
                ObjectNode r = (ObjectNode) row;
                if (user.equals(r.path("user_id").asText())) {
                    r.put("tokens_out", r.path("tokens_out").asLong() + tokensOut);
                    found = true;
                }
                rows.add(r);
            }
            if (!found) {
                rows.add(Json.mapper().createObjectNode().put("user_id", user).put("tokens_out", tokensOut));
            }
            rows.sort((a, b) -> Long.compare(b.path("tokens_out").asLong(), a.path("tokens_out").asLong()));
            top.removeAll();
            rows.stream().limit(10).forEach(top::add);
        }
    }

    private static final class FleetDecisionCounter extends WindowWriter<DecisionRecord> {
        @Override
        public void process(Record<String, DecisionRecord> record) {
            DecisionRecord r = record.value();
            update(r.agentId(), r.atMs(), w -> {
                increment((ObjectNode) w.get("decisions"), r.decision().kind(), 1);
                if (r.decision() instanceof Decision.CircuitBreak cb) {
                    increment((ObjectNode) w.get("circuit_breaks"), cb.reason().kind(), 1);
                    ArrayNode breaks = (ArrayNode) w.get("latest_breaks");
                    ObjectNode b = Json.mapper().createObjectNode().put("user_id", r.userId())
                            .put("agent_id", r.agentId()).put("reason", cb.reason().kind()).put("at_ms", r.atMs());
                    breaks.insert(0, b);
                    while (breaks.size() > 10) {
                        breaks.remove(breaks.size() - 1);
                    }
                }
            });
        }
    }
}
