package io.noos.streams.otel.ingest;

import io.noos.streams.envelope.EventEnvelope;
import java.util.List;

/**
 * The envelopes read from span and log record files and the report of what they held.
 *
 * @param envelopes the events, ready for replay: each turn is contiguous and in event order, each
 *                  conversation's turns in their order, turns of different conversations interleaved by their
 *                  first event time, so every user's envelopes are in that user's event order
 * @param report    totals and the issues met
 */
public record IngestResult(List<EventEnvelope> envelopes, IngestReport report) {
    public IngestResult {
        envelopes = List.copyOf(envelopes);
    }
}
