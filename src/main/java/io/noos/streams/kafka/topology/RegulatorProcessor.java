package io.noos.streams.kafka.topology;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Utf8;
import io.noos.streams.decide.UserDecider;
import io.noos.streams.decide.UserSettingsSource;
import io.noos.streams.decide.UserState;
import io.noos.streams.detect.AgentSpendView;
import io.noos.streams.fleet.FleetView;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.DecisionRecordJson;
import io.noos.streams.codec.EnvelopeCodec;
import io.noos.streams.kafka.serde.RecordSizeLimit;
import io.noos.streams.kafka.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One regulator per user key: decodes the envelope, applies it to the user's state from the store
 * ({@link UserDecider}, with the user's effective settings and what the instance knows of the
 * fleet's spend), writes the state back and emits the decision (after every event but tokens),
 * which is also kept as the user's latest. Records that cannot be decided (a key that is not the
 * envelope's {@code user_id} in UTF-8 included), envelopes whose {@code at_ms} is too far ahead of
 * this instance's clock ({@link EventTimeBound}), and events whose decision record or whose user's
 * new state would not fit in a record ({@link RecordSizeLimit}; such an event is not applied) are
 * emitted as dead letters with the reason; processing goes on. Every record is counted into the
 * task's fleet partials ({@link FleetStatsCollector}), which this processor's punctuator emits keyed
 * by window. What a cost event adds to its agent's total under an agent-wide budget is emitted keyed
 * by agent, to be counted ({@link AgentSpendCounter}); the agents' totals as published come back
 * through {@code agentSpend}.
 * Everything is written with the input record's timestamp ({@link RecordTimestampExtractor}),
 * never with {@code at_ms}.
 */
final class RegulatorProcessor implements Processor<byte[], byte[], String, ProcessingOutcome> {
    private static final Logger LOG = LoggerFactory.getLogger(RegulatorProcessor.class);
    static final String HEADER_REASON = "noos.dlq.reason";
    static final String HEADER_TOPIC = "noos.dlq.topic";
    static final String HEADER_PARTITION = "noos.dlq.partition";
    static final String HEADER_OFFSET = "noos.dlq.offset";

    private final TopologySettings settings;
    private final EnvelopeCodec codec;
    private final UserDecider decider;
    private final ProcessingObserver observer;
    private final LiveUserStates live;
    private final RecordSizeLimit limit;
    private ProcessorContext<String, ProcessingOutcome> context;
    private KeyValueStore<String, UserState> store;
    private ObjectStore<String, byte[]> latestDecisions;
    private FleetStatsCollector fleetStats;

    RegulatorProcessor(TopologySettings settings, UserSettingsSource userSettings, FleetView fleet,
                       AgentSpendView agentSpend, ProcessingObserver observer) {
        this.settings = settings;
        this.observer = observer;
        this.live = new LiveUserStates(LiveUserStates.DEFAULT_CAPACITY);
        this.limit = settings.recordSizeLimit();
        this.codec = new EnvelopeCodec(settings.inputFormat());
        this.decider = new UserDecider(settings.decider().withUserSettings(userSettings), fleet, agentSpend);
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
    public void process(Record<byte[], byte[]> record) {
        long start = System.nanoTime();
        try {
            decide(record);
        } finally {
            observer.processed(System.nanoTime() - start);
        }
    }

    private void decide(Record<byte[], byte[]> record) {
        EventEnvelope envelope;
        try {
            envelope = codec.decode(record.value());
        } catch (InvalidEventException e) {
            deadLetter(record, e.getMessage());
            return;
        }
        String wrongKey = keyProblem(record.key(), envelope.userId());
        if (wrongKey != null) {
            deadLetter(record, wrongKey);
            return;
        }
        String implausibleTime = settings.eventTime().refusal(envelope.atMs(), context.currentSystemTimeMs());
        if (implausibleTime != null) {
            deadLetter(record, implausibleTime);
            return;
        }
        String user = envelope.userId();
        UserDecider.Outcome outcome = apply(user, envelope);
        // Applied only when what it makes fits in a record: its decision (which carries the input's
        // headers) and the user's new state (refused by the store's serde).
        byte[] json = outcome.decision() == null ? null : DecisionRecordJson.toBytes(outcome.decision());
        String tooLarge = json == null ? null
                : limit.refusal("its decision record", record.key(), json, record.headers());
        if (tooLarge == null && !outcome.duplicate()) {
            try {
                store.put(user, outcome.state());
            } catch (RecordSizeLimit.Exceeded e) {
                tooLarge = e.getMessage();
            }
        }
        if (tooLarge != null) {
            live.remove(user);   // the next event starts from the stored state, as if this one never came
            deadLetter(record, tooLarge + "; the event is not applied");
            return;
        }
        if (outcome.duplicate()) {
            observer.duplicate();
        }
        fleetStats.count(envelope, outcome);
        if (outcome.agentSpend() != null) {
            context.forward(new Record<String, ProcessingOutcome>(outcome.agentSpend().agentId(),
                    new ProcessingOutcome.AgentSpent(outcome.agentSpend()), record.timestamp()));
        }
        if (json != null) {
            observer.decided(outcome.decision().decision());
            latestDecisions.put(user, json);
            context.forward(record.withKey(user)
                    .withValue((ProcessingOutcome) new ProcessingOutcome.Decided(outcome.decision(), json)));
        }
    }

    /** Null when the record key is {@code userId} in UTF-8; otherwise what is wrong with it. */
    private static String keyProblem(byte[] key, String userId) {
        if (key != null && Arrays.equals(key, userId.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        Utf8.Malformation malformed = key == null ? null : Utf8.firstMalformation(key, 0, key.length);
        return "record key " + (key == null ? "is missing" : malformed != null
                ? "is not valid UTF-8: " + malformed.describe() : "does not match user_id")
                + "; agent-events must be keyed by user_id";
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

    /**
     * Emits the record as a dead letter with the reason and its source, its value cut when it would
     * not fit in a record ({@link RecordSizeLimit#cut}); when even its key and headers are too large,
     * logs and counts it instead.
     */
    private void deadLetter(Record<byte[], byte[]> record, String reason) {
        fleetStats.countDeadLetter(record.timestamp());
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        context.recordMetadata().ifPresent(meta -> addSource(headers, meta));
        byte[] value = record.value();
        if (!limit.fits(record.key(), value, headers)) {
            value = limit.cut(record.key(), value, headers);
            if (value == null) {
                limit.dropped();
                LOG.warn("a dead letter for {} does not fit in a record even without its value ({} bytes of key and "
                        + "headers; {}); it is not written", context.recordMetadata()
                                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("a record"),
                        RecordSizeLimit.sizeOf(record.key(), null, headers), limit.boundBy());
                return;
            }
        }
        observer.deadLettered();
        // The outcome carries the key as received; the record's key is not used (and not a user id).
        context.forward(new Record<String, ProcessingOutcome>(null,
                new ProcessingOutcome.DeadLettered(record.key(), value, reason), record.timestamp(), headers));
    }

    private static void addSource(Headers headers, RecordMetadata meta) {
        headers.add(HEADER_TOPIC, meta.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_PARTITION, Integer.toString(meta.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(meta.offset()).getBytes(StandardCharsets.UTF_8));
    }
}
