package io.noos.streams.clients.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** UUID version 7 by RFC 9562: version and variant bits, the millisecond time, and strictly increasing ids. */
class TimeOrderedIdsTest {

    @Test
    void versionVariantAndTimeAreRfc9562s() {
        AtomicLong clock = new AtomicLong(1_767_225_600_123L);
        TimeOrderedIds ids = new TimeOrderedIds(clock::get, 7);
        UUID id = ids.nextUuid();
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "the RFC 4122/9562 variant (binary 10)");
        assertEquals(1_767_225_600_123L, TimeOrderedIds.timeOf(id));
        assertTrue(id.toString().startsWith("019b76da-a87b-7"), id.toString());   // 0x019b76daa87b = the time
    }

    @Test
    void idsIncreaseStrictlyWithinAMillisecondPastTheCounterAndWhenTheClockGoesBack() {
        AtomicLong clock = new AtomicLong(1_000);
        TimeOrderedIds ids = new TimeOrderedIds(clock::get, 42);
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {      // more than the 4096 values of the counter in one millisecond
            made.add(ids.nextUuid());
        }
        clock.set(500);                         // the clock steps back
        made.add(ids.nextUuid());
        clock.set(2_000_000);
        made.add(ids.nextUuid());
        for (int i = 1; i < made.size(); i++) {
            assertTrue(made.get(i - 1).toString().compareTo(made.get(i).toString()) < 0, "id " + i + " sorts after " + (i - 1));
        }
        assertEquals(made.size(), new HashSet<>(made).size());
        assertEquals(2_000_000L, TimeOrderedIds.timeOf(made.get(made.size() - 1)));
    }
}
