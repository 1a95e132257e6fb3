package io.noos.streams.kafka.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserState;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor tells its observer about every record: decisions (as emitted), dead letters, duplicates, timing. */
class ProcessingObserverTest {
    @TempDir
    Path stateDir;

    private static final class Recording implements ProcessingObserver {
        final List<String> decided = new ArrayList<>();
        final AtomicInteger deadLettered = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final List<Long> processed = new ArrayList<>();

        @Override
        public void decided(Decision decision) {
            decided.add(decision.kind());
        }

        @Override
        public void deadLettered() {
            deadLettered.incrementAndGet();
        }

        @Override
        public void duplicate() {
            duplicates.incrementAndGet();
        }

        @Override
        public void processed(long elapsedNanos) {
            processed.add(elapsedNanos);
        }
    }

    @Test
    void everyRecordIsReported() {
        TopologySettings settings = TopologySettings.defaults();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(envelope("e1", new EnvelopeEvent.Single(new AgentEvent.TurnStart("search the order history"))));
        events.add(envelope("e2", new EnvelopeEvent.TokenBatch(new double[] {-0.2, -0.3})));
        for (int i = 0; i < 5; i++) {
            events.add(envelope("c" + i, new EnvelopeEvent.Single(new AgentEvent.ToolCall("search_orders", null))));
        }
        // The expected kinds: the same events through the Kafka-free rules.
        UserDecider decider = new UserDecider(settings.decider());
        UserState state = null;
        List<String> expected = new ArrayList<>();
        for (EventEnvelope e : events) {
            UserDecider.Outcome o = decider.apply(state, e);
            state = o.state();
            if (o.decision() != null) {
                expected.add(o.decision().decision().kind());
            }
        }

        Recording observer = new Recording();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "observer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(RegulatorTopology.build(settings, observer), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(settings.inputTopic(), new StringSerializer(),
                    new ByteArraySerializer());
            for (EventEnvelope e : events) {
                input.pipeInput(e.userId(), EnvelopeJson.toBytes(e));
            }
            input.pipeInput("ana", EnvelopeJson.toBytes(events.get(2)));                 // delivered twice
            input.pipeInput("ana", "{not json".getBytes(StandardCharsets.UTF_8));        // dead letter
        }
        assertEquals(expected, observer.decided);
        assertEquals("circuit_break", observer.decided.get(observer.decided.size() - 1), "the fifth call breaks the loop");
        assertEquals(1, observer.duplicates.get());
        assertEquals(1, observer.deadLettered.get());
        assertEquals(events.size() + 2, observer.processed.size(), "every record timed once");
        assertEquals(0, observer.processed.stream().filter(n -> n < 0).count());
    }

    private static EventEnvelope envelope(String id, EnvelopeEvent event) {
        return TestEvent.user("ana").id(id).agent("agent-1").session("s1").at(1_767_225_600_000L).of(event);
    }
}
