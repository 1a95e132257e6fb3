package io.noos.streams.kafka.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.avro.AvroCodec;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The topology with Avro (single-object encoding) on both topics, selected by settings. */
class AvroTopologyTest {
    private final AvroCodec avro = new AvroCodec();

    @Test
    void avroInAvroOutAndJsonOnAnAvroTopicIsDeadLettered() {
        TopologySettings settings = TopologySettings.builder().formats(WireFormat.AVRO, WireFormat.AVRO).build();
        try (TopologyHarness h = new TopologyHarness(settings)) {
            TestOutputTopic<String, byte[]> decisions = h.driver.createOutputTopic(settings.decisionsTopic(),
                    new StringDeserializer(), new ByteArrayDeserializer());
            h.input.pipeInput("alice", avro.encodeEnvelope(TestEvent.user("alice").id("e1").agent("a1").session("s1").at(10)
                    .of(new AgentEvent.TurnStart("refactor this function to be async"))));
            h.input.pipeInput("alice", avro.encodeEnvelope(TestEvent.user("alice").id("e2").agent("a1").session("s1").at(20)
                    .of(new AgentEvent.TurnComplete("add logging and error handling"))));
            h.send("alice", "{\"user_id\":\"alice\",\"at_ms\":30,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}");

            List<TestRecord<String, byte[]>> out = decisions.readRecordsToList();
            assertEquals(2, out.size());
            DecisionRecord second = avro.decodeDecision(out.get(1).value());
            assertEquals("e2", second.eventId());
            Decision.ScopeDriftWarn warn = assertInstanceOf(Decision.ScopeDriftWarn.class, second.decision());
            assertEquals(List.of("handling", "logging", "error"), warn.driftTokens());

            TestRecord<String, byte[]> dead = h.deadLetters.readRecord();
            String reason = new String(dead.headers().lastHeader(RegulatorProcessor.HEADER_REASON).value(),
                    StandardCharsets.UTF_8);
            assertTrue(reason.startsWith("Avro:"), reason);
        }
    }
}
