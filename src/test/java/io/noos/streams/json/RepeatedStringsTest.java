package io.noos.streams.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Recurring short ASCII values are read as one shared string; everything else as before. */
class RepeatedStringsTest {

    private static EventEnvelope parse(String json) {
        return EnvelopeJson.parsePlain(json.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String line(String user, String session) {
        return TestEvent.user(user).agent("agent-7").session(session).at(1000)
                .json("{\"type\":\"token\",\"token\":\" the\",\"logprob\":-0.5,\"index\":3}");
    }

    @Test
    void aRecurringIdIsOneInstanceEqualToTheText() {
        EventEnvelope first = parse(line("user-repeated-1", "s-1"));
        EventEnvelope second = parse(line("user-repeated-1", "s-1"));
        assertEquals("user-repeated-1", first.userId());
        assertSame(first.userId(), second.userId());
        assertSame(first.agentId(), second.agentId());
        assertSame(first.sessionId(), second.sessionId());
    }

    @Test
    void differentValuesInOneSlotStayDistinct() {
        // Whatever the table holds, each value read is exactly the text of the record.
        for (int i = 0; i < 200_000; i++) {
            String user = "u" + i;
            assertEquals(user, parse(line(user, "s")).userId());
        }
    }

    @Test
    void longAndNonAsciiValuesAreNotShared() {
        String longUser = "u".repeat(RepeatedStrings.MAX_LENGTH + 1);
        assertEquals(longUser, parse(line(longUser, "s")).userId());
        assertNotSame(parse(line(longUser, "s")).userId(), parse(line(longUser, "s")).userId());
        assertEquals("ünï", parse(line("ünï", "s")).userId());
        assertNotSame(parse(line("ünï", "s")).userId(), parse(line("ünï", "s")).userId());
    }
}
