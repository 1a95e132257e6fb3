package io.noos.streams.kafka.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Renders {@link Topology#describe()} as text and as a Mermaid flowchart, for {@code topology-docs/}
 * (a golden test keeps the committed files equal to what the code builds).
 */
public final class TopologyDocs {
    private TopologyDocs() {}

    /** Kafka's own description text. */
    public static String text(Topology topology) {
        return topology.describe().toString().trim() + "\n";
    }

    /**
     * A Mermaid flowchart: topics as stadiums, processors as boxes, state stores as cylinders, one
     * subgraph per sub-topology and per global store.
     */
    public static String mermaid(Topology topology) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        Set<String> topics = new LinkedHashSet<>();
        Set<String> stores = new LinkedHashSet<>();
        List<String> edges = new ArrayList<>();
        List<TopologyDescription.Subtopology> subs = new ArrayList<>(topology.describe().subtopologies());
        subs.sort(Comparator.comparingInt(TopologyDescription.Subtopology::id));
        for (TopologyDescription.Subtopology sub : subs) {
            out.append("  subgraph sub").append(sub.id()).append("[\"sub-topology ").append(sub.id()).append("\"]\n");
            List<TopologyDescription.Node> nodes = new ArrayList<>(sub.nodes());
            nodes.sort(Comparator.comparing(TopologyDescription.Node::name));
            for (TopologyDescription.Node node : nodes) {
                out.append("    ").append(id(node.name())).append("[\"").append(node.name()).append("\"]\n");
                if (node instanceof TopologyDescription.Source source) {
                    for (String t : source.topicSet()) {
                        topics.add(t);
                        edges.add(topicId(t) + " --> " + id(node.name()));
                    }
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    topics.add(sink.topic());
                    edges.add(id(node.name()) + " --> " + topicId(sink.topic()));
                } else if (node instanceof TopologyDescription.Processor processor) {
                    for (String s : processor.stores()) {
                        stores.add(s);
                        edges.add(id(node.name()) + " <-.-> " + storeId(s));
                    }
                }
                List<TopologyDescription.Node> next = new ArrayList<>(node.successors());
                next.sort(Comparator.comparing(TopologyDescription.Node::name));
                for (TopologyDescription.Node n : next) {
                    edges.add(id(node.name()) + " --> " + id(n.name()));
                }
            }
            out.append("  end\n");
        }
        List<TopologyDescription.GlobalStore> globals = new ArrayList<>(topology.describe().globalStores());
        globals.sort(Comparator.comparingInt(TopologyDescription.GlobalStore::id));
        for (TopologyDescription.GlobalStore global : globals) {
            TopologyDescription.Source source = global.source();
            TopologyDescription.Processor processor = global.processor();
            out.append("  subgraph global").append(global.id()).append("[\"global store (every instance)\"]\n");
            out.append("    ").append(id(source.name())).append("[\"").append(source.name()).append("\"]\n");
            out.append("    ").append(id(processor.name())).append("[\"").append(processor.name()).append("\"]\n");
            out.append("  end\n");
            for (String t : source.topicSet()) {
                topics.add(t);
                edges.add(topicId(t) + " --> " + id(source.name()));
            }
            edges.add(id(source.name()) + " --> " + id(processor.name()));
            for (String st : processor.stores()) {
                stores.add(st);
                edges.add(id(processor.name()) + " <-.-> " + storeId(st));
            }
        }
        for (String t : topics) {
            out.append("  ").append(topicId(t)).append("([\"topic: ").append(t).append("\"])\n");
        }
        for (String s : stores) {
            out.append("  ").append(storeId(s)).append("[(\"store: ").append(s).append("\")]\n");
        }
        for (String e : edges) {
            out.append("  ").append(e).append('\n');
        }
        return out.toString();
    }

    private static String id(String name) {
        return "n_" + name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String topicId(String topic) {
        return "t_" + topic.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String storeId(String store) {
        return "s_" + store.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
