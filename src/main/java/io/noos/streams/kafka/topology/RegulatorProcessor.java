package io.noos.streams.kafka.topology;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.kafka.serde.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One regulator per user key: decodes the envelope, applies it to the user's state from the store
 * ({@link UserDecider}), writes the state back and emits the decision (after every event but tokens). Records that cannot
 * be decided are emitted as dead letters with the reason; processing goes on.
 */
final class RegulatorProcessor implements FixedKeyProcessor<String, byte[], ProcessingOutcome> {
    static final String HEADER_REASON = "noos.dlq.reason";
    static final String HEADER_TOPIC = "noos.dlq.topic";
    static final String HEADER_PARTITION = "noos.dlq.partition";
    static final String HEADER_OFFSET = "noos.dlq.offset";

    private final TopologySettings settings;
    private final EnvelopeCodec codec;
    private final UserDecider decider;
    private final ProcessingObserver observer;
    private FixedKeyProcessorContext<String, ProcessingOutcome> context;
    private KeyValueStore<String, UserState> store;

    RegulatorProcessor(TopologySettings settings, ProcessingObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.codec = new EnvelopeCodec(settings.inputFormat());
        this.decider = new UserDecider(settings);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ProcessingOutcome> context) {
        this.context = context;
        this.store = context.getStateStore(settings.storeName());
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        long start = System.nanoTime();
        try {
            decide(record);
        } finally {
            observer.processed(System.nanoTime() - start);
        }
    }

    private void decide(FixedKeyRecord<String, byte[]> record) {
        EventEnvelope envelope;
        try {
            envelope = codec.decode(record.value());
        } catch (InvalidEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        if (record.key() == null || !record.key().equals(envelope.userId())) {
            deadLetter(record, "record key " + (record.key() == null ? "is missing" : "does not match user_id")
                    + "; agent-events must be keyed by user_id");
            return;
        }
        UserDecider.Outcome outcome = decider.apply(store.get(envelope.userId()), envelope);
        store.put(envelope.userId(), outcome.state());
        if (outcome.duplicate()) {
            observer.duplicate();
        }
        if (outcome.decision() != null) {
            observer.decided(outcome.decision().decision());
            context.forward(record.withValue(new ProcessingOutcome.Decided(outcome.decision())));
        }
    }

    private void deadLetter(FixedKeyRecord<String, byte[]> record, String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(meta -> addSource(headers, meta));
        observer.deadLettered();
        context.forward(record.withValue((ProcessingOutcome) new ProcessingOutcome.DeadLettered(record.value(), reason))
                .withHeaders(headers));
    }

    private static void addSource(Headers headers, RecordMetadata meta) {
        headers.add(HEADER_TOPIC, meta.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_PARTITION, Integer.toString(meta.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(meta.offset()).getBytes(StandardCharsets.UTF_8));
    }
}
