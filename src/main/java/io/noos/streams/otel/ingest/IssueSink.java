package io.noos.streams.otel.ingest;

/** Where the mapping code counts an issue; bound to the line being mapped. */
@FunctionalInterface
interface IssueSink {
    void count(IngestIssue issue);
}
