package io.noos.streams.crash;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * Which input partitions a Streams instance owns, from the consumer group as the broker's group
 * coordinator describes it. An instance is recognised by its {@code client.id}: Kafka Streams
 * names its consumer {@code <client.id>-StreamThread-<n>-consumer}.
 */
final class GroupWatch implements AutoCloseable {
    private final Admin admin;
    private final String group;
    private final String inputTopic;

    GroupWatch(String bootstrap, String group, String inputTopic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "crash-test-group-watch");
        this.admin = Admin.create(p);
        this.group = group;
        this.inputTopic = inputTopic;
    }

    /**
     * The input partitions the members with client id {@code clientIdPrefix}... own in a stable
     * group; 0 while the group rebalances or cannot be described.
     */
    int ownedInputPartitions(String clientIdPrefix) throws InterruptedException {
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
        if (d.groupState() != GroupState.STABLE) {
            return 0;
        }
        return (int) d.members().stream()
                .filter(m -> m.clientId().startsWith(clientIdPrefix + "-"))
                .flatMap(m -> m.assignment().topicPartitions().stream())
                .filter(tp -> tp.topic().equals(inputTopic))
                .count();
    }

    @Override
    public void close() {
        admin.close();
    }
}
