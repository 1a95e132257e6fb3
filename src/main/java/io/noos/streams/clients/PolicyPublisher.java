package io.noos.streams.clients;

import io.noos.streams.policy.InvalidPolicyException;
import io.noos.streams.policy.Policy;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceTable;
import io.noos.streams.pricing.PriceTableJson;
import java.nio.charset.StandardCharsets;
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
 * {@link #halt} and {@link #resume} change only the halt of a key's entry: they read the topic to
 * know the entry in force, then send it with the halt added or removed (a policy written by someone
 * else between the read and the send is overwritten, as with any read-modify-write).
 */
public final class PolicyPublisher implements AutoCloseable {
    private static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofSeconds(30);
    private final Properties client;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    public PolicyPublisher(Properties client, String topic) {
        this.client = client;
        this.topic = topic;
    }

    /** Validates and sends {@code key → json}; returns the canonical JSON that was sent. */
    public String set(String key, String json) {
        if (PriceBook.POLICY_KEY.equals(key)) {   // the reserved key: a price table, not a policy
            try {
                PriceTableJson.parse(json.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new InvalidPolicyException(e.getMessage());
            }
            send(key, json.getBytes(StandardCharsets.UTF_8));
            return json;
        }
        PolicyKey.parse(key);
        Policy policy = PolicyJson.parse(json);
        byte[] canonical = PolicyJson.toBytes(policy);
        send(key, canonical);
        return PolicyJson.toJson(policy);
    }

    /**
     * The entries in force, as the service holds them: every record of the policies topic, in
     * order, a valid one replacing its key's entry, a tombstone deleting it, a refused one skipped
     * (the service keeps the previous entry too). Empty when the topic does not exist yet.
     */
    public PolicyBook current() {
        return inForce().policies();
    }

    /**
     * The policies in force ({@link #current}) and the price table in force under the reserved key
     * {@value PriceBook#POLICY_KEY}, read alike (a refused table skipped, a tombstone deleting it).
     */
    public InForce inForce() {
        PolicyBook book = new PolicyBook();
        String[] pricesJson = {null};
        ClusterProbe.requireReachable(client);
        try (Admin admin = Admin.create(client)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return new InForce(book, null, null);
            }
        } catch (ExecutionException e) {
            throw new KafkaException("cannot list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while listing topics", e);
        }
        try (CommittedTopicReader reader = new CommittedTopicReader(client, topic, true)) {
            reader.readToEnd(READ_TIMEOUT, r -> {
                String keyText = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                if (PriceBook.POLICY_KEY.equals(keyText)) {
                    pricesJson[0] = r.value() == null ? null : pricesOrPrevious(r.value(), pricesJson[0]);
                    return;
                }
                try {
                    PolicyKey key = PolicyKey.parse(keyText);
                    if (r.value() == null) {
                        book.remove(key);
                    } else {
                        book.put(key, PolicyJson.parse(r.value()));
                    }
                } catch (InvalidPolicyException refused) {
                    // refused by the service as well: the key's previous entry stays
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new InForce(book, pricesJson[0] == null ? null : PriceTableJson.parse(
                pricesJson[0].getBytes(StandardCharsets.UTF_8)), pricesJson[0]);
    }

    /** {@code value} when it is a valid price table, else (refused, as the service refuses it) {@code previous}. */
    private static String pricesOrPrevious(byte[] value, String previous) {
        try {
            PriceTableJson.parse(value);
            return new String(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException refused) {
            return previous;
        }
    }

    /**
     * What is in force on the policies topic.
     *
     * @param policies   the policy entries
     * @param prices     the price table set under {@value PriceBook#POLICY_KEY}, or null (the price file's is in force)
     * @param pricesJson that table's JSON as it was set, or null
     */
    public record InForce(PolicyBook policies, PriceTable prices, String pricesJson) {}

    /**
     * Halts {@code key}'s users: its entry as it is now, with {@code halt} (the reason and the time),
     * is sent. Returns the canonical JSON sent.
     */
    public String halt(String key, Policy.Halt halt) {
        PolicyKey parsed = PolicyKey.parse(key);
        requireValid(Policy.EMPTY.withHalt(halt));
        Policy entry = current().get(parsed);
        Policy halted = (entry == null ? Policy.EMPTY : entry).withHalt(new Policy.Halt(halt.reason(), halt.sinceMs(), null));
        byte[] json = PolicyJson.toBytes(halted);
        send(key, json);
        return new String(json, StandardCharsets.UTF_8);
    }

    /**
     * Lifts the halt of {@code key}'s entry, keeping its other fields (the entry is deleted when the
     * halt was all it set). Returns what was done: nothing when the entry did not halt.
     */
    public Resumed resume(String key) {
        PolicyKey parsed = PolicyKey.parse(key);
        PolicyBook book = current();
        Policy entry = book.get(parsed);
        Map<String, Policy.Halt> others = new java.util.TreeMap<>(book.halts());
        others.remove(parsed.text());
        if (entry == null || entry.halt() == null) {
            return new Resumed(false, null, others);
        }
        Policy rest = entry.withHalt(null);
        if (rest.isEmpty()) {
            send(key, null);
            return new Resumed(true, null, others);
        }
        byte[] json = PolicyJson.toBytes(rest);
        send(key, json);
        return new Resumed(true, new String(json, StandardCharsets.UTF_8), others);
    }

    /**
     * What {@link #resume} did.
     *
     * @param wasHalted  whether the key's entry halted (else nothing was sent)
     * @param sent       the entry's canonical JSON without the halt, or null when the entry was deleted or nothing was sent
     * @param otherHalts the halts of other keys still in force, by key
     */
    public record Resumed(boolean wasHalted, String sent, Map<String, Policy.Halt> otherHalts) {}

    private static void requireValid(Policy policy) {
        PolicyJson.parse(PolicyJson.toBytes(policy));   // the checks of the service, e.g. on the reason's length
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
