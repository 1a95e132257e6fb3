package io.noos.streams.cli;

import io.noos.streams.kafka.topology.ServiceTopic;
import io.noos.streams.policy.InvalidPolicyException;
import io.noos.streams.clients.ClientProperties;
import io.noos.streams.clients.PolicyPublisher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy set|delete}: per-user, per-agent and default regulator settings on the policies topic. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {
                "Set or delete an entry of the policies topic (compacted, keyed by user id, '*' for everyone, "
                        + "'agent:<agent_id>' for an agent's events). The running service applies a change to the "
                        + "user's next event, without a restart.",
                "Effective settings, field by field: the user's entry, then the event's agent's, then '*', then the "
                        + "service's configuration."},
        subcommands = {PolicyCommand.Set.class, PolicyCommand.Delete.class})
final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where to send: shared by the subcommands. */
    static final class Target {
        @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
                description = "Kafka cluster of the service.")
        String bootstrapServers;

        @Option(names = "--topic",
                description = "Policies topic, as the service's noos.policies.topic (default: ${DEFAULT-VALUE}).")
        String topic = ServiceTopic.POLICIES.defaultName();

        @Option(names = "--client-config", paramLabel = "FILE",
                description = "Properties file of Kafka client settings (security, TLS, SASL).")
        Path clientConfig;

        PolicyPublisher publisher() throws java.io.IOException {
            return new PolicyPublisher(ClientProperties.load(bootstrapServers, clientConfig), topic);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Validate a policy, then send it (canonical JSON) and wait for the acknowledgement.",
                    "JSON fields, all optional: cost_cap (integer 1..4294967295), scope_drift_threshold (number in "
                            + "[0, 1]), implicit_correction_window_ms (integer >= 0, or null: off). An absent field "
                            + "is inherited from the next layer.",
                    "Exit status: 0 sent; 1 Kafka error; 2 invalid key or JSON (nothing sent)."})
    static final class Set implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "KEY", description = "A user id, '*' or 'agent:<agent_id>'.")
        String key;

        @Parameters(index = "1", paramLabel = "JSON", description = "For example '{\"cost_cap\":5000}'.")
        String json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (PolicyPublisher publisher = target.publisher()) {
                String sent = publisher.set(key, json);
                System.out.println("policy " + key + " = " + sent + " sent to " + target.topic);
                return 0;
            } catch (InvalidPolicyException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid policy for key '" + key + "': "
                        + e.getMessage());
            } catch (KafkaException e) {
                throw KafkaErrors.failure(e, "--client-config");
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Send a tombstone for KEY: its entry is deleted and the next layer applies again.",
                    "Exit status: 0 sent; 1 Kafka error; 2 invalid key (nothing sent)."})
    static final class Delete implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "KEY", description = "A user id, '*' or 'agent:<agent_id>'.")
        String key;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (PolicyPublisher publisher = target.publisher()) {
                publisher.delete(key);
                System.out.println("policy " + key + " deleted on " + target.topic);
                return 0;
            } catch (InvalidPolicyException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid policy key '" + key + "': "
                        + e.getMessage());
            } catch (KafkaException e) {
                throw KafkaErrors.failure(e, "--client-config");
            }
        }
    }
}
