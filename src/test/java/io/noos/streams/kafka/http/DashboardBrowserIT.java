package io.noos.streams.kafka.http;

import static io.noos.streams.testkit.JsonTrees.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.clients.PolicyPublisher;
import io.noos.streams.clients.sim.FleetSimulator;
import io.noos.streams.policy.Policy;
import io.noos.streams.testkit.HeadlessChromium;
import io.noos.streams.testkit.Poll;
import io.noos.streams.testkit.TestKafkaCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium against the real service on the in-process broker,
 * fed by the simulated fleet of {@code run --simulate}: with the token (given as {@code #token=})
 * the decisions chart has bars, the rankings have rows and the latest circuit breaks are listed;
 * without it the page asks for one and shows no user data.
 */
class DashboardBrowserIT {
    private static final Set<String> BREAK_REASONS =
            Set.of("cost_cap_reached", "quality_decline_no_recovery", "repeated_tool_call_loop");
    private static final Duration BUDGET = Duration.ofSeconds(8);

    @TempDir
    Path stateDir;

    @Test
    @Timeout(240)
    void chartsRenderWithTheSimulatedFleetsData() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.locate();
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            String suffix = "dash-" + UUID.randomUUID().toString().substring(0, 8);
            ServiceConfig config = HttpServiceFixture.config(kafka.bootstrapServers(), "noos-" + suffix, stateDir, suffix);
            TopicSetup.ensureTopics(config);
            try (RegulatorService service = HttpServiceFixture.start(config);
                 FleetSimulator fleet = HttpServiceFixture.simulate(config, service, 14, 250, true)) {
                HttpServiceFixture.awaitBalanced(service);
                try (PolicyPublisher policies = new PolicyPublisher(config.kafkaProperties(),
                        config.get(ServiceConfig.POLICIES_TOPIC))) {
                    // no simulated agent is agent-9 or user-999: the fleet's decisions stay the rules'
                    policies.halt("agent:agent-9", new Policy.Halt("incident 42", 1_767_225_600_000L, null));
                    policies.halt("user-999", new Policy.Halt(null, null, null));
                }
                awaitFleetWithBreaks(service);
                awaitHalts(service, 2);
                fleet.close();   // the agents stop, so the page and the API see the same figures
                JsonNode stats = awaitSettledFleetStats(service);
                JsonNode summary = stats.get("summary");

                String page = HttpServiceFixture.baseUrl(service) + "/";
                String dom = chromium.dumpDom(page + "#token=" + HttpServiceFixture.TOKEN, BUDGET);
                assertEquals("rendered", attribute(dom, "<body[^>]*data-state=\"([a-z]+)\""), "page state");

                List<String> barKinds = strings(dom, "<rect[^>]*class=\"bar kind-([a-z_]+)\"");
                List<Integer> barCounts = ints(dom, "<rect[^>]*class=\"bar kind-[a-z_]+\"[^>]*data-count=\"(\\d+)\"");
                Map<String, Long> charted = new TreeMap<>();
                for (int i = 0; i < barKinds.size(); i++) {
                    charted.merge(barKinds.get(i), (long) barCounts.get(i), Long::sum);
                }
                Map<String, Long> counted = new TreeMap<>();
                summary.get("decisions").fields().forEachRemaining(e -> {
                    if (e.getValue().asLong() > 0) {
                        counted.put(e.getKey(), e.getValue().asLong());
                    }
                });
                assertEquals(counted, charted, "the chart's bars add up to the API's decisions per kind");
                assertTrue(counted.containsKey("circuit_break"), "circuit breaks are among the charted kinds");
                long total = decisions(stats);
                assertEquals(total, Long.parseLong(attribute(dom,
                        "<svg[^>]*id=\"decisions-chart\"[^>]*data-total=\"(\\d+)\"")), "the chart's total");
                assertEquals(barCounts.size(),
                        Integer.parseInt(attribute(dom, "<svg[^>]*id=\"decisions-chart\"[^>]*data-bars=\"(\\d+)\"")));
                assertEquals(total, Long.parseLong(attribute(dom, "id=\"total-decisions\"[^>]*data-value=\"(\\d+)\"")),
                        "the decisions tile counts every decision of the hour");

                assertEquals(Math.min(10, summary.get("top_users").size()), count(dom, "<tr class=\"user-row\""),
                        "top users by spend: the API's, at most 10");
                assertEquals(summary.get("top_agents").size(), count(dom, "<tr class=\"agent-row\""),
                        "top agents by spend: the API's");
                List<String> reasons = strings(dom, "<tr class=\"break-row\" data-reason=\"([a-z_]+)\"");
                List<String> apiReasons = new ArrayList<>();
                summary.get("latest_breaks").forEach(b -> apiReasons.add(b.path("reason").asText()));
                assertEquals(apiReasons.size(), reasons.size(), "latest circuit breaks listed: " + apiReasons);
                assertTrue(BREAK_REASONS.containsAll(reasons), reasons.toString());
                assertEquals(List.of("agent:agent-9", "user-999"), strings(dom, "<tr class=\"halt-row\" data-key=\"([^\"]+)\""),
                        "the halts in force");
                assertTrue(dom.contains("<td>incident 42</td>") && dom.contains("<td>2026-01-01 00:00:00</td>"), "reason and time");
                String loop = attribute(dom, "(<section id=\"loop\"[^>]*>)");
                assertFalse(loop.contains("hidden"), "the simulation's panel is shown: " + loop);
                assertTrue(loop.contains("data-compared=\"true\""), loop);
                JsonNode saved = tree(HttpServiceFixture.get(service, "/simulation", HttpServiceFixture.TOKEN).body()).get("saved");
                for (String figure : List.of("tokens", "tool_calls", "turns")) {
                    assertEquals(saved.get(figure).asLong(), Long.parseLong(attribute(dom,
                            "id=\"loop-" + figure.replace('_', '-') + "\"[^>]*data-value=\"(\\d+)\"")),
                            "what the simulation saved (" + figure + "), as /simulation says once the fleet stopped");
                }
                assertTrue(attribute(dom, "id=\"loop-p99\"[^>]*>([^<]*)<").endsWith(" ms"), "the decisions' latency");
                assertFalse(dom.contains(HttpServiceFixture.TOKEN), "the token is not left in the page");
                assertTrue(attribute(dom, "(<section id=\"auth\"[^>]*>)").contains("hidden"), "no token form");

                String locked = chromium.dumpDom(page, BUDGET);
                assertEquals("unauthorized", attribute(locked, "<body[^>]*data-state=\"([a-z]+)\""));
                assertEquals(0, count(locked, "<tr class=\"user-row\""), "no user data without the token");
                assertEquals(0, count(locked, "<tr class=\"halt-row\""), "no halts without the token");
                assertFalse(attribute(locked, "(<section id=\"auth\"[^>]*>)").contains("hidden"), "the token form is shown");

                Path png = Path.of("target", "dashboard-it.png");
                Files.createDirectories(png.getParent());
                chromium.screenshot(page + "#token=" + HttpServiceFixture.TOKEN, png, 1280, 1750, BUDGET);
            }
        }
    }

    /** Polls /fleet/stats until the simulated loopers have been broken and someone has spent tokens. */
    private static JsonNode awaitFleetWithBreaks(RegulatorService service) throws Exception {
        AtomicReference<String> last = new AtomicReference<>("");
        return Poll.value("a circuit break in the fleet statistics", Duration.ofSeconds(90), () -> {
            HttpResponse<String> r = HttpServiceFixture.get(service, "/fleet/stats?minutes=60", HttpServiceFixture.TOKEN);
            last.set(r.statusCode() + " " + r.body());
            if (r.statusCode() == 200) {
                JsonNode stats = tree(r.body());
                JsonNode summary = stats.get("summary");
                if (summary.path("decisions").path("circuit_break").asLong() > 0 && summary.path("top_users").size() > 0) {
                    return Optional.of(stats);
                }
            }
            return Optional.empty();
        }, last::get);
    }

    /** Polls /policies/halts until it lists {@code n} halts (the global store has read them). */
    private static void awaitHalts(RegulatorService service, int n) throws Exception {
        Poll.until(n + " halts listed on /policies/halts", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = HttpServiceFixture.get(service, "/policies/halts", HttpServiceFixture.TOKEN);
            return r.statusCode() == 200 && tree(r.body()).get("halts").size() == n;
        });
    }

    /** The fleet statistics once two reads 3 s apart agree (the merged windows are written on commit). */
    private static JsonNode awaitSettledFleetStats(RegulatorService service) throws Exception {
        AtomicReference<JsonNode> previous = new AtomicReference<>();
        return Poll.value("the fleet statistics stop changing (two reads 3 s apart agree)", Duration.ofSeconds(90), () -> {
            Thread.sleep(3_000);
            HttpResponse<String> r = HttpServiceFixture.get(service, "/fleet/stats?agents=false&minutes=60",
                    HttpServiceFixture.TOKEN);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode stats = tree(r.body());
            return stats.get("summary").equals(previous.getAndSet(stats.get("summary"))) ? Optional.of(stats) : Optional.empty();
        }, () -> String.valueOf(previous.get()));
    }

    private static long decisions(JsonNode stats) {
        long n = 0;
        for (JsonNode k : stats.get("summary").get("decisions")) {
            n += k.asLong();
        }
        return n;
    }

    private static String attribute(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        if (!m.find()) {
            throw new AssertionError("nothing matches " + regex + " in the page:\n" + html);
        }
        return m.group(1) == null ? "" : m.group(1);
    }

    private static List<String> strings(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<Integer> ints(String html, String regex) {
        return strings(html, regex).stream().map(Integer::parseInt).toList();
    }

    private static int count(String html, String regex) {
        return strings(html, "(" + regex + ")").size();
    }
}
