package io.noos.streams.kafka.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.kafka.config.ServiceConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams producer's linger.ms: the service's 5 ms unless the configuration sets it, in either form. */
class StreamsPropertiesTest {
    private static Map<String, Object> producerConfigs(Map<String, String> flags) throws Exception {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(flags);
        all.put(ServiceConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9");
        StreamsConfig config = new StreamsConfig(StreamsProperties.of(ServiceConfig.load(null, Map.of(), all),
                io.noos.streams.kafka.serde.RecordSizeLimit.defaults()));
        return config.getProducerConfigs("client");
    }

    @Test
    void theStreamsProducerLingersFiveMillisecondsByDefault() throws Exception {
        assertEquals("5", String.valueOf(producerConfigs(Map.of()).get("linger.ms")));
    }

    @Test
    void aConfiguredLingerIsKeptInEitherForm() throws Exception {
        assertEquals("100", String.valueOf(producerConfigs(Map.of("linger.ms", "100")).get("linger.ms")));
        assertEquals("20", String.valueOf(producerConfigs(Map.of("producer.linger.ms", "20")).get("linger.ms")));
    }
}
