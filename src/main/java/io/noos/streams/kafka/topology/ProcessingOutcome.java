package io.noos.streams.kafka.topology;

import io.noos.streams.envelope.DecisionRecord;

/** What the regulator processor emits for one input record: a decision or a dead letter. */
public sealed interface ProcessingOutcome {

    /** A decision to publish on the decisions topic. */
    record Decided(DecisionRecord record) implements ProcessingOutcome {}

    /** The input could not be decided; its raw bytes go to the dead-letter topic with the reason. */
    record DeadLettered(byte[] rawValue, String reason) implements ProcessingOutcome {}
}
