package io.noos.streams.clients.sim;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.codec.EnvelopeCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A fleet of simulated agents producing realistic turns onto the input topic: some healthy, some
 * looping on a tool, some drifting, some corrected by their users, some burning budget while quality
 * falls. Every event gets a unique id ({@code sim-<user>-<n>}).
 */
public final class FleetSimulator implements Runnable, AutoCloseable {
    private final List<SimulatedAgent> agents = new ArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final EnvelopeCodec codec;
    private final long turnIntervalMs;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong produced = new AtomicLong();

    public FleetSimulator(int agentCount, long seed, Properties kafka, String topic, EnvelopeCodec codec,
                          long turnIntervalMs) {
        SimulatedAgent.Behaviour[] kinds = SimulatedAgent.Behaviour.values();
        for (int i = 0; i < agentCount; i++) {
            agents.add(new SimulatedAgent("user-" + (i + 1), "agent-" + (i % 7 + 1), kinds[i % kinds.length], seed + i));
        }
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.codec = codec;
        this.turnIntervalMs = turnIntervalMs;
    }

    /** Produces one turn per agent every {@code turnIntervalMs} until {@link #close()}. */
    @Override
    public void run() {
        long[] sequence = new long[agents.size()];
        while (!stopped.get()) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < agents.size(); i++) {
                SimulatedAgent agent = agents.get(i);
                for (EventEnvelope e : agent.nextTurn(now)) {
                    EventEnvelope withId = e.withEventId("sim-" + agent.userId() + "-" + sequence[i]++);
                    producer.send(new ProducerRecord<>(topic, agent.userId(), codec.encode(withId)));
                    produced.incrementAndGet();
                }
            }
            producer.flush();
            sleep(turnIntervalMs);
        }
    }

    public long produced() {
        return produced.get();
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            stopped.set(true);
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped.set(true);
        producer.close();
    }
}
