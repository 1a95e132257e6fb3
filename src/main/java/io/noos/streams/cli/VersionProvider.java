package io.noos.streams.cli;

import picocli.CommandLine;

/** Reports the jar's version and the Kafka client version it was built against. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = NoosStreamsCli.class.getPackage().getImplementationVersion();
        return new String[] {"noos-streams " + (version == null ? "dev" : version)};
    }
}
