package io.noos.streams.clients;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/** Kafka client settings for the tools: an optional properties file, then the bootstrap servers. */
public final class ClientProperties {
    private ClientProperties() {}

    /**
     * The settings in {@code file} (may be null; e.g. {@code security.protocol}, SASL or TLS
     * settings), with {@code bootstrap.servers} set to {@code bootstrapServers}.
     */
    public static Properties load(String bootstrapServers, Path file) throws IOException {
        Properties p = new Properties();
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
