package io.noos.streams.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.fleet.FleetView.FleetSpend;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FleetSpendBookTest {
    private static final long MIN = 60_000;

    private static FleetSpend spend(long minute, long users) {
        return new FleetSpend(minute * MIN, users, 100.0 * users);
    }

    @Test
    void keepsTheNewestTenWindowsAndReplacesAWindowsFigures() {
        FleetSpendBook book = new FleetSpendBook();
        assertNull(book.spendIn(0));
        for (long m = 1; m <= 12; m++) {
            assertTrue(book.put(spend(m, m)));
        }
        assertNull(book.spendIn(MIN), "minute 1 went when minute 11 came");
        assertNull(book.spendIn(2 * MIN));
        assertEquals(spend(3, 3), book.spendIn(3 * MIN));
        assertEquals(spend(12, 12), book.spendIn(12 * MIN));
        assertEquals(10, book.windows().size());

        assertTrue(book.put(spend(7, 70)), "newer figures of a kept window");
        assertEquals(spend(7, 70), book.spendIn(7 * MIN));
        assertEquals(10, book.windows().size());

        assertFalse(book.put(spend(2, 2)), "older than every kept window, and the book is full");
        assertNull(book.spendIn(2 * MIN));

        book.remove(5 * MIN);
        assertNull(book.spendIn(5 * MIN));
        assertTrue(book.put(spend(1, 1)), "there is room again");
        assertEquals(List.of(1L, 3L, 4L, 6L, 7L, 8L, 9L, 10L, 11L, 12L),
                book.windows().stream().map(s -> s.windowStartMs() / MIN).toList(), "oldest first");
        assertTrue(book.put(spend(5, 5)), "between kept windows: the oldest goes");
        assertNull(book.spendIn(MIN));
        assertEquals(spend(5, 5), book.spendIn(5 * MIN));
    }

    @Test
    void readersOnOtherThreadsSeeWholeFiguresOfTheWindowTheyAskFor() throws Exception {
        FleetSpendBook book = new FleetSpendBook();
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                for (int i = 0; i < 200_000 && wrong.get() == null; i++) {
                    long minute = 1 + i % 5_000;
                    FleetSpend s = book.spendIn(minute * MIN);
                    if (s != null && (s.windowStartMs() != minute * MIN || s.users() != minute
                            || s.medianTokensOut() != 100.0 * minute)) {
                        wrong.set("asked for minute " + minute + ", got " + s);
                    }
                }
            });
            readers[r].start();
        }
        for (long m = 1; m <= 5_000; m++) {
            book.put(spend(m, m));
        }
        for (Thread t : readers) {
            t.join();
        }
        assertNull(wrong.get());
        assertEquals(spend(5_000, 5_000), book.spendIn(5_000 * MIN));
    }
}
