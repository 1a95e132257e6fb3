package io.noos.streams.replay.report;

import io.noos.streams.testkit.CliRun;
import static io.noos.streams.testkit.Logs.line;
import static io.noos.streams.testkit.Logs.toolCall;
import static io.noos.streams.testkit.Logs.turnComplete;
import static io.noos.streams.testkit.Logs.turnStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.HeadlessChromium;
import java.time.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --report}: one self-contained page with the summary's numbers and four SVG charts,
 * nothing fetched from anywhere. When Chromium is installed, the page is also rendered headless to
 * a PNG (the check that it renders at all; look at the PNG to judge it).
 */
class HtmlReportTest {
    @TempDir
    Path dir;

    /** The three drift turns of {@link ReplayReportTest} for alice, and a tool loop for a user with markup in its id. */
    private Path log() throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                line("alice", 1000, turnStart("refactor this function to be async")),
                line("alice", 1900, turnComplete("add logging and error handling")),
                line("alice", 2000, turnStart("explain tokio runtime rust async")),
                line("alice", 2900, turnComplete("Tokio is async Rust runtime for scheduling event driven tasks and timers")),
                line("alice", 3000, turnStart("refactor the async function")),
                line("alice", 3900, turnComplete("refactor async function")),
                line("<b>&amp;", 1000, turnStart("find the duplicate orders in the order database"))));
        for (int i = 1; i <= 5; i++) {
            lines.add(line("<b>&amp;", 1000 + i, toolCall("search_orders")));
        }
        return Files.writeString(dir.resolve("log.jsonl"), String.join("\n", lines) + "\n");
    }

    private String report() throws Exception {
        Path html = dir.resolve("out/report.html");
        CliRun run = CliRun.of("replay", "--offline", "--input", log().toString(), "--output",
                dir.resolve("decisions.jsonl").toString(), "--report", html.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("report written to " + html), run.stdout());
        assertTrue(Files.size(html) > 1000);
        return Files.readString(html);
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        String html = report();
        String lower = html.toLowerCase(Locale.ROOT);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertFalse(lower.contains("http://"), "no external reference");
        assertFalse(lower.contains("https://"), "no external reference");
        assertFalse(lower.contains("<script"), "no script");
        assertFalse(lower.contains("<link"), "no stylesheet link");
        assertFalse(lower.contains("src="), "no image or frame source");
        assertFalse(lower.contains("url("), "no CSS resource");
        assertFalse(lower.contains("@import"), "no CSS import");
        assertTrue(lower.contains("<style>"), "inline CSS");
    }

    @Test
    void theChartsAreWellFormedSvg() throws Exception {
        List<String> charts = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)<svg.*?</svg>").matcher(report());
        while (m.find()) {
            charts.add(m.group());
        }
        assertEquals(4, charts.size(), "kinds, reasons, histogram, sweep");
        for (String svg : charts) {   // inline SVG is XML: parse each one
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        }
        assertTrue(charts.get(3).contains("class=\"mark\""), "the configured threshold is marked");
        assertTrue(charts.get(3).contains("configured 0.50: 2 turns"), charts.get(3));
    }

    @Test
    void thePageHoldsTheNumbers() throws Exception {
        String html = report();
        // decisions: alice 4 continue + 2 warn; the loop user 5 continue (turn_start, 4 calls) + 1 break
        assertTrue(html.contains("<tr><td>continue</td><td class=\"num\">9</td><td class=\"num\">4</td></tr>"), html);
        assertTrue(html.contains("<tr><td>scope_drift_warn</td><td class=\"num\">2</td><td class=\"num\">2</td></tr>"));
        assertTrue(html.contains("<tr><td>circuit_break</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>"));
        assertTrue(html.contains("<tr><td>repeated_tool_call_loop</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>"));
        assertTrue(html.contains("1 of 2 users halted at least once; 1 halted turns; 1 circuit_break decisions."));
        assertTrue(html.contains("<tr><td>&lt;b&gt;&amp;amp;</td><td class=\"num\">1</td><td class=\"num\">1</td>"
                + "<td class=\"num\">1</td><td>repeated_tool_call_loop 1</td></tr>"), "user ids are escaped");
        assertFalse(html.contains("<b>&amp;"), "no raw markup from the data");
        // histogram: 0.0, 5/9, 1.0
        assertTrue(html.contains("<tr><td>turns</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td>"
                + "<td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td>"
                + "<td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td></tr>"), html);
        assertTrue(html.contains("<td class=\"num\">3</td><td class=\"num\">0.000</td><td class=\"num\">0.519</td>"
                + "<td class=\"num\">0.556</td><td class=\"num\">1.000</td><td class=\"num\">1.000</td>"));
        // sweep
        assertTrue(html.contains("<tr class=\"configured\"><td class=\"num\">0.50 (configured)</td><td class=\"num\">2</td>"));
        assertTrue(html.contains("<tr><td class=\"num\">0.55</td><td class=\"num\">2</td>"));
        assertTrue(html.contains("<tr><td class=\"num\">0.60</td><td class=\"num\">1</td>"));
        // parameters
        assertTrue(html.contains("<tr><th>scope drift threshold</th><td>0.50</td></tr>"));
        assertTrue(html.contains("<tr><th>cost cap (output tokens)</th><td>10000</td></tr>"));
    }

    /** Skipped, saying why, without Chromium; fails instead where NOOS_REQUIRE_BROWSER is set (CI). */
    @Test
    void headlessChromiumRendersThePage() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.locate();
        report();
        Path png = dir.resolve("report.png");
        chromium.screenshot(dir.resolve("out/report.html").toUri().toString(), png, 1200, 2600, Duration.ofSeconds(5));
        assertTrue(Files.size(png) > 20_000, "a rendered page, not a blank one: " + Files.size(png) + " bytes");
        Path keep = Path.of(System.getProperty("java.io.tmpdir"), "noos-replay-report-test.png");
        Files.copy(png, keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // to look at
    }
}
