package io.noos.streams.kafka.app;

import io.noos.streams.kafka.serde.RecordSizeLimit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams does with a record the topology's own dead-letter path never saw: one the
 * consumer cannot deserialise, one a processor throws on, one whose output cannot be serialised.
 * Each is logged at WARN (where it was, and the exception) and goes to the dead-letter topic with
 * Kafka's {@code __streams.errors.*} headers, its value cut to fit in a record
 * ({@link RecordSizeLimit#cut}, the stack-trace header dropped first); processing goes on.
 *
 * <p>A record the producer could not write: a dead letter is never dead-lettered again (no
 * recursion); it is logged and counted ({@link RecordSizeLimit#dropped}) and processing goes on, or
 * retried when the error is transient. Any other record (a decision, a state change) fails the stream
 * thread, so nothing is lost silently and repeated failures stop the instance
 * ({@link StreamThreadFailures}); the topology makes only records that fit, so this takes a broker
 * that refuses what its topics' settings, as read at start, allowed.
 *
 * <p>Kafka Streams instantiates this class from {@link StreamsConfig}; the {@link RecordSizeLimit}
 * comes with the configuration under {@link #RECORD_SIZE_LIMIT_CONFIG} (see {@link StreamsProperties}).
 */
public final class StreamsErrorHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsErrorHandler.class);
    /**
     * The Streams configuration key under which the service's {@link RecordSizeLimit} object reaches
     * this handler (not a setting: the service's own {@code noos.*} keys never reach Kafka's clients).
     */
    public static final String RECORD_SIZE_LIMIT_CONFIG = "noos.record.size.limit";

    private String deadLetterTopic;
    private RecordSizeLimit limit;

    @Override
    public void configure(Map<String, ?> configs) {
        String topic = StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG;
        deadLetterTopic = Objects.requireNonNull((String) configs.get(topic), topic);
        Object configured = configs.get(RECORD_SIZE_LIMIT_CONFIG);
        limit = configured instanceof RecordSizeLimit l ? l : RecordSizeLimit.defaults();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        LOG.warn("cannot deserialise the record at {}; dead-lettered, processing goes on", where(context), exception);
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(context, record.key(), record.value(), exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        LOG.warn("processor {} failed on the record at {}; dead-lettered, processing goes on",
                context.processorNodeId(), where(context), exception);
        return ProcessingExceptionHandler.Response.resume(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
                                                                        ProducerRecord record, Exception exception,
                                                                        SerializationExceptionOrigin origin) {
        LOG.warn("cannot serialise the {} of a record for {} made from the record at {}; its input is dead-lettered, "
                + "processing goes on", origin.toString().toLowerCase(Locale.ROOT), record.topic(),
                where(context), exception);
        return ProductionExceptionHandler.Response.resume(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (deadLetterTopic.equals(record.topic())) {
            limit.dropped();
            LOG.warn("a dead letter for the record at {} ({} bytes) could not be written to {}: {}; it is dropped",
                    where(context), RecordSizeLimit.sizeOf(record.key(), record.value(), record.headers()),
                    record.topic(), exception.toString());
            return ProductionExceptionHandler.Response.resume();
        }
        return ProductionExceptionHandler.Response.fail();
    }

    /**
     * The dead letter of a source record, as Kafka Streams' own handlers make it, made to fit: the
     * stack trace goes first, then the value is cut; none when even that does not fit (logged, counted).
     */
    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                            Exception exception) {
        ProducerRecord<byte[], byte[]> letter =
                ExceptionHandlerUtils.buildDeadLetterQueueRecord(deadLetterTopic, key, value, context, exception);
        Headers headers = letter.headers();
        if (limit.fits(key, value, headers)) {
            return List.of(letter);
        }
        Headers fitted = new RecordHeaders();
        headers.forEach(h -> {
            if (!h.key().equals(ExceptionHandlerUtils.HEADER_ERRORS_STACKTRACE_NAME)) {
                fitted.add(h);
            }
        });
        byte[] cut = limit.fits(key, value, fitted) ? value : limit.cut(key, value, fitted);
        if (cut == null) {
            limit.dropped();
            LOG.warn("the dead letter of the record at {} does not fit in a record even without its value ({} bytes "
                    + "of key and headers; {}); it is not written", where(context),
                    RecordSizeLimit.sizeOf(key, null, fitted), limit.boundBy());
            return List.of();
        }
        return List.of(new ProducerRecord<>(deadLetterTopic, null, letter.timestamp(), key, cut, fitted));
    }

    private static String where(ErrorHandlerContext context) {
        return context.topic() == null ? "task " + context.taskId()
                : context.topic() + "-" + context.partition() + "@" + context.offset()
                        + " (task " + context.taskId() + ")";
    }
}
