package io.noos.streams.avro;

import io.noos.streams.avro.schema.AgentEventEnvelope;
import io.noos.streams.avro.schema.RegulatorDecision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import org.apache.avro.message.SchemaStore;

/**
 * Avro binary form of the two topic records, {@link EventEnvelope} and {@link DecisionRecord},
 * without a schema registry.
 *
 * <p>Each record is written with Avro single-object encoding: {@code C3 01}, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer schema, then the binary body. The schemas
 * are {@code schemas/AgentEventEnvelope.avsc} and {@code schemas/RegulatorDecision.avsc}; every
 * released version ({@code schemas/history/<Record>/vN.avsc}) is loaded into the decoder's schema
 * store, so a record written with an older version decodes into the current classes, with the
 * defaults of fields it lacks.
 *
 * <p>Decoding is strict: a truncated or over-long message, a wrong magic, an unknown fingerprint,
 * malformed UTF-8, or a value the model rejects (a u32 out of range, an empty {@code user_id})
 * throws {@link InvalidEventException} with a message starting {@code "Avro: "}.
 *
 * <p>Loading this class makes Avro trust the generated classes (see {@link AvroClassTrust}), so no
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property is needed. Instances are
 * thread-safe; make one and share it (loading the schema history costs a few milliseconds).
 */
public final class AvroCodec {
    /** Simple name of the envelope record, as used under {@code schemas/history/}. */
    public static final String ENVELOPE = "AgentEventEnvelope";
    /** Simple name of the decision record, as used under {@code schemas/history/}. */
    public static final String DECISION = "RegulatorDecision";

    static {
        AvroClassTrust.install();
    }

    private final SingleObjectCodec<AgentEventEnvelope> envelopes;
    private final SingleObjectCodec<RegulatorDecision> decisions;

    /** A codec accepting every released schema version found on the classpath. */
    public AvroCodec() {
        this(SchemaHistory.store(ENVELOPE), SchemaHistory.store(DECISION));
    }

    /**
     * A codec accepting the writer schemas of the given stores (plus the current ones); tests use
     * it to add schemas that are not in the history.
     */
    AvroCodec(SchemaStore envelopeWriters, SchemaStore decisionWriters) {
        this.envelopes = new SingleObjectCodec<>(AgentEventEnvelope.getClassSchema(), AgentEventEnvelope.getEncoder(),
                envelopeWriters);
        this.decisions = new SingleObjectCodec<>(RegulatorDecision.getClassSchema(), RegulatorDecision.getEncoder(),
                decisionWriters);
    }

    /** The envelope in single-object encoding with the current schema. */
    public byte[] encodeEnvelope(EventEnvelope envelope) {
        return envelopes.encode(EnvelopeMapper.toAvro(envelope));
    }

    /**
     * Reads an envelope written with any released schema version.
     *
     * @throws InvalidEventException when the bytes are not a valid envelope (the message says why)
     */
    public EventEnvelope decodeEnvelope(byte[] bytes) {
        AgentEventEnvelope avro = envelopes.decode(bytes);
        try {
            return EnvelopeMapper.fromAvro(avro);
        } catch (InvalidEventException e) {
            throw new InvalidEventException("Avro: " + e.getMessage(), e);
        }
    }

    /**
     * The decision record in single-object encoding with the current schema.
     *
     * @throws InvalidEventException when a required string is null or a string is not valid Unicode
     */
    public byte[] encodeDecision(DecisionRecord record) {
        return decisions.encode(DecisionMapper.toAvro(record));
    }

    /**
     * Reads a decision record written with any released schema version.
     *
     * @throws InvalidEventException when the bytes are not a valid decision record (the message says why)
     */
    public DecisionRecord decodeDecision(byte[] bytes) {
        RegulatorDecision avro = decisions.decode(bytes);
        try {
            return DecisionMapper.fromAvro(avro);
        } catch (InvalidEventException e) {
            throw new InvalidEventException("Avro: " + e.getMessage(), e);
        }
    }
}
