package io.noos.streams.replay.report;

import io.noos.streams.logfile.LogFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress indicator on standard error: items done of a total, items per second, time left.
 *
 * <p>On a terminal ({@link Style#BAR}) it is one line redrawn in place with {@code \r} at most 4
 * times a second:
 * <pre>{@code offline replay [##########----------]  50%  250000/500023 events  310000 events/s  ETA 0:01}</pre>
 * Otherwise ({@link Style#LINES}, for logs and CI) it prints a plain line every 5 seconds, and
 * nothing for a run shorter than that.
 *
 * <p>The replay thread calls {@link #tick()} once per item: an increment and a comparison; only every
 * 256th call reads the clock, and it prints only when the interval has passed. The total can come
 * later, from another thread ({@link #countLinesInBackground}); until then the line shows the count
 * and the rate only.
 */
public final class ReplayProgress {
    /** How progress is shown. */
    public enum Style {
        /** One line redrawn in place (a terminal). */
        BAR,
        /** A plain line now and then (not a terminal). */
        LINES,
        /** Nothing. */
        OFF
    }

    private static final int CHECK_EVERY = 256;
    private static final long BAR_INTERVAL_NS = 250_000_000L;
    private static final long LINES_INTERVAL_NS = 5_000_000_000L;
    private static final int BAR_WIDTH = 20;

    private final PrintStream err;
    private final Style style;
    private final LongSupplier nanoClock;
    private final long intervalNs;

    private String label = "";
    private String unit = "events";
    private volatile long total = -1;
    private volatile int phaseNumber;
    private long done;
    private long nextCheck;
    private long phaseStart;
    private long lastPrint;
    private int lastWidth;
    private boolean drawn;
    private boolean pendingItemless;

    /** Progress in {@code style} on {@code err}, timed by {@code nanoClock} (e.g. {@code System::nanoTime}). */
    public ReplayProgress(PrintStream err, Style style, LongSupplier nanoClock) {
        this.err = err;
        this.style = style;
        this.nanoClock = nanoClock;
        this.intervalNs = style == Style.BAR ? BAR_INTERVAL_NS : LINES_INTERVAL_NS;
        this.nextCheck = style == Style.OFF ? Long.MAX_VALUE : CHECK_EVERY;
        this.phaseStart = nanoClock.getAsLong();
        this.lastPrint = phaseStart;
    }

    /**
     * Progress on {@link System#err}: a bar when this JVM has a console ({@code System.console() != null}),
     * else plain lines; nothing when {@code enabled} is false.
     */
    public static ReplayProgress onStandardError(boolean enabled) {
        Style style = !enabled ? Style.OFF : System.console() != null ? Style.BAR : Style.LINES;
        return new ReplayProgress(System.err, style, System::nanoTime);
    }

    public Style style() {
        return style;
    }

    /**
     * Starts a phase: {@code label} (e.g. {@code offline replay}), counting {@code unit} (e.g.
     * {@code events}; null for a phase without items, shown by its label only) up to {@code total}
     * (-1: not known yet). Ends the previous phase's bar line.
     */
    public void phase(String label, String unit, long total) {
        finish();
        this.phaseNumber++;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.done = 0;
        this.phaseStart = nanoClock.getAsLong();
        this.lastPrint = phaseStart;
        this.nextCheck = style == Style.OFF ? Long.MAX_VALUE : CHECK_EVERY;
        this.pendingItemless = style == Style.BAR && unit == null;
        if (style == Style.BAR && unit != null) {   // an item-less phase is shown once, when it ends
            draw(phaseStart);
        }
    }

    /**
     * Wipes the bar line so that a message can be printed on stderr on a line of its own; the bar
     * comes back at the next redraw.
     */
    public void clearLine() {
        if (style == Style.BAR && drawn) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            drawn = false;
            lastWidth = 0;
        }
    }

    /** Sets the current phase's total; may be called from any thread. */
    public void setTotal(long total) {
        this.total = total;
    }

    /** One more item done. */
    public void tick() {
        if (++done >= nextCheck) {
            check();
        }
    }

    /** Items done in the current phase. */
    public long done() {
        return done;
    }

    private void check() {
        nextCheck = done + CHECK_EVERY;
        long now = nanoClock.getAsLong();
        if (now - lastPrint >= intervalNs) {
            lastPrint = now;
            if (style == Style.BAR) {
                draw(now);
            } else {
                err.println(line(now, false));
            }
        }
    }

    /** Ends the current phase: the bar is drawn once more, as it ends, and the line is closed. */
    public void finish() {
        if (style == Style.BAR && (drawn || pendingItemless)) {
            pendingItemless = false;
            draw(nanoClock.getAsLong());
            err.println();
            err.flush();
            drawn = false;
            lastWidth = 0;
        }
    }

    private void draw(long now) {
        String line = line(now, true);
        StringBuilder s = new StringBuilder(line.length() + lastWidth + 1).append('\r').append(line);
        for (int i = line.length(); i < lastWidth; i++) {
            s.append(' ');   // wipe what is left of a longer previous line
        }
        lastWidth = line.length();
        err.print(s);
        err.flush();
        drawn = true;
    }

    /** The progress text: label, bar (on a terminal), done/total and share, rate, ETA. */
    String line(long now, boolean bar) {
        long t = total;
        double seconds = (now - phaseStart) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder s = new StringBuilder(label);
        if (unit == null) {   // a phase without items: its label and how long it has taken
            return s.append(" (").append(clock((long) seconds)).append(')').toString();
        }
        if (t > 0) {
            double share = Math.min(1.0, (double) done / t);
            if (bar) {
                int filled = (int) Math.round(share * BAR_WIDTH);
                s.append(" [").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append(']');
            }
            s.append(String.format(Locale.ROOT, " %3d%% %d/%d %s", (int) Math.floor(share * 100), done, t, unit));
        } else {
            s.append(' ').append(done).append(' ').append(unit);
        }
        s.append(String.format(Locale.ROOT, ", %.0f %s/s", rate, unit));
        if (t > 0 && rate > 0 && done < t && seconds >= 1.0) {   // the first second's rate is mostly warm-up
            s.append(", ETA ").append(clock((long) Math.ceil((t - done) / rate)));
        } else if (t < 0 && style != Style.OFF) {
            s.append(", total not known yet");
        }
        return s.toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /**
     * Counts the non-blank lines of {@code file} (gunzipped when it ends in {@code .gz}) on a daemon
     * thread and sets them as the total of the current phase when done, so the replay need not wait
     * for the count. Does nothing when progress is off.
     */
    public void countLinesInBackground(Path file) {
        if (style == Style.OFF) {
            return;
        }
        int phase = phaseNumber;
        Thread counter = new Thread(() -> {
            try {
                long lines = countNonBlankLines(file);
                if (phaseNumber == phase) {   // not for a later phase
                    setTotal(lines);
                }
            } catch (IOException | RuntimeException e) {
                // no total then: the line shows the count and the rate only
            }
        }, "replay-progress-line-count");
        counter.setDaemon(true);
        counter.setPriority(Thread.MIN_PRIORITY);
        counter.start();
    }

    /** Lines holding something other than space, tab or CR: the envelope and bad lines of a log. */
    static long countNonBlankLines(Path file) throws IOException {
        try (InputStream in = LogFiles.open(file)) {
            byte[] buffer = new byte[1 << 16];
            long lines = 0;
            boolean content = false;
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        if (content) {
                            lines++;
                        }
                        content = false;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        content = true;
                    }
                }
            }
            return content ? lines + 1 : lines;
        }
    }
}
