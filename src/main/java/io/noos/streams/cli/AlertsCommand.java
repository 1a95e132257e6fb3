package io.noos.streams.cli;

import io.noos.streams.alerts.AlertSettings;
import io.noos.streams.alerts.AlertsRunner;
import io.noos.streams.clients.ClientProperties;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.kafka.config.ServiceConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alerts}: posts alerts for the decisions topic's circuit breaks, halts and budget warnings to webhooks. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {
                "Read the decisions topic and post an alert to every webhook for each circuit break (at most one "
                        + "per user, turn and reason), operator halt (one per halt) and spend budget warning (one per "
                        + "user, threshold and window). Runs until stopped (Ctrl-C).",
                "Generic JSON (--webhook) or a Slack-compatible {\"text\": ...} body (--slack-webhook); every post "
                        + "has an Idempotency-Key header (and the key in its body). No user text is sent unless "
                        + "--include-user-text. Posts are rate limited per webhook (--rate-per-minute; alerts wait, "
                        + "they are not dropped) and retried with a doubling backoff.",
                "Restart-safe: offsets are committed (group --group-id) after the post, and the decisions before "
                        + "them are read again at start to remember what was sent. A new group's start (the topic's "
                        + "end, or its beginning with --from-beginning) is committed before anything is read, so a "
                        + "stop before the first alert skips nothing; partitions added later are read from their "
                        + "beginning.",
                "The same runs inside the service with noos.alerts.enabled=true and noos.alerts.webhook.<name>.url "
                        + "(and .format=json|slack) in its configuration.",
                "Exit status: 0 when stopped; 1 when the cluster fails; 2 for a wrong option."})
final class AlertsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster to read from.")
    String bootstrapServers;

    @Option(names = "--webhook", paramLabel = "URL", description = "Generic JSON webhook (repeatable).")
    List<String> webhooks = List.of();

    @Option(names = "--slack-webhook", paramLabel = "URL", description = "Slack-compatible webhook (repeatable).")
    List<String> slackWebhooks = List.of();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Decisions topic (default regulator-decisions).")
    String topic;

    @Option(names = "--decisions-format", defaultValue = "json", paramLabel = "json|avro",
            description = "The decisions' wire format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group of the committed offsets (default noos-alerts).")
    String groupId;

    @Option(names = "--rate-per-minute", paramLabel = "N", description = "Posts per webhook per minute (default 30).")
    Integer ratePerMinute;

    @Option(names = "--from-beginning", description = "A new group (no committed offset) starts at the topic's "
            + "beginning (default: its end, only new decisions).")
    boolean fromBeginning;

    @Option(names = "--include-user-text", description = "Also send the decision's details that hold user text.")
    boolean includeUserText;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Properties file of Kafka client settings (security, TLS, SASL).")
    Path clientConfig;

    @Override
    public Integer call() throws Exception {
        if (clientConfig != null) {
            CliFiles.requireInputFile(spec, "--client-config", clientConfig);
        }
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < webhooks.size(); i++) {
            keys.put(AlertSettings.WEBHOOK_PREFIX + "webhook" + (i + 1) + ".url", webhooks.get(i));
        }
        for (int i = 0; i < slackWebhooks.size(); i++) {
            keys.put(AlertSettings.WEBHOOK_PREFIX + "slack" + (i + 1) + ".url", slackWebhooks.get(i));
            keys.put(AlertSettings.WEBHOOK_PREFIX + "slack" + (i + 1) + ".format", "slack");
        }
        if (groupId != null) {
            keys.put(AlertSettings.GROUP_ID, groupId);
        }
        if (ratePerMinute != null) {
            keys.put(AlertSettings.RATE_PER_MINUTE, ratePerMinute.toString());
        }
        keys.put(AlertSettings.START, fromBeginning ? "earliest" : "latest");
        keys.put(AlertSettings.INCLUDE_USER_TEXT, Boolean.toString(includeUserText));
        AlertSettings settings;
        try {
            settings = AlertSettings.from(keys, topic != null ? topic : ServiceConfig.defaults().get(ServiceConfig.DECISIONS_TOPIC),
                    WireFormat.parse(format));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Properties kafka = ClientProperties.load(bootstrapServers, clientConfig);
        AlertsRunner runner = new AlertsRunner(kafka, settings);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            runner.close();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "noos-alerts-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("alerts: reading " + settings.decisionsTopic() + " at " + bootstrapServers + ", posting to "
                + settings.webhooks().size() + " webhook(s)");
        try {
            runner.run();
        } catch (KafkaException e) {
            throw KafkaErrors.failure(e, "--client-config");
        }
        return 0;
    }
}
