package io.noos.streams.cli;

import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.codec.WireFormat;
import io.noos.streams.kafka.topology.ServiceTopic;
import io.noos.streams.logfile.BadLineReport;
import io.noos.streams.clients.ClientProperties;
import io.noos.streams.clients.EnvelopeFileProducer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code produce}: sends a JSON Lines envelope file to the input topic. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {
                "Send a JSON Lines file of envelopes (.gz accepted) to a topic, keyed by user_id, with an "
                        + "idempotent producer (acks=all). Prints the number of records sent.",
                "Each line is parsed as an envelope and re-encoded in --format; a line that is not an envelope "
                        + "is reported on stderr with its line number and not sent. An envelope without event_id "
                        + "gets '<file name>#<line number>' (the file name without a .gz suffix), so replays of one file agree.",
                "With --raw, each line is sent exactly as it is in the file, keyed by its top-level user_id "
                        + "when one can be read (else without key): the way to inject bad input and exercise "
                        + "the dead-letter topic. Blank lines are skipped in both modes.",
                "The cluster must answer within 15 s, else the command stops with an error naming the address; "
                        + "it also stops at the first record that times out (max.block.ms is 30 s unless "
                        + "--client-config sets it).",
                "Exit status: 0 when every record was acknowledged (bad lines are counted, not fatal); 1 when a "
                        + "record was not, the cluster did not answer, or the file has lines but not one envelope; "
                        + "2 for a wrong option or file argument."})
final class ProduceCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster to send to.")
    String bootstrapServers;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSON Lines envelopes, .gz accepted.")
    Path input;

    @Option(names = "--topic",
            description = "Topic to send to (default: ${DEFAULT-VALUE}).")
    String topic = ServiceTopic.AGENT_EVENTS.defaultName();

    @Option(names = "--raw", description = "Send each line verbatim, without parsing or re-encoding it.")
    boolean raw;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|avro",
            description = "Encoding of the record values, as the service's --input-format (default: ${DEFAULT-VALUE}); "
                    + "ignored with --raw.")
    String format;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Properties file of Kafka client settings (security, TLS, SASL).")
    Path clientConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WireFormat wireFormat = parseFormat();
        CliFiles.requireInputFile(spec, "--input", input);
        if (clientConfig != null) {
            CliFiles.requireInputFile(spec, "--client-config", clientConfig);
        }
        try {
            return send(wireFormat);
        } catch (KafkaException e) {
            throw KafkaErrors.failure(e, "--client-config");
        }
    }

    private WireFormat parseFormat() {
        try {
            return WireFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be json or avro: " + format);
        }
    }

    private int send(WireFormat wireFormat) throws IOException {
        EnvelopeFileProducer.Result result;
        BadLineReport report = new BadLineReport(System.err, input);
        try (EnvelopeFileProducer producer =
                     new EnvelopeFileProducer(ClientProperties.load(bootstrapServers, clientConfig), topic)) {
            if (raw) {
                result = producer.sendRawLines(input);
            } else {
                result = producer.sendEnvelopes(input, new EnvelopeCodec(wireFormat), report::report);
            }
            if (result.failed() > 0) {
                System.err.println(result.failed() + " records were not acknowledged; first error: "
                        + producer.firstFailure());
            }
        }
        if (result.sent() == 0 && result.failed() == 0 && result.badLines() > 0) {
            throw new CommandFailedException(report.noEnvelopeError(result.badLines(), "nothing was sent"));
        }
        StringBuilder line = new StringBuilder("sent ").append(result.sent()).append(" records to ").append(topic)
                .append(raw ? " (raw lines" : " (" + wireFormat.name().toLowerCase(Locale.ROOT));
        if (raw) {
            line.append(", ").append(result.unkeyed()).append(" without key");
        } else {
            line.append(", bad lines skipped: ").append(result.badLines());
        }
        if (result.blankLines() > 0) {
            line.append(", blank lines: ").append(result.blankLines());
        }
        if (result.failed() > 0) {
            line.append(", FAILED: ").append(result.failed());
        }
        System.out.println(line.append(')'));
        return result.failed() > 0 ? 1 : 0;
    }
}
