package io.noos.streams.cli;

import io.noos.streams.kafka.topology.ServiceTopic;
import io.noos.streams.policy.InvalidPolicyException;
import io.noos.streams.policy.Policy;
import io.noos.streams.policy.PolicyKey;
import io.noos.streams.clients.ClientProperties;
import io.noos.streams.clients.PolicyPublisher;
import io.noos.streams.json.Json;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceTable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code policy set|delete|halt|resume|list}: per-user, per-agent and default regulator settings on
 * the policies topic, the operator's kill switch, and what is in force (the price table included).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {
                "Set or delete an entry of the policies topic (compacted, keyed by user id, '*' for everyone, "
                        + "'agent:<agent_id>' for an agent's events). The running service applies a change to the "
                        + "user's next event, without a restart.",
                "Effective settings, field by field: the user's entry, then the event's agent's, then '*', then the "
                        + "service's configuration.",
                "halt KEY stops the agents of KEY's users: every decision becomes circuit_break (operator_halt) from "
                        + "their next event until resume KEY.",
                "The reserved key " + PriceBook.POLICY_KEY + " holds the price table (set it with set, list shows it)."},
        subcommands = {PolicyCommand.Set.class, PolicyCommand.Delete.class, PolicyCommand.Halt.class,
                PolicyCommand.Resume.class, PolicyCommand.List.class})
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

        /**
         * Runs {@code action} on a publisher to this target: exit 0; a policy or key the publisher
         * refuses is a usage error starting {@code refusal} (exit 2, nothing sent); a Kafka error one line.
         */
        int send(CommandLine.Model.CommandSpec spec, String refusal, PublisherAction action) throws Exception {
            try (PolicyPublisher publisher = new PolicyPublisher(ClientProperties.load(bootstrapServers, clientConfig),
                    topic)) {
                action.run(publisher);
                return 0;
            } catch (InvalidPolicyException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), refusal + e.getMessage());
            } catch (KafkaException e) {
                throw KafkaErrors.failure(e, "--client-config");
            }
        }
    }

    /** What a subcommand does with the publisher. */
    @FunctionalInterface
    interface PublisherAction {
        void run(PolicyPublisher publisher) throws Exception;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Validate a policy, then send it (canonical JSON) and wait for the acknowledgement.",
                    "JSON fields, all optional: cost_cap (integer 1..4294967295), scope_drift_threshold (number in "
                            + "[0, 1]), implicit_correction_window_ms (integer >= 0, or null: off), detectors, halt "
                            + "({\"reason\": text, \"since_ms\": time} or {}). An absent field is inherited from the "
                            + "next layer. The JSON replaces KEY's whole entry, a halt included.",
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
            return target.send(spec, "invalid policy for key '" + key + "': ", publisher -> {
                String sent = publisher.set(key, json);
                System.out.println("policy " + key + " = " + sent + " sent to " + target.topic);
            });
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
            return target.send(spec, "invalid policy key '" + key + "': ", publisher -> {
                publisher.delete(key);
                System.out.println("policy " + key + " deleted on " + target.topic);
            });
        }
    }

    @Command(name = "halt", mixinStandardHelpOptions = true,
            description = {"Halt KEY's users: from their next event until 'policy resume KEY', every decision is "
                    + "circuit_break with the reason operator_halt (the regulator still sees every event, so resuming "
                    + "continues as if there had been no halt). KEY's other settings are kept.",
                    "KEY '*' halts everyone, 'agent:<id>' the events that agent sends, a user id that user.",
                    "Exit status: 0 sent; 1 Kafka error; 2 invalid key or reason (nothing sent)."})
    static final class Halt implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "KEY", description = "A user id, '*' or 'agent:<agent_id>'.")
        String key;

        @Option(names = "--reason", paramLabel = "TEXT",
                description = "Why (1 to 500 characters), carried by every decision of the halt.")
        String reason;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return target.send(spec, "invalid halt for key '" + key + "': ", publisher -> {
                String sent = publisher.halt(key, new Policy.Halt(reason, System.currentTimeMillis(), null));
                System.out.println("policy " + key + " = " + sent + " sent to " + target.topic + ": halts " + describe(key)
                        + " (from the next event, every decision a circuit break: operator_halt)");
            });
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Lift the halt of KEY: its entry is sent again without it (or deleted when the halt was all "
                    + "it set). The users are decided as usual from their next event, unless another key still halts them.",
                    "Exit status: 0 sent, or KEY was not halted (nothing sent); 1 Kafka error; 2 invalid key."})
    static final class Resume implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "KEY", description = "A user id, '*' or 'agent:<agent_id>'.")
        String key;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return target.send(spec, "invalid policy key '" + key + "': ", publisher -> {
                PolicyPublisher.Resumed r = publisher.resume(key);
                if (!r.wasHalted()) {
                    System.out.println("policy " + key + " is not halted; nothing sent");
                } else if (r.sent() == null) {
                    System.out.println("policy " + key + " resumed: its entry (only the halt) deleted on " + target.topic);
                } else {
                    System.out.println("policy " + key + " resumed: " + r.sent() + " sent to " + target.topic);
                }
                PolicyKey resumed = PolicyKey.parse(key);
                r.otherHalts().keySet().stream().filter(other -> wider(PolicyKey.parse(other), resumed))
                        .forEach(other -> System.out.println("note: '" + other + "' still halts " + describe(other)));
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Print what is in force on the policies topic, as the service reads it: one line per entry, "
                    + "'KEY = JSON' (canonical JSON, sorted by key), then the price table set under the reserved key "
                    + PriceBook.POLICY_KEY + ": 'noos:prices = JSON (the price table: N models of P providers, in "
                    + "CURRENCIES)', or a line saying there is none (the price file, if any, is in force).",
                    "Exit status: 0 listed; 1 Kafka error."})
    static final class List implements Callable<Integer> {
        @Mixin
        Target target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return target.send(spec, "", publisher -> {
                PolicyPublisher.InForce inForce = publisher.inForce();
                Map<String, String> entries = inForce.policies().entries();
                if (entries.isEmpty()) {
                    System.out.println("no policies on " + target.topic);
                }
                entries.forEach((key, json) -> System.out.println(key + " = " + json));
                if (inForce.prices() == null) {
                    System.out.println("no price table on " + target.topic + " (" + PriceBook.POLICY_KEY
                            + " unset: the service's noos.prices.file, if any, is in force)");
                } else {
                    System.out.println(PriceBook.POLICY_KEY + " = " + Json.mapper().readTree(inForce.pricesJson())
                            + " (" + priceSummary(inForce.prices()) + ")");
                }
            });
        }
    }

    /** "the price table: 3 models of 2 providers, in USD" ({@code *} fallbacks count as models). */
    static String priceSummary(PriceTable table) {
        int models = table.providers().values().stream().mapToInt(Map::size).sum();
        TreeSet<String> currencies = new TreeSet<>();
        table.providers().values().forEach(m -> m.values().forEach(p -> currencies.add(p.currency())));
        return "the price table: " + models + (models == 1 ? " model" : " models") + " of " + table.providers().size()
                + (table.providers().size() == 1 ? " provider" : " providers")
                + (currencies.isEmpty() ? "" : ", in " + String.join(", ", currencies));
    }

    /** Whether a halt of {@code other} may still stop the users of {@code key}: '*' always, an agent's for a user. */
    static boolean wider(PolicyKey other, PolicyKey key) {
        return key instanceof PolicyKey.Default || other instanceof PolicyKey.Default
                || (other instanceof PolicyKey.Agent && key instanceof PolicyKey.User);
    }

    /** Whose decisions a key's halt concerns, in words. */
    static String describe(String key) {
        PolicyKey k = PolicyKey.parse(key);
        if (k instanceof PolicyKey.Default) {
            return "every user";
        }
        if (k instanceof PolicyKey.Agent a) {
            return "every user's events from agent " + a.agentId();
        }
        return "user " + key;
    }
}
