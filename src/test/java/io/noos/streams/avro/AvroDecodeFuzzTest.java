package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated Avro records (bytes flipped, dropped, inserted, repeated, cut short) decode into an
 * envelope or fail with {@link InvalidEventException}, which the service dead-letters; nothing
 * else escapes (no runtime exception from Avro's decoder, no out-of-memory from a forged length).
 */
class AvroDecodeFuzzTest {
    private static final AvroCodec CODEC = new AvroCodec();

    @Test
    void mutatedRecordsDecodeOrAreRefusedWithInvalidEventException() {
        Random r = new Random(11);
        List<AgentEvent> events = Samples.events();
        int refused = 0;
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            EnvelopeEvent event = r.nextInt(6) == 0 ? Samples.tokenBatch()
                    : new EnvelopeEvent.Single(events.get(r.nextInt(events.size())));
            byte[] bytes = CODEC.encodeEnvelope(new EventEnvelope(r.nextBoolean() ? null : "e-" + i, "user-" + r.nextInt(9),
                    r.nextBoolean() ? null : "agent", "s", r.nextLong() >>> 1, event));
            int mutations = 1 + r.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                bytes = mutate(bytes, r);
            }
            try {
                CODEC.decodeEnvelope(bytes);
                decoded++;
            } catch (InvalidEventException expected) {
                refused++;
            }
        }
        assertTrue(refused > 10_000 && decoded > 1_000, "both outcomes occur: refused " + refused + ", decoded " + decoded);
    }

    private static byte[] mutate(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int at = r.nextInt(b.length);
        return switch (r.nextInt(5)) {
            case 0 -> {                                                   // flip bits of one byte (header too)
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << r.nextInt(8));
                yield c;
            }
            case 1 -> {                                                   // a random byte, often a varint
                byte[] c = b.clone();
                c[at] = (byte) r.nextInt(256);
                yield c;
            }
            case 2 -> Arrays.copyOf(b, at);                               // cut short
            case 3 -> {                                                   // drop one byte
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                yield c;
            }
            default -> {                                                  // insert 0xFF bytes (huge varints)
                int n = 1 + r.nextInt(9);
                byte[] c = new byte[b.length + n];
                System.arraycopy(b, 0, c, 0, at);
                Arrays.fill(c, at, at + n, (byte) 0xFF);
                System.arraycopy(b, at, c, at + n, b.length - at);
                yield c;
            }
        };
    }
}
