package io.noos.streams.testkit;

import io.noos.streams.kafka.app.TopologyFactory;
import io.noos.streams.kafka.topology.ProcessingObserver;
import io.noos.streams.kafka.topology.RegulatorTopology;
import io.noos.streams.kafka.topology.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The production topology plus a processor, after the source beside the regulator, that throws on
 * the records of chosen users while their attempts so far are fewer than {@code failures}, counting
 * every attempt in {@code attempts}. It throws an {@link Error}: Kafka Streams' processing
 * exception handler (which the service sets to dead-letter and continue) takes only
 * {@code Exception}s, so an Error kills the stream thread and reaches the service's uncaught
 * exception handler, as any failure outside the handlers' reach does.
 *
 * <p>Not a test itself (no {@code *Test}/{@code *IT} name).
 */
public record FailingRecords(Set<String> users, int failures, Map<String, AtomicInteger> attempts)
        implements TopologyFactory {

    /** What the chosen records throw. */
    public static final class InjectedFailure extends Error {
        InjectedFailure(String message) {
            super(message);
        }
    }

    @Override
    public Topology build(TopologySettings settings, ProcessingObserver observer) {
        Topology topology = RegulatorTopology.build(settings, observer);
        // The source reads keys as bytes (the regulator checks they are UTF-8).
        topology.addProcessor("fail-on-chosen-users", () -> new Processor<byte[], byte[], Void, Void>() {
            @Override
            public void process(Record<byte[], byte[]> record) {
                String user = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                if (users.contains(user)) {
                    int attempt = attempts.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
                    if (attempt <= failures) {
                        throw new InjectedFailure("injected failure " + attempt + " on " + user);
                    }
                }
            }
        }, RegulatorTopology.SOURCE);
        return topology;
    }
}
