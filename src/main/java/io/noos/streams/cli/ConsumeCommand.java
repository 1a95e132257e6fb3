package io.noos.streams.cli;

import io.noos.streams.clients.ClientProperties;
import io.noos.streams.clients.TopicToJsonLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code consume}: dumps a topic (decisions, dead letters) to a JSON Lines file. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {
                "Write the committed records of a topic to a JSON Lines file (read_committed; a fresh random "
                        + "group id that commits nothing), until no record arrives for --idle-timeout seconds. "
                        + "Prints the number of records written.",
                "A value that is a JSON object (a decision record) is written as it is. Any other value "
                        + "(dead letters can be any bytes), or every value with --envelope, is written as "
                        + "{\"key\",\"value\",\"headers\":{name:value},\"topic\",\"partition\",\"offset\"}; "
                        + "bytes that are not UTF-8 go base64-encoded under key_base64 / value_base64 / "
                        + "headers_base64. Use --envelope on the dead-letter topic to see the reason header "
                        + "(noos.dlq.reason) of dead letters that are JSON objects.",
                "The cluster must answer within 15 s, else the command stops with an error naming the address.",
                "Exit status: 0 when the records were written; 1 when the cluster did not answer or the topic does "
                        + "not exist; 2 for a wrong option or file argument."})
final class ConsumeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster to read from.")
    String bootstrapServers;

    @Option(names = "--topic", required = true, description = "Topic to read, e.g. regulator-decisions or regulator-dlq.")
    String topic;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "JSON Lines file to write (created or truncated; .gz compresses).")
    Path output;

    @Option(names = "--idle-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Stop after this many seconds without a new record (default: ${DEFAULT-VALUE}).")
    double idleTimeoutSeconds;

    @Option(names = "--from-beginning", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
            description = "Start at the earliest offsets (default); --no-from-beginning reads only new records.")
    boolean fromBeginning;

    @Option(names = "--envelope", description = "Wrap every record, even values that are JSON objects.")
    boolean envelope;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Properties file of Kafka client settings (security, TLS, SASL).")
    Path clientConfig;

    @Override
    public Integer call() throws Exception {
        if (!(idleTimeoutSeconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idle-timeout must be positive");
        }
        CliFiles.requireOutputFile(spec, "--output", output);
        if (clientConfig != null) {
            CliFiles.requireInputFile(spec, "--client-config", clientConfig);
        }
        TopicToJsonLines dump = new TopicToJsonLines(ClientProperties.load(bootstrapServers, clientConfig));
        TopicToJsonLines.Result result;
        try {
            result = dump.dump(topic, fromBeginning, Duration.ofMillis(Math.round(idleTimeoutSeconds * 1000)),
                    output, envelope);
        } catch (IllegalArgumentException e) {   // no such topic
            throw new CommandFailedException(e.getMessage() + " at " + bootstrapServers);
        } catch (KafkaException e) {
            throw KafkaErrors.failure(e, "--client-config");
        }
        System.out.println("consumed " + result.records() + " records from " + topic + " into " + output
                + " (" + result.wrapped() + " wrapped)");
        return 0;
    }
}
