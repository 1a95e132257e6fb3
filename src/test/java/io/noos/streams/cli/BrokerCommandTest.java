package io.noos.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerCommandTest {
    @Test
    void brokerPropertiesAreCollectedInOrderAndTheDefaultsStayEmpty() {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs("--port", "0",
                "--broker-property", "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000",
                "--broker-property", "log.retention.hours=1");
        assertEquals(Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
                "log.retention.hours", "1"), command.brokerProperties);
        assertEquals(java.util.List.of("transaction.abort.timed.out.transaction.cleanup.interval.ms",
                "log.retention.hours"), java.util.List.copyOf(command.brokerProperties.keySet()));

        BrokerCommand plain = new BrokerCommand();
        new CommandLine(plain).parseArgs("--port", "9092");
        assertEquals(Map.of(), plain.brokerProperties);
    }
}
