package io.noos.streams.replay.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the HTML report, drawn from plain numbers: no script, no external
 * reference (not even an {@code xmlns}, which inline SVG in HTML does not need). Colours and fonts
 * come from the page's CSS classes.
 */
final class SvgCharts {
    private SvgCharts() {}

    /** One bar: its label, its value, the text shown after it, and a CSS class for its colour. */
    record Bar(String label, long value, String text, String cssClass) {}

    /** One point of a line chart: x, y and the label written above the point. */
    record Point(double x, long y) {}

    private static final int WIDTH = 720;

    /** Horizontal bars, one row each, scaled to the largest value. */
    static String horizontalBars(String title, List<Bar> bars) {
        int labelWidth = 210;
        int barArea = 330;
        int row = 28;
        int height = bars.size() * row + 10;
        long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
        StringBuilder s = open(title, WIDTH, height);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 5 + i * row;
            double w = b.value() == 0 ? 0 : Math.max(2, (double) b.value() / max * barArea);
            s.append(fmt("<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    labelWidth - 8, y + 17, HtmlReport.escape(b.label())));
            s.append(fmt("<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\"><title>%s: %s</title></rect>",
                    b.cssClass(), labelWidth, y + 3, w, row - 8, HtmlReport.escape(b.label()), HtmlReport.escape(b.text())));
            s.append(fmt("<text class=\"value\" x=\"%.1f\" y=\"%d\">%s</text>", labelWidth + w + 6, y + 17,
                    HtmlReport.escape(b.text())));
        }
        return s.append("</svg>").toString();
    }

    /** Vertical bars over labelled slots (a histogram): {@code edges} has one more entry than {@code values}. */
    static String histogram(String title, long[] values, String[] edges, String xTitle, String yTitle) {
        int left = 56;
        int right = 16;
        int top = 24;
        int bottom = 50;
        int height = 300;
        int plotW = WIDTH - left - right;
        int plotH = height - top - bottom;
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        long[] ticks = ticks(max);
        long yMax = ticks[ticks.length - 1];
        StringBuilder s = open(title, WIDTH, height);
        axes(s, ticks, yMax, left, top, plotW, plotH, yTitle);
        double slot = (double) plotW / values.length;
        for (int i = 0; i < values.length; i++) {
            double h = yMax == 0 ? 0 : (double) values[i] / yMax * plotH;
            double x = left + i * slot + 3;
            s.append(fmt("<rect class=\"bar-drift\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                            + "<title>[%s, %s%s: %d turns</title></rect>",
                    x, top + plotH - h, slot - 6, h, edges[i], edges[i + 1], i == values.length - 1 ? "]" : ")",
                    values[i]));
            s.append(fmt("<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
                    x + (slot - 6) / 2, top + plotH - h - 5, values[i]));
        }
        for (int i = 0; i < edges.length; i++) {
            s.append(fmt("<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    left + i * slot, top + plotH + 18, edges[i]));
        }
        s.append(fmt("<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                left + plotW / 2, height - 8, HtmlReport.escape(xTitle)));
        return s.append("</svg>").toString();
    }

    /**
     * A line through {@code points} (x ascending), with a dashed vertical marker at {@code markX}
     * labelled {@code markLabel}.
     */
    static String line(String title, List<Point> points, double markX, String markLabel, String xTitle, String yTitle) {
        int left = 56;
        int right = 24;
        int top = 48;
        int bottom = 50;
        int height = 320;
        int plotW = WIDTH - left - right;
        int plotH = height - top - bottom;
        double xMin = Math.min(points.get(0).x(), markX);
        double xMax = Math.max(points.get(points.size() - 1).x(), markX);
        long max = points.stream().mapToLong(Point::y).max().orElse(0);
        long[] ticks = ticks(max);
        long yMax = ticks[ticks.length - 1];
        StringBuilder s = open(title, WIDTH, height);
        axes(s, ticks, yMax, left, top, plotW, plotH, yTitle);
        StringBuilder path = new StringBuilder();
        for (Point p : points) {
            double x = left + (p.x() - xMin) / (xMax - xMin) * plotW;
            double y = top + plotH - (yMax == 0 ? 0 : (double) p.y() / yMax * plotH);
            path.append(path.length() == 0 ? "" : " ").append(fmt("%.1f,%.1f", x, y));
        }
        s.append("<polyline class=\"sweep-line\" points=\"").append(path).append("\"/>");
        for (Point p : points) {
            double x = left + (p.x() - xMin) / (xMax - xMin) * plotW;
            double y = top + plotH - (yMax == 0 ? 0 : (double) p.y() / yMax * plotH);
            String threshold = fmt("%.2f", p.x());
            s.append(fmt("<circle class=\"sweep-point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>threshold %s: %d turns"
                    + "</title></circle>", x, y, threshold, p.y()));
            s.append(fmt("<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>", x, y - 9, p.y()));
            s.append(fmt("<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x, top + plotH + 18, threshold));
        }
        double mx = left + (markX - xMin) / (xMax - xMin) * plotW;
        s.append(fmt("<line class=\"mark\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", mx, top - 30, mx, top + plotH));
        boolean rightHalf = mx > left + plotW * 0.6;   // keep the label inside the chart
        s.append(fmt("<text class=\"mark-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
                rightHalf ? mx - 6 : mx + 6, top - 22, rightHalf ? "end" : "start", HtmlReport.escape(markLabel)));
        s.append(fmt("<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                left + plotW / 2, height - 8, HtmlReport.escape(xTitle)));
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(String title, int width, int height) {
        StringBuilder s = new StringBuilder(4096);
        s.append(fmt("<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                width, height, width, height, HtmlReport.escape(title)));
        s.append("<title>").append(HtmlReport.escape(title)).append("</title>");
        return s;
    }

    /** The y axis with grid lines at {@code ticks}, the x axis, and the y title. */
    private static void axes(StringBuilder s, long[] ticks, long yMax, int left, int top, int plotW, int plotH,
                             String yTitle) {
        for (long t : ticks) {
            double y = top + plotH - (yMax == 0 ? 0 : (double) t / yMax * plotH);
            s.append(fmt("<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", left, y, left + plotW, y));
            s.append(fmt("<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>", left - 6, y + 4, t));
        }
        s.append(fmt("<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", left, top + plotH, left + plotW,
                top + plotH));
        s.append(fmt("<text class=\"axis-title\" x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>",
                top + plotH / 2, top + plotH / 2, HtmlReport.escape(yTitle)));
    }

    /** Round tick values from 0 to at least {@code max}: steps of 1, 2 or 5 times a power of ten, about 4 of them. */
    static long[] ticks(long max) {
        if (max <= 0) {
            return new long[] {0, 1};
        }
        long step = 1;
        while (true) {
            if (max / step <= 5) {
                break;
            }
            if (max / (step * 2) <= 5) {
                step *= 2;
                break;
            }
            if (max / (step * 5) <= 5) {
                step *= 5;
                break;
            }
            step *= 10;
        }
        long top = (max + step - 1) / step * step;
        long[] out = new long[(int) (top / step) + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = i * step;
        }
        return out;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
