package io.noos.streams.testkit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values read from a Prometheus text scrape as a scraper would. */
public final class PrometheusSamples {
    private PrometheusSamples() {
    }

    /**
     * The value of the one sample line named exactly {@code series} (name plus labels). A series
     * that is not in the scrape fails the test: the service registers its meters at zero, so a
     * missing one is a bug, not a zero.
     */
    public static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no sample " + series + " in\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }
}
