package io.noos.streams.replay.report;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceFileWatcher;
import io.noos.streams.kafka.topology.TopologySettings;
import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.logfile.EnvelopeFileReader;
import io.noos.streams.replay.KafkaReplay;
import io.noos.streams.replay.OfflineReplay;
import io.noos.streams.replay.ReplaySummary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A replay ({@link OfflineReplay} or {@link KafkaReplay}) that also makes its {@link ReplayReport}
 * and shows progress.
 *
 * <ul>
 *   <li><b>offline</b>: one pass. Each decision record is counted as it is made, and a
 *       {@link DriftProbe} learns each decision's drift score from the same regulator.</li>
 *   <li><b>via Kafka</b>: the decision records read back from the decisions topic are counted;
 *       the drift scores come from a second, local pass over the file through the same per-user
 *       rules and settings (decisions not written), since the service's regulators are out of
 *       reach. The report says how many turns warned in the Kafka decisions and how many the
 *       scores say should have: they agree whenever the service decided as the offline replay.</li>
 * </ul>
 */
public final class SummarizedReplay {
    private SummarizedReplay() {}

    /** The replay's own counts and its report. */
    public record Result(ReplaySummary summary, ReplayReport report) {}

    /** Replays {@code input} offline into {@code output} with the service settings of {@code config}. */
    public static Result offline(ServiceConfig config, Path input, Path output,
                                 Consumer<EnvelopeFileReader.Line.Bad> onBadLine, ReplayProgress progress)
            throws IOException {
        return offline(config, null, input, output, onBadLine, progress);
    }

    /** As {@link #offline(ServiceConfig, Path, Path, Consumer, ReplayProgress)}, with {@code policies} (may be null) over the settings. */
    public static Result offline(ServiceConfig config, PolicyBook policies, Path input, Path output,
                                 Consumer<EnvelopeFileReader.Line.Bad> onBadLine, ReplayProgress progress)
            throws IOException {
        TopologySettings settings = pricedSettings(config);
        if (policies != null) {
            settings = settings.toBuilder()
                    .userSettings(UserSettingsSource.withPolicies(settings.decider().userSettings(), policies)).build();
        }
        ReplayStats stats = new ReplayStats();
        DriftProbe probe = new DriftProbe(stats);
        progress.phase("offline replay", "events", -1);
        progress.countLinesInBackground(input);
        ReplaySummary summary = new OfflineReplay(settings).run(input, output, bad -> {
            progress.tick();
            progress.clearLine();   // the report gets a line of its own
            onBadLine.accept(bad);
        }, (state, decision) -> {
            progress.tick();
            if (decision != null) {
                stats.decision(decision);
                probe.onOutcome(state, decision);
            }
        });
        progress.finish();
        return new Result(summary, stats.report(RunParameters.of("offline", input, config), summary));
    }

    /** Replays {@code input} through the real service on an in-process broker (see {@link KafkaReplay}). */
    public static Result viaKafka(ServiceConfig config, Duration idleTimeout, Path input, Path output,
                                  Consumer<EnvelopeFileReader.Line.Bad> onBadLine, ReplayProgress progress)
            throws IOException, InterruptedException {
        ReplayStats stats = new ReplayStats();
        progress.phase("via kafka: starting the broker and the service", null, -1);
        ReplaySummary summary = new KafkaReplay(config, idleTimeout).run(input, output, onBadLine,
                new KafkaReplay.Listener() {
                    @Override
                    public void serviceRunning() {
                        progress.phase("via kafka: producing " + input.getFileName(), null, -1);
                    }

                    @Override
                    public void produced(long sent, long expectedDecisions) {
                        progress.phase("via kafka: reading decisions", "decisions", expectedDecisions);
                    }

                    @Override
                    public void decision(byte[] json) {
                        progress.tick();
                        stats.decisionJson(json);
                    }
                });
        progress.phase("drift scores (local pass)", "events", summary.eventsRead() + summary.badLines());
        DriftProbe probe = new DriftProbe(stats);
        new OfflineReplay(pricedSettings(config)).run(input, null, bad -> progress.tick(), (state, decision) -> {
            progress.tick();
            probe.onOutcome(state, decision);
        });
        progress.finish();
        return new Result(summary, stats.report(RunParameters.of("via-kafka", input, config), summary));
    }

    /** The configuration's settings with its price file's table (loaded once: a replay is short). */
    static TopologySettings pricedSettings(ServiceConfig config) {
        TopologySettings settings = config.topologySettings();
        return config.pricesFile() == null ? settings
                : settings.toBuilder().prices(PriceBook.of(PriceFileWatcher.load(config.pricesFile()))).build();
    }
}
