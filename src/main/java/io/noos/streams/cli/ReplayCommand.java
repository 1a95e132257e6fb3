package io.noos.streams.cli;

import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.otel.ingest.IngestOptions;
import io.noos.streams.policy.InvalidPolicyException;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.logfile.BadLineReport;
import io.noos.streams.replay.KafkaReplay;
import io.noos.streams.replay.ReplaySummary;
import io.noos.streams.replay.report.HtmlReport;
import io.noos.streams.replay.report.ReplayProgress;
import io.noos.streams.replay.report.ReplayReport;
import io.noos.streams.replay.report.ReportJson;
import io.noos.streams.replay.report.ReportText;
import io.noos.streams.replay.report.SummarizedReplay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code replay}: decides a recorded envelope log offline or through a real Kafka. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
                "Replay a JSON Lines file of envelopes (.gz accepted) and write each decision record as a JSON line.",
                "--offline: no broker; the events go, in file order, through the service's per-user rules with "
                        + "one regulator per user in memory; decisions are written in file order.",
                "--via-kafka: starts a Kafka broker in this process, runs the real service on it (fresh application "
                        + "id, temporary state), produces the file and reads the decisions back (read_committed) "
                        + "until there is one per non-token event or --idle-timeout passes; decisions are written "
                        + "sorted by user, each user's in the order of their events.",
                "Event ids missing from the file are derived as '<file name>#<line number>' in both modes, so the "
                        + "two outputs can be compared per user. Lines that are not envelopes are reported on stderr "
                        + "and counted. The service options below tune the regulator as for 'run'; "
                        + "--bootstrap-servers, --application-id and --state-dir do not apply.",
                "At the end a summary is printed: decisions and turns by kind and by circuit-break reason, halts per "
                        + "user, a histogram of each turn's drift score and a threshold sweep (turns that would warn "
                        + "at 0.30, 0.35, ..., 0.90, each turn once). A turn is a (user, turn index) pair of the "
                        + "decision records; its drift score is the largest drift the regulator evaluated in it at any "
                        + "threshold (as a replay at threshold 0.0 shows it), so a turn warns at t exactly when its "
                        + "score is >= t. --summary writes the summary as JSON, --report as a self-contained HTML page. "
                        + "Progress goes to stderr: a bar on a terminal, else a line every 5 s.",
                "--to-topic: produce the file into a running cluster's input topic (--bootstrap-servers, --topic) "
                        + "instead of deciding here, as 'produce' does; a missing topic is created as the service "
                        + "creates its input topic. To decide the log there, run the service under a NEW application "
                        + "id, e.g. 'run --bootstrap-servers B --application-id noos-replay-$(date +%%Y%%m%%d)': a new "
                        + "application id has no committed offsets, so it reads the whole input topic from the "
                        + "earliest offset (auto.offset.reset=earliest) with fresh per-user state. Its decisions go to "
                        + "noos.decisions.topic: set another one for the replay (NOOS_DECISIONS_TOPIC=... or "
                        + "--config-file). Prefer a dedicated topic (--topic agent-events-replay, and "
                        + "NOOS_INPUT_TOPIC=agent-events-replay for the run): a service already reading the topic you "
                        + "produce to decides the replayed events too, in its live users' state.",
                "Exit status: 0; 1 when decisions are missing (--via-kafka), records were not acknowledged or the "
                        + "cluster did not answer within 15 s (--to-topic), the input cannot be read to its end (a "
                        + "truncated .gz) or has lines but not one envelope; 2 for a wrong option or file argument "
                        + "(--input missing or a directory, an --output that cannot be created). A replay that "
                        + "fails leaves no --output behind: the partial file is removed."})
