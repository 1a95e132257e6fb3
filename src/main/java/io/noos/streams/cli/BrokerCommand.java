package io.noos.streams.cli;

import io.noos.streams.kafka.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code broker}: a local single-node Kafka broker (KRaft, broker and controller in this process)
 * on 127.0.0.1, for development and demos. Runs until SIGTERM or SIGINT.
 */
@Command(name = "broker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run a single-node Kafka broker (KRaft, in this process) on 127.0.0.1 until SIGTERM/SIGINT. "
                + "Prints 'broker ready bootstrap.servers=127.0.0.1:<port>' once clients can connect.")
public final class BrokerCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
            description = "Client port on 127.0.0.1; 0 picks a free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Data directory, formatted on first use and reused afterwards "
                    + "(default: a temporary directory deleted on exit).")
    Path dir;

    @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
            description = "A broker setting (server.properties key), applied over the defaults; repeatable. "
                    + "For instance transaction.abort.timed.out.transaction.cleanup.interval.ms=1000.")
    Map<String, String> brokerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be in [0, 65535]: " + port);
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withPort(port).withDataDir(dir)
                    .withBrokerProperties(brokerProperties));
        } catch (KafkaException e) {
            // The message names the cause (a port in use, an unusable dir); Kafka logs the details.
            System.err.println("broker: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } finally {
                stopped.countDown();
            }
        }, "broker-shutdown"));
        System.out.println("broker ready bootstrap.servers=" + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
