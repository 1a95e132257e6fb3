package io.noos.streams.kafka.app;

import io.noos.streams.kafka.topology.ProcessingObserver;
import io.noos.streams.kafka.topology.RegulatorTopology;
import org.apache.kafka.streams.Topology;

/** Builds the topology the service runs; {@link RegulatorTopology#build(io.noos.streams.kafka.topology.TopologySettings, ProcessingObserver)} in production. */
@FunctionalInterface
public interface TopologyFactory {
    Topology build(io.noos.streams.kafka.topology.TopologySettings settings, ProcessingObserver observer);
}
