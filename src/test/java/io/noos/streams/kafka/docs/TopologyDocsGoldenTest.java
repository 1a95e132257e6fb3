package io.noos.streams.kafka.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.ServiceStore;
import io.noos.streams.kafka.topology.ServiceTopic;
import io.noos.streams.kafka.topology.TopologySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/**
 * topology-docs/ must equal what the code builds. After an intended topology change, regenerate with
 * {@code mvn test -Dtest=TopologyDocsGoldenTest -Dnoos.updateGolden=true} (or the
 * {@code describe-topology --output-dir topology-docs} command) and commit the diff; the run that
 * rewrites a file fails, the next one checks it.
 */
class TopologyDocsGoldenTest {
    private static final Path DOCS = Path.of("topology-docs");

    private static void check(String file, String generated) throws Exception {
        Path golden = DOCS.resolve(file);
        boolean same = Files.exists(golden) && Files.readString(golden).equals(generated);
        if (!same && Boolean.getBoolean("noos.updateGolden")) {
            Files.createDirectories(DOCS);
            Files.writeString(golden, generated);
            fail("rewrote " + golden + " from the code; review and commit the diff, then run again "
                    + "without -Dnoos.updateGolden (a run that rewrites the golden files never passes)");
        }
        assertTrue(Files.exists(golden), "missing " + golden + "; run with -Dnoos.updateGolden=true");
        assertEquals(Files.readString(golden), generated, file + " drifted from the code; regenerate it");
    }

    @Test
    void textAndMermaidMatchTheCommittedDocs() throws Exception {
        Topology topology = RegulatorTopology.build(TopologySettings.defaults());
        check("topology.txt", TopologyDocs.text(topology));
        check("topology.mmd", TopologyDocs.mermaid(topology));
    }

    @Test
    void everyNodeStoreAndTopicIsExplicitlyNamed() {
        String text = TopologyDocs.text(RegulatorTopology.build(TopologySettings.defaults()));
        assertTrue(!text.contains("KSTREAM-") && !text.contains("KTABLE-"), "a generated name slipped in:\n" + text);
        assertTrue(text.contains("regulator-state"), text);
    }

    /** The topics table of topology-docs/README.md says of each topic what {@link ServiceTopic} declares. */
    @Test
    void theTopicsTableDescribesEachTopicAsDeclared() throws Exception {
        String readme = Files.readString(DOCS.resolve("README.md"));
        for (ServiceTopic topic : ServiceTopic.values()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(topic.defaultName()) + "` \\| ([^|]*) \\| ([^|]*) \\|")
                    .matcher(readme);
            assertTrue(row.find(), "no row for " + topic.defaultName() + " in the topics table");
            assertEquals(topic.key(), row.group(1).replace("`", ""), topic + "'s key");
            assertTrue(row.group(2).replace("`", "").startsWith(topic.value()), topic + "'s value: " + row.group(2));
        }
    }

    /** Every store of {@link ServiceStore} is documented in topology-docs/README.md and is in the topology. */
    @Test
    void everyDeclaredStoreIsDocumentedAndBuilt() throws Exception {
        String readme = Files.readString(DOCS.resolve("README.md"));
        String text = TopologyDocs.text(RegulatorTopology.build(TopologySettings.defaults()));
        for (ServiceStore store : ServiceStore.values()) {
            assertTrue(readme.contains("`" + store.storeName() + "`"), store.storeName() + " is documented");
            assertTrue(text.contains(store.storeName()), store.storeName() + " is in the topology");
        }
    }
}
