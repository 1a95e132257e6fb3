package io.noos.streams.bench;

import java.nio.file.Path;

/** Placeholder until the generator lands. */
public final class FleetWorkload {
    private FleetWorkload() {}

    public static Path defaultFile() {
        return Path.of("../shared/bench/fleet-workload.jsonl.gz");
    }
}
