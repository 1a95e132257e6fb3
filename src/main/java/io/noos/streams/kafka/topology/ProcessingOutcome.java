package io.noos.streams.kafka.topology;

import io.noos.streams.detect.AgentSpend;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.fleet.TaskPartial;
import io.noos.streams.kafka.serde.RecordSizeLimit;

/**
 * What the regulator processor emits: a decision, a dead letter, a task's partial fleet counts, or
 * an amount for an agent's total.
 */
public sealed interface ProcessingOutcome {

    /** A decision to publish on the decisions topic; {@code json} is its JSON (also kept as the user's latest). */
    record Decided(DecisionRecord record, byte[] json) implements ProcessingOutcome {}

    /**
     * The input could not be decided; its key and value go to the dead-letter topic as received (the
     * value cut when the dead letter would not fit in a record, {@link RecordSizeLimit}), with the reason.
     */
    record DeadLettered(byte[] key, byte[] value, String reason) implements ProcessingOutcome {}

    /** A task's cumulative counts of one window and scope, keyed {@code <agent>@<window>}, to be merged. */
    record FleetPartial(TaskPartial partial) implements ProcessingOutcome {}

    /** What a cost event adds to its agent's total under an agent-wide budget, keyed by agent, to be counted. */
    record AgentSpent(AgentSpend spend) implements ProcessingOutcome {}
}
