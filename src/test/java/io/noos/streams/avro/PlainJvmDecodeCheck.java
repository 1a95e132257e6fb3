package io.noos.streams.avro;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.TurnStart;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import java.util.List;

/**
 * Run by {@link AvroClassTrustTest} in a fresh JVM (no {@code -D} options). Mode {@code codec}
 * round-trips records with nested types through {@link AvroCodec}; mode {@code stock} decodes with
 * the generated class's own decoder without ever loading the codec. Prints the outcome; exits 0
 * when it is the expected one.
 */
final class PlainJvmDecodeCheck {
    private PlainJvmDecodeCheck() {}

    public static void main(String[] args) throws Exception {
        for (String property : List.of("org.apache.avro.SERIALIZABLE_PACKAGES", "org.apache.avro.SERIALIZABLE_CLASSES")) {
            if (System.getProperty(property) != null) {
                System.out.println("unexpected system property " + property);
                System.exit(2);
            }
        }
        if (args[0].equals("codec")) {
            AvroCodec codec = new AvroCodec();
            EventEnvelope envelope = Samples.envelope(new AgentEvent.QualityFeedback(0.5,
                    List.of(new AgentEvent.FragmentSpan(1, 2))));
            DecisionRecord decision = Samples.decisionRecord(new Decision.ProceduralWarning(List.of(Samples.pattern())));
            boolean ok = codec.decodeEnvelope(codec.encodeEnvelope(envelope)).equals(envelope)
                    && codec.decodeDecision(codec.encodeDecision(decision)).equals(decision);
            System.out.println(ok ? "decoded OK" : "decoded to something else");
            System.exit(ok ? 0 : 1);
        } else {
            AgentEventEnvelope raw = AgentEventEnvelope.newBuilder().setUserId("u").setAtMs(1)
                    .setEvent(new TurnStart("hi")).build();
            try {
                AgentEventEnvelope.getDecoder().decode(AgentEventEnvelope.getEncoder().encode(raw));
                System.out.println("stock decoding worked without explicit trust");
                System.exit(3);
            } catch (SecurityException e) {
                System.out.println("SecurityException: " + e.getMessage());
                System.exit(0);
            }
        }
    }
}
