package io.noos.streams.kafka.topology;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.decide.UserState;
import io.noos.streams.fleet.FleetView;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.codec.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One regulator per user key: decodes the envelope, applies it to the user's state from the store
 * ({@link UserDecider}, with the user's effective settings and what the instance knows of the
 * fleet's spend), writes the state back and emits the decision (after every event but tokens),
 * which is also kept as the user's latest. Records that cannot be decided, and envelopes whose
 * {@code at_ms} is too far ahead of this instance's clock ({@link EventTimeBound}), are emitted as
 * dead letters with the reason; processing goes on. Every record is counted into the task's fleet
 * partials ({@link FleetStatsCollector}), which this processor's punctuator emits keyed by window.
 * Everything is written with the input record's timestamp ({@link RecordTimestampExtractor}),
 * never with {@code at_ms}.
 */
final class RegulatorProcessor implements Processor<String, byte[], String, ProcessingOutcome> {
    static final String HEADER_REASON = "noos.dlq.reason";
    static final String HEADER_TOPIC = "noos.dlq.topic";
    static final String HEADER_PARTITION = "noos.dlq.partition";
    static final String HEADER_OFFSET = "noos.dlq.offset";

    private final TopologySettings settings;
    private final EnvelopeCodec codec;
    private final UserDecider decider;
    private final ProcessingObserver observer;
    private final LiveUserStates live;
    private ProcessorContext<String, ProcessingOutcome> context;
    private KeyValueStore<String, UserState> store;
    private KeyValueStore<String, byte[]> latestDecisions;
    private FleetStatsCollector fleetStats;

    RegulatorProcessor(TopologySettings settings, UserSettingsSource userSettings, FleetView fleet,
                       ProcessingObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.live = new LiveUserStates(LiveUserStates.DEFAULT_CAPACITY);
        this.codec = new EnvelopeCodec(settings.inputFormat());
        this.decider = new UserDecider(settings.decider().withUserSettings(userSettings), fleet);
    }

    @Override
    public void init(ProcessorContext<String, ProcessingOutcome> context) {
        this.context = context;
        live.clear();   // (re)initialised after a restore: the store is the truth
        this.store = context.getStateStore(settings.userStateStore());
        this.latestDecisions = context.getStateStore(ServiceStore.LATEST_DECISION.storeName());
        this.fleetStats = new FleetStatsCollector(settings.fleetStats(), context,
                context.getStateStore(ServiceStore.FLEET_PARTIALS.storeName()),
                context.getStateStore(ServiceStore.FLEET_USER_TOKENS.storeName()));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        long start = System.nanoTime();
        try {
            decide(record);
        } finally {
            observer.processed(System.nanoTime() - start);
        }
    }

    private void decide(Record<String, byte[]> record) {
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
        String implausibleTime = settings.eventTime().refusal(envelope.atMs(), context.currentSystemTimeMs());
        if (implausibleTime != null) {
            deadLetter(record, implausibleTime);
            return;
        }
        String user = envelope.userId();
        UserDecider.Outcome outcome = apply(user, envelope);
        if (outcome.duplicate()) {
            observer.duplicate();
        } else {
            store.put(user, outcome.state());
        }
        fleetStats.count(envelope, outcome);
        if (outcome.decision() != null) {
            observer.decided(outcome.decision().decision());
            byte[] json = DecisionRecordJson.toBytes(outcome.decision());
            latestDecisions.put(user, json);
            context.forward(record.withValue(new ProcessingOutcome.Decided(outcome.decision(), json)));
        }
    }

    /**
     * Applies the event to the user's state, taken from the live objects when this processor has
     * it (it wrote every later version to the store itself), else read from the store. If applying
     * fails half-way, the live object is dropped so the next event starts from the stored state.
     */
    private UserDecider.Outcome apply(String user, EventEnvelope envelope) {
        UserState state = live.get(user);
        if (state == null) {
            state = store.get(user);
        }
        try {
            UserDecider.Outcome outcome = decider.apply(state, envelope);
            live.put(user, outcome.state());
            return outcome;
        } catch (RuntimeException e) {
            live.remove(user);
            throw e;
        }
    }

    @Override
    public void close() {
        live.clear();
    }

    private void deadLetter(Record<String, byte[]> record, String reason) {
        fleetStats.countDeadLetter(record.timestamp());
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
