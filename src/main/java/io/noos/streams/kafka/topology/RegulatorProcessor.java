package io.noos.streams.kafka.topology;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.decide.UserState;
import io.noos.streams.fleet.FleetView;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.kafka.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

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
    private ProcessorContext<String, ProcessingOutcome> context;
    private ObjectStore<String, UserState> store;
    private ObjectStore<String, byte[]> latestDecisions;
    private FleetStatsCollector fleetStats;

    RegulatorProcessor(TopologySettings settings, UserSettingsSource userSettings, FleetView fleet,
                       ProcessingObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.codec = new EnvelopeCodec(settings.inputFormat());
        this.decider = new UserDecider(settings.decider().withUserSettings(userSettings), fleet);
    }

    @Override
    public void init(ProcessorContext<String, ProcessingOutcome> context) {
        this.context = context;
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
     * Applies the event to the user's state. The store keeps states as objects and the decider
     * changes them in place, so a failure half-way leaves the object half-changed: it is forgotten,
     * and the next event reads the state of the last commit, unless the user has changes since that
     * commit, which only the object holds. Then no state before this event exists any more, and the
     * stream thread fails ({@link StateLostError}) to restart the task from its last commit.
     */
    private UserDecider.Outcome apply(String user, EventEnvelope envelope) {
        UserState state = store.get(user);
        try {
            return decider.apply(state, envelope);
        } catch (RuntimeException e) {
            if (state != null && !store.forget(user)) {
                throw new StateLostError("applying an event of a user changed since the last commit failed half-way: "
                        + e, e);
            }
            throw e;
        }
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
