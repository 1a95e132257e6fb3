package io.noos.streams.cli;

import io.noos.streams.kafka.docs.TopologyDocs;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code describe-topology}: prints or writes the topology's description (text and Mermaid). */
@Command(name = "describe-topology", mixinStandardHelpOptions = true,
        description = "Print the topology (Topology#describe), or write topology.txt and topology.mmd to a folder.")
final class DescribeTopologyCommand implements Callable<Integer> {
    @Option(names = "--output-dir", description = "Write topology.txt and topology.mmd here instead of printing.")
    Path outputDir;

    @Override
    public Integer call() throws Exception {
        Topology topology = RegulatorTopology.build(TopologySettings.defaults());
        if (outputDir == null) {
            System.out.print(TopologyDocs.text(topology));
            return 0;
        }
        Files.createDirectories(outputDir);
        Files.writeString(outputDir.resolve("topology.txt"), TopologyDocs.text(topology));
        Files.writeString(outputDir.resolve("topology.mmd"), TopologyDocs.mermaid(topology));
        System.out.println("wrote " + outputDir.resolve("topology.txt") + " and " + outputDir.resolve("topology.mmd"));
        return 0;
    }
}
