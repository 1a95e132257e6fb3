package io.noos.streams.cli;

import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.otel.ingest.IngestOptions;
import io.noos.streams.otel.ingest.IngestReport;
import io.noos.streams.otel.ingest.IngestResult;
import io.noos.streams.otel.ingest.SpanFileIngest;
import io.noos.streams.json.EnvelopeJson;
import io.noos.streams.logfile.JsonLinesWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns span logs into an envelope log (a temp file deleted at exit) so every replay mode reads one
 * kind of file. What the spans could not give is reported on {@code err}, never dropped silently; logs
 * with lines but not one event are a {@link CommandFailedException}.
 */
final class SpanLogConversion {
    private SpanLogConversion() {}

    /**
     * The envelope file made from span logs, and what the ingest reported.
     *
     * @param envelopes the temporary envelope file
     * @param report    the ingest's report
     */
    record Converted(Path envelopes, IngestReport report) {}

    static Converted toEnvelopeFile(List<Path> spans, IngestOptions options, PrintStream err) throws IOException {
        IngestResult result = SpanFileIngest.read(spans, options);
        err.println("span ingest: " + result.report().describe());
        long nonBlank = result.report().lines() - result.report().blankLines();
        if (result.envelopes().isEmpty() && nonBlank > 0) {
            throw new CommandFailedException("not one event could be read from the " + nonBlank + " non-blank line"
                    + (nonBlank == 1 ? "" : "s") + " of " + result.report().inputNames()
                    + " (the span report above says why); nothing to replay");
        }
        Path out = Files.createTempFile("noos-spans-", ".jsonl");
        out.toFile().deleteOnExit();
        try (JsonLinesWriter w = JsonLinesWriter.create(out)) {
            for (EventEnvelope e : result.envelopes()) {
                w.write(EnvelopeJson.toBytes(e));
            }
        }
        return new Converted(out, result.report());
    }
}
