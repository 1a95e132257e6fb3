package io.noos.streams.clients;

import io.noos.streams.logfile.JsonLinesWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Dumps a topic to a JSON Lines file, one record per line as {@link ConsumedRecordJson} writes it,
 * reading committed records only, until no record has arrived for the idle timeout.
 */
public final class TopicToJsonLines {
    /**
     * What a dump wrote.
     *
     * @param records records written
     * @param wrapped of those, the ones written in the wrapper object
     */
    public record Result(long records, long wrapped) {}

    private final Properties client;

    /** Dumps from the cluster {@code client} points at ({@code bootstrap.servers} and client settings). */
    public TopicToJsonLines(Properties client) {
        this.client = client;
    }

    /**
     * Writes the records of {@code topic} to {@code output} (created or truncated).
     *
     * @param fromBeginning start at the earliest offsets (else only records that arrive from now on)
     * @param idleTimeout   stop once no record has arrived for this long
     * @param alwaysWrap    wrap every record, even values that are JSON objects
     * @throws IllegalArgumentException if the topic does not exist
     */
    public Result dump(String topic, boolean fromBeginning, Duration idleTimeout, Path output, boolean alwaysWrap)
            throws IOException {
        long[] wrapped = {0};
        try (CommittedTopicReader reader = new CommittedTopicReader(client, topic, fromBeginning);
             JsonLinesWriter out = JsonLinesWriter.create(output)) {
            long records = reader.read(idleTimeout, Long.MAX_VALUE, r -> {
                ConsumedRecordJson.Line line = ConsumedRecordJson.toLine(r, alwaysWrap);
                if (line.wrapped()) {
                    wrapped[0]++;
                }
                out.write(line.json());
            });
            return new Result(records, wrapped[0]);
        }
    }
}
