package io.noos.streams.otel.ingest;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import io.noos.streams.envelope.EventEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** Reading the hand-made span logs of {@code src/test/resources/otel/ingest/}. */
final class IngestFixtures {
    /** Event time base of the logs: every span time there is this plus a few milliseconds. */
    static final long T0 = 1_700_000_000_000L;

    /** An envelope reduced to what the mapping decides: who, when (ms after {@link #T0}), what. */
    record Ev(String user, long ms, AgentEvent event) {}

    private IngestFixtures() {}

    static Path resource(String name) {
        URL url = IngestFixtures.class.getResource("/otel/ingest/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static IngestResult ingest(String name) {
        return ingest(name, IngestOptions.defaults());
    }

    static IngestResult ingest(String name, IngestOptions options) {
        try {
            return SpanFileIngest.read(resource(name), options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Ev> evs(IngestResult result) {
        return result.envelopes().stream().map(IngestFixtures::ev).toList();
    }

    /** The line numbers of the places the report names for {@code issue}. */
    static List<Long> lines(IngestReport report, IngestIssue issue) {
        return report.examples().getOrDefault(issue, List.of()).stream().map(Location::line).toList();
    }

    static Ev ev(EventEnvelope e) {
        return new Ev(e.userId(), e.atMs() - T0, ((EnvelopeEvent.Single) e.event()).event());
    }

    static Ev ev(String user, long ms, AgentEvent event) {
        return new Ev(user, ms, event);
    }

    static AgentEvent.TurnStart start(String text) {
        return new AgentEvent.TurnStart(text);
    }

    static AgentEvent.TurnComplete complete(String text) {
        return new AgentEvent.TurnComplete(text);
    }

    static AgentEvent.Cost cost(long in, long out, long wallclockMs, String provider) {
        return new AgentEvent.Cost(in, out, wallclockMs, provider);
    }

    static AgentEvent.ToolCall call(String name, String args) {
        return new AgentEvent.ToolCall(name, args);
    }

    static AgentEvent.ToolResult result(String name, boolean success, long durationMs, String error) {
        return new AgentEvent.ToolResult(name, success, durationMs, error);
    }

    static AgentEvent.QualityFeedback quality(double q) {
        return new AgentEvent.QualityFeedback(q);
    }
}
