package io.noos.streams.clients.orchestrator;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Event ids that sort by the time they were made: UUID version 7 (RFC 9562), a 48-bit Unix time in
 * milliseconds, then a 12-bit counter that keeps the ids of one generator strictly increasing
 * within a millisecond (RFC 9562 §6.2, method 1; it starts at a random value in the lower half of
 * its range and borrows the next millisecond when it overflows), then 62 random bits. Thread-safe.
 */
public final class TimeOrderedIds {
    private static final int COUNTER_MAX = 0xFFF;

    private final LongSupplier clock;
    private final SplittableRandom random;
    private long lastMs = -1;
    private int counter;

    /** A generator on the system clock, its random bits seeded from {@link SecureRandom}. */
    public TimeOrderedIds() {
        this(System::currentTimeMillis, new SecureRandom().nextLong());
    }

    TimeOrderedIds(LongSupplier clock, long seed) {
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** The next id, in the canonical textual form ({@code 0190a6b2-...}). */
    public String next() {
        return nextUuid().toString();
    }

    /** The next id: later than every id this generator made before. */
    public synchronized UUID nextUuid() {
        long ms = clock.getAsLong();
        if (ms > lastMs) {
            lastMs = ms;
            counter = random.nextInt(COUNTER_MAX / 2 + 1);
        } else if (++counter > COUNTER_MAX) {
            lastMs++;   // the clock stood still or went back: keep increasing, a millisecond ahead
            counter = 0;
        }
        long msb = (lastMs & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long lsb = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The millisecond time of a version 7 id. */
    public static long timeOf(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a version 7 UUID: " + id);
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
