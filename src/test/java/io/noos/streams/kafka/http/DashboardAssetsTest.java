package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noos.streams.envelope.DecisionVocabulary;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard needs no network: every asset is bundled and nothing points outside the service. */
class DashboardAssetsTest {
    private static final List<String> PATHS = List.of("/", "/dashboard/dashboard.js", "/dashboard/dashboard.css");
    /** The SVG namespace is a name, never fetched. */
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    @Test
    void everyAssetIsBundled() {
        DashboardAssets assets = new DashboardAssets();
        for (String path : PATHS) {
            assertTrue(assets.find(path).orElseThrow().body().length > 100, path);
        }
    }

    @Test
    void noAssetReferencesAnotherOrigin() {
        DashboardAssets assets = new DashboardAssets();
        Pattern external = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}|@import|url\\(");
        for (String path : PATHS) {
            String text = assets.find(path).orElseThrow().bodyText().replace(SVG_NAMESPACE, "");
            Matcher m = external.matcher(text);
            if (m.find()) {
                fail(path + " refers to " + text.substring(m.start(), Math.min(text.length(), m.end() + 20)));
            }
        }
    }

    @Test
    void thePageLoadsOnlyItsOwnScriptAndStyleAndNothingInline() {
        String html = new DashboardAssets().find("/").orElseThrow().bodyText();
        assertEquals(List.of("/dashboard/dashboard.js"), all(html, "<script[^>]*src=\"([^\"]+)\""));
        assertEquals(List.of("/dashboard/dashboard.css"), all(html, "<link[^>]*href=\"([^\"]+)\""));
        assertEquals(1, all(html, "(<script)").size(), "no inline script (the content policy would block it)");
        assertFalse(html.contains("style=\""), "no inline style");
    }

    @Test
    void everyDecisionKindHasItsOwnColourAndTheScriptTakesTheKindsFromTheData() {
        DashboardAssets assets = new DashboardAssets();
        String js = assets.find("/dashboard/dashboard.js").orElseThrow().bodyText();
        String css = assets.find("/dashboard/dashboard.css").orElseThrow().bodyText();
        for (String kind : DecisionVocabulary.kinds()) {
            assertTrue(Pattern.compile("(?m)^\\.kind-" + kind + " \\{ fill: var\\(--[a-z]+\\); \\}$").matcher(css).find(),
                    kind + " has a fill in dashboard.css");
            assertFalse(js.contains("'" + kind + "'"), kind + " is not listed in the script: the kinds come with /fleet/stats");
        }
        assertTrue(js.contains("stats.decision_kinds"), "the script reads the kinds from the answer");
    }

    private static List<String> all(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
