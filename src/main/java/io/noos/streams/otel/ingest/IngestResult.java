package io.noos.streams.otel.ingest;

import io.noos.streams.envelope.EventEnvelope;
import java.util.List;

/**
 * The envelopes read from a span file and the report of what could not be mapped.
 *
 * @param envelopes the events, ready for replay: each turn (a user's trace) is contiguous and in event
 *                  order, turns are ordered by their first event time, so every user's envelopes are in
 *                  that user's event order
 * @param report    totals and the issues met
 */
public record IngestResult(List<EventEnvelope> envelopes, IngestReport report) {
    public IngestResult {
        envelopes = List.copyOf(envelopes);
    }
}
