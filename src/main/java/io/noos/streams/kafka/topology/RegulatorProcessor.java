package io.noos.streams.kafka.topology;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Regulator;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EnvelopeEvent;
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
 * One regulator per user key: decodes the envelope, applies it to the user's state from the store,
 * writes the state back and emits the decision (after every event but tokens). Records that cannot
 * be decided are emitted as dead letters with the reason; processing goes on.
 */
final class RegulatorProcessor implements FixedKeyProcessor<String, byte[], ProcessingOutcome> {
    static final String HEADER_REASON = "noos.dlq.reason";
    static final String HEADER_TOPIC = "noos.dlq.topic";
    static final String HEADER_PARTITION = "noos.dlq.partition";
    static final String HEADER_OFFSET = "noos.dlq.offset";

    private final TopologySettings settings;
    private final EnvelopeCodec codec;
    private FixedKeyProcessorContext<String, ProcessingOutcome> context;
    private KeyValueStore<String, UserState> store;

    RegulatorProcessor(TopologySettings settings) {
        this.settings = settings;
        this.codec = new EnvelopeCodec(settings.inputFormat());
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ProcessingOutcome> context) {
        this.context = context;
        this.store = context.getStateStore(settings.storeName());
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
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
        UserState state = store.get(envelope.userId());
        if (state == null) {
            state = new UserState(newRegulator(envelope.userId()), envelope.sessionId(), 0);
        } else if (settings.resetOnNewSession() && envelope.sessionId() != null
                && !envelope.sessionId().equals(state.sessionId())) {
            // The reference's per-task reset: export, import into a fresh regulator, apply the settings.
            Regulator previous = state.regulator();
            state.replaceRegulator(settings.userSettings().forUser(envelope.userId())
                    .applyTo(Regulator.fromSnapshot(previous.export())));
        }
        if (envelope.sessionId() != null) {
            state.setSessionId(envelope.sessionId());
        }
        Regulator regulator = state.regulator();
        apply(envelope, state, regulator);
        store.put(envelope.userId(), state);
        if (!envelope.event().isTokenLike()) {
            Decision decision = regulator.decide();
            String prelude = decision instanceof Decision.ProceduralWarning ? regulator.correctionsPrelude().orElse(null)
                    : null;
            DecisionRecord out = new DecisionRecord(envelope.userId(), envelope.agentId(), envelope.sessionId(),
                    envelope.eventId(), envelope.event().type(), envelope.atMs(), state.turn(), decision, prelude,
                    regulator.metricsSnapshot());
            context.forward(record.withValue(new ProcessingOutcome.Decided(out)));
        }
    }

    private Regulator newRegulator(String userId) {
        return settings.userSettings().forUser(userId).applyTo(Regulator.forUser(userId));
    }

    private static void apply(EventEnvelope envelope, UserState state, Regulator regulator) {
        long at = envelope.atMs();
        if (envelope.event() instanceof EnvelopeEvent.Single single) {
            if (single.event() instanceof AgentEvent.TurnStart) {
                state.nextTurn();
            }
            regulator.onEvent(single.event(), at);
        } else if (envelope.event() instanceof EnvelopeEvent.TokenBatch batch) {
            for (int i = 0; i < batch.size(); i++) {
                regulator.onEvent(new AgentEvent.Token("", batch.logprob(i), i), at);
            }
        }
    }

    private void deadLetter(FixedKeyRecord<String, byte[]> record, String reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(meta -> addSource(headers, meta));
        context.forward(record.withValue((ProcessingOutcome) new ProcessingOutcome.DeadLettered(record.value(), reason))
                .withHeaders(headers));
    }

    private static void addSource(Headers headers, RecordMetadata meta) {
        headers.add(HEADER_TOPIC, meta.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_PARTITION, Integer.toString(meta.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(meta.offset()).getBytes(StandardCharsets.UTF_8));
    }
}
