package io.noos.streams.kafka.app;

import io.noos.streams.kafka.topology.ProcessingObserver;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import org.apache.kafka.streams.Topology;

/**
 * Builds the topology the service runs, reporting to the service's meters:
 * {@link RegulatorTopology#build(TopologySettings, ProcessingObserver)} in production.
 */
@FunctionalInterface
public interface TopologyFactory {
    Topology build(TopologySettings settings, ProcessingObserver observer);
}