final class ReplayCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--offline", required = true, description = "Replay in this process, without Kafka.")
        boolean offline;

        @Option(names = "--via-kafka", required = true, description = "Replay through the real service on an in-process broker.")
        boolean viaKafka;

        @Option(names = "--to-topic", required = true,
                description = "Produce the file into a running cluster's input topic; the service there decides.")
        boolean toTopic;
    }

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "JSON Lines envelopes, .gz accepted. With --log-format spans: span and log record files, "
                    + "repeatable (spans and their log records may be in different files).")
    List<Path> inputs;

    @Option(names = "--output", paramLabel = "FILE",
            description = "JSON Lines decision records (created or truncated; .gz compresses); "
                    + "required with --offline and --via-kafka.")
    Path output;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "--via-kafka: stop waiting after this many seconds without a new decision "
                    + "(default: ${DEFAULT-VALUE}).")
    double idleTimeoutSeconds;

    // Summary, report and progress (--offline, --via-kafka).
    @Option(names = "--summary", paramLabel = "FILE", description = "Also write the replay summary as JSON.")
    Path summaryFile;

    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write the summary as a self-contained HTML page (inline CSS and SVG charts, no scripts, "
                    + "no network).")
    Path reportFile;

    @Option(names = "--no-progress", description = "Show no progress on stderr.")
    boolean noProgress;

    @Option(names = "--policies", paramLabel = "FILE",
            description = "--offline: per-user, per-agent and default policies, JSON Lines of "
                    + "{\"key\": \"<user id>|*|agent:<agent_id>\", \"policy\": {...} or null}, applied in file order "
                    + "before the first event (as the service applies the policies topic).")
    Path policiesFile;

    // --to-topic.
    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "--to-topic: topic to produce to (default: the service's input topic, noos.input.topic, "
                    + "agent-events unless configured).")
    String topic;

    @Option(names = "--log-format", defaultValue = "envelopes", paramLabel = "envelopes|spans",
            description = "What --input holds: agent-events envelopes (default) or OpenTelemetry GenAI spans and log "
                    + "records: OTLP/JSON (resourceSpans/resourceLogs, as a Collector's file exporter or protobuf's "
                    + "MessageToJson writes them), the Python SDK's to_json() (pretty-printed), or the SDK dict form; "
                    + "older event-based and current semantic conventions, openllmetry's attributes. A turn is a "
                    + "user's new question, wherever the spans put it.")
    String logFormat;

    @Option(names = "--user-attribute", paramLabel = "ATTR",
            description = "spans: attribute naming the user (default user.id, then enduser.id); repeatable, in order.")
    List<String> userAttributes;

    @Option(names = "--default-user", paramLabel = "USER",
            description = "spans: user for spans without a user attribute (default: such spans are skipped and counted).")
    String defaultUser;

    @Option(names = "--conversation-attribute", paramLabel = "ATTR",
            description = "spans: attribute naming the conversation (default gen_ai.conversation.id); repeatable, in "
                    + "order. A conversation is one session.")
    List<String> conversationAttributes;

    @Option(names = "--session-per-trace",
            description = "spans: spans without a conversation id form one conversation and session per trace "
                    + "(default: they continue their user's conversation, without a session id, so the per-session "
                    + "reset does not clear the user's state on every question).")
    boolean sessionPerTrace;

    @Option(names = "--empty-turn-starts",
            description = "spans: a turn without any user message (content capture off) starts with an empty "
                    + "turn_start, so its tool history resets (default: no turn_start).")
    boolean emptyTurnStarts;

    @Mixin
    ServiceOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!logFormat.equals("envelopes") && !logFormat.equals("spans")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--log-format must be envelopes or spans, got " + logFormat);
        }
        if (mode.toTopic) {
            checkToTopicOptions();
        } else {
            checkReplayOptions();
        }
        if (!logFormat.equals("spans")) {
            checkEnvelopeLogOptions();
        }
        for (Path input : inputs) {
            CliFiles.requireInputFile(spec, "--input", input);
        }
        if (policiesFile != null) {
            CliFiles.requireInputFile(spec, "--policies", policiesFile);
        }
        CliFiles.requireOutputFile(spec, "--output", output);
        CliFiles.requireOutputFile(spec, "--summary", summaryFile);
        CliFiles.requireOutputFile(spec, "--report", reportFile);
        PolicyBook policies = null;
        if (policiesFile != null) {
            try {
                policies = PolicyBook.readJsonLines(policiesFile);
            } catch (InvalidPolicyException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--policies: " + e.getMessage());
            }
        }
        ServiceConfig config = options.load();
        SpanLogConversion.Converted spans = logFormat.equals("spans")
                ? SpanLogConversion.toEnvelopeFile(inputs, ingestOptions(), System.err) : null;
        Path envelopes = spans != null ? spans.envelopes() : inputs.get(0);
        return mode.toTopic ? toTopic(config, envelopes) : replay(config, policies, envelopes, spans);
    }

    /** The span options make no sense for an envelope log, which is also one file. */
    private void checkEnvelopeLogOptions() {
        if (inputs.size() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "several --input files need --log-format spans; an envelope log is one file");
        }
        if (userAttributes != null || defaultUser != null || conversationAttributes != null || sessionPerTrace
                || emptyTurnStarts) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--user-attribute, --default-user, "
                    + "--conversation-attribute, --session-per-trace and --empty-turn-starts apply to --log-format "
                    + "spans only");
        }
    }

    private IngestOptions ingestOptions() {
        IngestOptions ingest = IngestOptions.defaults().withSessionPerTrace(sessionPerTrace)
                .withEmptyTurnStartWithoutInput(emptyTurnStarts);
        try {
            if (defaultUser != null) {
                ingest = ingest.withDefaultUser(defaultUser);
            }
            if (userAttributes != null && !userAttributes.isEmpty()) {
                ingest = ingest.withUserAttributes(userAttributes);
            }
            if (conversationAttributes != null && !conversationAttributes.isEmpty()) {
                ingest = ingest.withConversationAttributes(conversationAttributes);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return ingest;
    }

    private void checkReplayOptions() {
        if (options.bootstrapServers != null || options.applicationId != null || options.stateDir != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "replay runs on its own: "
                    + "--bootstrap-servers, --application-id and --state-dir cannot be used with it");
        }
        if (output == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--output is required with --offline and --via-kafka");
        }
        if (topic != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--topic applies to --to-topic only");
        }
        if (!(idleTimeoutSeconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle-timeout must be positive");
        }
        if (policiesFile != null && !mode.offline) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--policies applies to --offline only");
        }
    }

    private void checkToTopicOptions() {
        if (options.bootstrapServers == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to-topic needs --bootstrap-servers");
        }
        if (options.applicationId != null || options.stateDir != null || output != null || summaryFile != null
                || reportFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to-topic only produces: --output, "
                    + "--summary, --report, --application-id and --state-dir do not apply (the service decides)");
        }
        if (policiesFile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--policies applies to --offline only");
        }
    }

    /**
     * {@code --offline} and {@code --via-kafka}. A replay that fails, or finds not one envelope in a
     * file that has lines, leaves no {@code --output} behind: a file there is always a whole replay.
     */
    private int replay(ServiceConfig config, PolicyBook policies, Path envelopes, SpanLogConversion.Converted spans)
            throws Exception {
        BadLineReport report = new BadLineReport(System.err, inputs.get(0));
        ReplayProgress progress = ReplayProgress.onStandardError(!noProgress);
        SummarizedReplay.Result result;
        try {
            result = mode.offline
                    ? SummarizedReplay.offline(config, policies, envelopes, output, report::report, progress)
                    : SummarizedReplay.viaKafka(config, Duration.ofMillis(Math.round(idleTimeoutSeconds * 1000)),
                            envelopes, output, report::report, progress);
        } catch (IOException e) {
            throw new CommandFailedException(CliFiles.describe(e) + "; " + (removeOutput()
                    ? "the partial output " + output + " was removed" : "no output was written"));
        } catch (RuntimeException | InterruptedException e) {
            removeOutput();
            throw e;
        }
        ReplaySummary summary = result.summary();
        if (summary.eventsRead() == 0 && summary.badLines() > 0) {
            removeOutput();
            throw new CommandFailedException(report.noEnvelopeError(summary.badLines(),
                    "nothing was replayed and no output was written"));
        }
        ReplayReport replayReport = spans == null ? result.report()
                : result.report().withSpanIngest(spans.report().inputNames(), spans.report());
        System.out.println((mode.offline ? "offline" : "via kafka") + " replay: " + summary.describe());
        System.out.print(ReportText.format(replayReport));
        if (summaryFile != null) {
            ReportJson.write(replayReport, summaryFile);
            System.out.println("summary written to " + summaryFile);
        }
        if (reportFile != null) {
            HtmlReport.write(replayReport, reportFile);
            System.out.println("report written to " + reportFile);
        }
        return summary.decisionsMissing() > 0 ? 1 : 0;
    }

    /** Removes the output of a replay that failed; true when there was one. */
    private boolean removeOutput() throws IOException {
        return Files.deleteIfExists(output);
    }

    /** {@code --to-topic}: produce the file to a running cluster instead of deciding here. */
    private int toTopic(ServiceConfig config, Path envelopes) throws Exception {
        String target = topic != null ? topic : config.get(ServiceConfig.INPUT_TOPIC);
        Properties client = config.kafkaProperties();   // bootstrap servers and client settings (TLS, SASL)
        client.remove(ServiceConfig.APPLICATION_ID);
        client.remove(ServiceConfig.STATE_DIR);
        client.remove(ServiceConfig.PROCESSING_GUARANTEE);
        BadLineReport report = new BadLineReport(System.err, inputs.get(0));
        KafkaReplay.ToTopicResult result;
        try {
            result = KafkaReplay.toTopic(client, config, target, envelopes, report::report);
        } catch (KafkaException e) {
            throw KafkaErrors.failure(e, "--config-file");
        } catch (IllegalStateException e) {   // the topic could not be created
            throw new CommandFailedException(e.getMessage());
        }
        var sent = result.produced();
        if (sent.sent() == 0 && sent.failed() == 0 && sent.badLines() > 0) {
            throw new CommandFailedException(report.noEnvelopeError(sent.badLines(), "nothing was sent"));
        }
        System.out.println("sent " + sent.sent() + " records to " + target + (result.topicCreated() ? " (created)" : "")
                + ": " + sent.decisionEvents() + " will get a decision; bad lines skipped: " + sent.badLines()
                + (sent.failed() > 0 ? ", FAILED: " + sent.failed() + " (first error: " + result.firstFailure() + ")" : ""));
        System.out.println("to decide them: run --bootstrap-servers " + options.bootstrapServers
                + " --application-id noos-replay-<date> (with noos.input.topic=" + target
                + "; a new application id reads the topic from the earliest offset)");
        return sent.failed() > 0 ? 1 : 0;
    }
}
