package io.noos.streams.kafka.http;

import io.noos.streams.testkit.HeadlessChromium;

import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.clients.sim.FleetSimulator;
import io.noos.streams.testkit.TestKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Makes {@code docs/dashboard.png}: the service on an in-process broker, a simulated fleet as in
 * {@code run --simulate}, and after a few minutes a headless Chromium screenshot of the dashboard.
 * Not a test; run it from the repository root with the test classpath:
 *
 * <pre>{@code
 * mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.noos.streams.kafka.http.DashboardScreenshot docs/dashboard.png 8 20
 * }</pre>
 *
 * Arguments: output file, minutes to run the fleet (default 8), simulated agents (default 20).
 */
public final class DashboardScreenshot {
    private DashboardScreenshot() {}

    public static void main(String[] args) throws Exception {
        Path png = Path.of(args.length > 0 ? args[0] : "docs/dashboard.png");
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int agents = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        HeadlessChromium chromium = HeadlessChromium.locate();
        Path state = Files.createTempDirectory("noos-screenshot-state");
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            ServiceConfig config = HttpServiceFixture.config(kafka.bootstrapServers(), "noos-screenshot", state, "shot")
                    .with(ServiceConfig.COST_CAP, "10000");
            TopicSetup.ensureTopics(config);
            try (RegulatorService service = HttpServiceFixture.start(config);
                 FleetSimulator fleet = HttpServiceFixture.simulate(config, service, agents, 1500, true)) {
                HttpServiceFixture.awaitBalanced(service);
                System.out.println("dashboard at " + HttpServiceFixture.baseUrl(service) + "/#token=" + HttpServiceFixture.TOKEN
                        + "; screenshot in " + minutes + " min");
                Thread.sleep(Duration.ofMinutes(minutes).toMillis());
                Files.createDirectories(png.toAbsolutePath().getParent());
                chromium.screenshot(HttpServiceFixture.baseUrl(service) + "/#token=" + HttpServiceFixture.TOKEN, png,
                        1280, 1420, Duration.ofSeconds(5));
                System.out.println("wrote " + png);
            }
        }
        System.exit(0);
    }
}
