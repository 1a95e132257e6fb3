package io.noos.streams.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The shipped {@code logback.xml} (the tests run with it) drops the known-harmless messages and
 * nothing else: the same text from another logger, and the same loggers' other warnings, still
 * reach the log.
 */
class SilenceMessagesTest {
    private static final String OFFSET_FETCHER = "org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils";
    private static final String STREAMS_CONFIG = "org.apache.kafka.streams.StreamsConfig";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

    @BeforeEach
    void capture() {
        seen.setContext(context);
        seen.start();
        root.addAppender(seen);
    }

    @AfterEach
    void release() {
        root.detachAppender(seen);
        seen.stop();
    }

    private List<String> messages(String logger) {
        synchronized (seen) {
            return seen.list.stream().filter(e -> e.getLoggerName().equals(logger)).map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    @Test
    void kafkasOwnGlobalThreadNoticeIsDroppedOtherStreamsConfigWarningsAreNot() {
        // Kafka Streams logs the notice for any configuration without the setting: the real text.
        new StreamsConfig(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "silence-test",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"));
        LoggerFactory.getLogger(STREAMS_CONFIG).warn("Configuration parameter `{}` is deprecated", "x");
        assertEquals(List.of("Configuration parameter `x` is deprecated"), messages(STREAMS_CONFIG));
    }

    @Test
    void theFailedThreadRepeatsAreDroppedItsOtherErrorsAreNot() {
        String kafkaStreams = "org.apache.kafka.streams.KafkaStreams";
        LoggerFactory.getLogger(kafkaStreams).error("stream-client [c] Replacing thread in the streams uncaught "
                + "exception handler", new IllegalStateException("x"));
        LoggerFactory.getLogger(kafkaStreams).error("stream-client [c] Encountered the following exception during "
                + "processing and the registered exception handler opted to {}. The streams client is going to shut "
                + "down now.", "SHUTDOWN_CLIENT");
        LoggerFactory.getLogger(kafkaStreams).error("stream-client [c] State transition from {} to {}", "A", "B");
        assertEquals(List.of("stream-client [c] State transition from A to B"), messages(kafkaStreams));
    }

    @Test
    void oneFilterHoldsEveryMessageSoLevelChecksStayDirect() {
        // logback copies its list of turbo filters on every level check when it holds more than one
        assertEquals(1, context.getTurboFilterList().size());
        SilenceMessages filter = (SilenceMessages) context.getTurboFilterList().get(0);
        assertTrue(filter.isStarted());
        assertEquals(6, filter.silencedCount());
    }

    @Test
    void theUnassignedPartitionNoticeIsDroppedOnlyFromItsLogger() {
        String harmless = "[Consumer clientId=c-global-consumer, groupId=null] Not updating last stable offset for "
                + "partition {} as it is no longer assigned";
        String real = "[Consumer clientId=c-global-consumer, groupId=null] Received unknown topic or partition error "
                + "in ListOffset request for partition {}";
        LoggerFactory.getLogger(OFFSET_FETCHER).warn(harmless, "regulator-policies-0");
        LoggerFactory.getLogger(OFFSET_FETCHER).warn("[Consumer clientId=c-global-consumer, groupId=null] Not updating "
                + "high watermark for partition {} as it is no longer assigned", "regulator-policies-1");
        LoggerFactory.getLogger(OFFSET_FETCHER).warn(real, "regulator-policies-0");
        LoggerFactory.getLogger("org.apache.kafka.clients.consumer.internals.Fetcher").warn(harmless, "t-0");
        assertEquals(List.of("[Consumer clientId=c-global-consumer, groupId=null] Received unknown topic or partition "
                + "error in ListOffset request for partition regulator-policies-0"), messages(OFFSET_FETCHER));
        assertTrue(messages("org.apache.kafka.clients.consumer.internals.Fetcher").get(0).contains("Not updating"));
    }
}
