package io.noos.streams.clients;

import io.noos.streams.policy.Policy;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes policy entries to the policies topic safely: the key and the JSON are validated exactly as
 * the service validates them before anything is sent (an {@link io.noos.streams.policy.InvalidPolicyException}
 * otherwise), the canonical JSON is sent, and each send waits for the broker's acknowledgement. A
 * missing topic is first created compacted (as the service creates it), never left to broker auto-creation.
 */
public final class PolicyPublisher implements AutoCloseable {
    private final Properties client;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    public PolicyPublisher(Properties client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    /** Validates and sends {@code key → json}; returns the canonical JSON that was sent. */
    public String set(String key, String json) {
        PolicyKey.parse(key);
        Policy policy = PolicyJson.parse(json);
        byte[] canonical = PolicyJson.toBytes(policy);
        send(key, canonical);
        return PolicyJson.toJson(policy);
    }

    /** Sends a tombstone for {@code key}: its entry is deleted and the next layer applies again. */
    public void delete(String key) {
        PolicyKey.parse(key);
        send(key, null);
    }

    private void send(String key, byte[] value) {
        if (producer == null) {
            ensureTopic();
            Properties p = new Properties();
            p.putAll(client);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (ExecutionException e) {
            throw new KafkaException("policy not acknowledged: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while sending the policy", e);
        }
    }

    private void ensureTopic() {
        ClusterProbe.requireReachable(client);
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + topic, e);
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
