package io.noos.streams.replay.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress indicator, on a fake clock. */
class ReplayProgressTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void tick(ReplayProgress p, int times, long nanosEach) {
        for (int i = 0; i < times; i++) {
            now += nanosEach;
            p.tick();
        }
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceAtMostFourTimesASecond() {
        ReplayProgress p = new ReplayProgress(err, ReplayProgress.Style.BAR, () -> now);
        p.phase("offline replay", "events", 100_000);
        tick(p, 50_000, 20_000);   // 50 000 events in 1 s: 50 000 events/s
        p.finish();

        String out = printed();
        // The clock is read every 256 ticks (5.12 ms here) and a redraw needs 250 ms since the last:
        // at the phase's start, after 12 544, 25 088 and 37 632 events (250.88, 501.76, 752.64 ms; the
        // next would need 1 003.52 ms, after the last event) and at the finish.
        long redraws = out.chars().filter(c -> c == '\r').count();
        assertEquals(5, redraws, "phase start, three in the second, and the final");
        assertTrue(out.endsWith("\n"), "the bar line is ended");
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line");
        String last = out.substring(out.lastIndexOf('\r') + 1).trim();
        assertEquals("offline replay [##########----------]  50% 50000/100000 events, 50000 events/s, ETA 0:01", last);
    }

    @Test
    void elsewherePlainLinesComeEveryFiveSeconds() {
        ReplayProgress p = new ReplayProgress(err, ReplayProgress.Style.LINES, () -> now);
        p.phase("offline replay", "events", -1);
        tick(p, 1_000, 1_000_000);   // 1 s: nothing yet
        assertEquals("", printed());
        tick(p, 11_000, 1_000_000);   // 12 s in all: two lines
        p.setTotal(24_000);
        tick(p, 4_000, 1_000_000);    // 16 s: the third, with the total
        p.finish();

        String[] lines = printed().split("\n");
        assertEquals(3, lines.length, printed());
        assertFalse(printed().contains("\r"));
        // the clock is read every 256 ticks (256 ms here); a line needs 5 s since the last: at 5 120,
        // 10 240 and 15 360 ms; the last with the total: 64 %, (24 000 - 15 360) / 1 000/s = 8.64 s → 0:09
        assertEquals("offline replay 5120 events, 1000 events/s, total not known yet", lines[0]);
        assertEquals("offline replay 10240 events, 1000 events/s, total not known yet", lines[1]);
        assertEquals("offline replay  64% 15360/24000 events, 1000 events/s, ETA 0:09", lines[2]);
    }

    @Test
    void offPrintsNothing() {
        ReplayProgress p = new ReplayProgress(err, ReplayProgress.Style.OFF, () -> now);
        p.phase("offline replay", "events", 10);
        tick(p, 100_000, 1_000_000);
        p.finish();
        assertEquals("", printed());
    }

    @Test
    void aPhaseWithoutItemsShowsItsLabelAndTime() {
        ReplayProgress p = new ReplayProgress(err, ReplayProgress.Style.BAR, () -> now);
        p.phase("via kafka: starting the broker and the service", null, -1);
        now += 3_000_000_000L;
        p.phase("via kafka: reading decisions", "decisions", 10);
        tick(p, 10, 1_000_000);
        p.finish();
        String[] lines = printed().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].endsWith("via kafka: starting the broker and the service (0:03)"), lines[0]);
        assertTrue(lines[1].endsWith("via kafka: reading decisions [####################] 100% 10/10 decisions, 1000 decisions/s"),
                lines[1]);
    }

    @Test
    void aMessageBetweenRedrawsGetsALineOfItsOwn() {
        ReplayProgress p = new ReplayProgress(err, ReplayProgress.Style.BAR, () -> now);
        p.phase("offline replay", "events", 10);
        p.clearLine();
        err.println("log.jsonl:3: skipped, not valid JSON");
        p.clearLine();   // nothing drawn since: nothing to wipe
        p.finish();      // nothing drawn since: nothing to end
        String start = "offline replay [--------------------]   0% 0/10 events, 0 events/s";
        assertEquals("\r" + start + "\r" + " ".repeat(start.length()) + "\r"
                + "log.jsonl:3: skipped, not valid JSON\n", printed());
    }

    @Test
    void etaClock() {
        assertEquals("0:05", ReplayProgress.clock(5));
        assertEquals("2:05", ReplayProgress.clock(125));
        assertEquals("1:00:01", ReplayProgress.clock(3601));
    }

    @Test
    void theTotalIsTheNumberOfNonBlankLinesGzippedOrNot() throws Exception {
        String text = "{\"a\":1}\n\n  \t\r\n{\"b\":2}\r\nnot json\n{\"c\":3}";   // 4 non-blank, last without newline
        Path plain = Files.writeString(dir.resolve("log.jsonl"), text);
        Path gz = dir.resolve("log.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(4, ReplayProgress.countNonBlankLines(plain));
        assertEquals(4, ReplayProgress.countNonBlankLines(gz));
    }
}
