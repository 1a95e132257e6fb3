package io.noos.streams.kafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.clients.orchestrator.OrchestratorClient;
import io.noos.streams.clients.orchestrator.OrchestratorSettings;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.json.Json;
import io.noos.streams.kafka.app.RegulatorService;
import io.noos.streams.kafka.app.TopicSetup;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.testkit.CliRun;
import io.noos.streams.testkit.TestKafkaCluster;
import io.noos.streams.testkit.TestEvent;
import io.noos.streams.testkit.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's kill switch end to end: {@code policy halt} and {@code policy resume} against the
 * running service, the decisions an orchestrator gets through the client, and the halts the HTTP
 * API lists.
 */
class OperatorHaltIT {
    @TempDir
    Path stateDir;

    private int sequence;

    @Test
    @Timeout(240)
    void haltAndResumeThroughTheCliAsAnOrchestratorSeesThem() throws Exception {
        try (TestKafkaCluster kafka = TestKafkaCluster.start()) {
            String suffix = "halt-" + UUID.randomUUID().toString().substring(0, 8);
            ServiceConfig config = HttpServiceFixture.config(kafka.bootstrapServers(), "noos-" + suffix, stateDir, suffix);
            TopicSetup.ensureTopics(config);
            String policies = config.get(ServiceConfig.POLICIES_TOPIC);
            java.util.Properties p = new java.util.Properties();
            p.put("bootstrap.servers", kafka.bootstrapServers());
            try (RegulatorService service = HttpServiceFixture.start(config);
                 OrchestratorClient client = OrchestratorClient.start(OrchestratorSettings.of(p)
                         .withTopics(config.get(ServiceConfig.INPUT_TOPIC), config.get(ServiceConfig.DECISIONS_TOPIC))
                         .withDecisionTimeout(Duration.ofSeconds(60)))) {
                HttpServiceFixture.awaitBalanced(service);
                assertEquals("continue", decide(client, "hana").decision().kind());

                assertEquals(0, policy(kafka, policies, "set", "hana", "{\"cost_cap\":777}").exitCode());
                CliRun agentHalt = policy(kafka, policies, "halt", "agent:agent-9", "--reason", "incident 42");
                assertEquals(0, agentHalt.exitCode(), agentHalt.stderr());
                assertTrue(agentHalt.stdout().contains(": halts every user's events from agent agent-9 (from the next event, "
                        + "every decision a circuit break: operator_halt)"), agentHalt.stdout());
                CliRun userHalt = policy(kafka, policies, "halt", "hana");
                assertEquals(0, userHalt.exitCode(), userHalt.stderr());
                assertTrue(userHalt.stdout().matches("(?s)policy hana = \\{\"cost_cap\":777,\"halt\":\\{\"since_ms\":\\d+}} "
                        + "sent to .*"), "the entry keeps its cost cap: " + userHalt.stdout());

                DecisionRecord halted = awaitDecision(client, "hana", "operator_halt");
                assertEquals(new BreakReason.OperatorHalt("hana", null), reason(halted), "the most specific halt");
                assertEquals(777.0, halted.metrics().get("noos.cost_cap_tokens"));
                assertEquals(new BreakReason.OperatorHalt("agent:agent-9", "incident 42"),
                        reason(awaitDecision(client, "ivan", "operator_halt")));

                JsonNode halts = Json.mapper().readTree(HttpServiceFixture.get(service, "/policies/halts",
                        HttpServiceFixture.TOKEN).body()).get("halts");
                assertEquals(2, halts.size(), halts.toString());
                assertEquals("agent:agent-9", halts.get(0).get("key").asText());
                assertEquals("incident 42", halts.get(0).get("reason").asText());
                assertTrue(Math.abs(halts.get(0).get("since_ms").asLong() - System.currentTimeMillis()) < 120_000);
                assertEquals("hana", halts.get(1).get("key").asText());

                CliRun resumeUser = policy(kafka, policies, "resume", "hana");
                assertEquals(0, resumeUser.exitCode(), resumeUser.stderr());
                assertEquals(List.of("policy hana resumed: {\"cost_cap\":777} sent to " + policies,
                        "note: 'agent:agent-9' still halts every user's events from agent agent-9"),
                        resumeUser.stdout().lines().toList());
                assertEquals(new BreakReason.OperatorHalt("agent:agent-9", "incident 42"),
                        reason(awaitDecision(client, "hana", "operator_halt", "agent:agent-9")));

                CliRun resumeAgent = policy(kafka, policies, "resume", "agent:agent-9");
                assertEquals("policy agent:agent-9 resumed: its entry (only the halt) deleted on " + policies,
                        resumeAgent.stdout().strip());
                assertEquals("continue", awaitDecision(client, "hana", "continue").decision().kind());
                assertEquals(777.0, awaitDecision(client, "hana", "continue").metrics().get("noos.cost_cap_tokens"));
                assertEquals("policy hana is not halted; nothing sent",
                        policy(kafka, policies, "resume", "hana").stdout().strip());
                assertEquals(0, Json.mapper().readTree(HttpServiceFixture.get(service, "/policies/halts",
                        HttpServiceFixture.TOKEN).body()).get("halts").size());
            }
        }
    }

    private static CliRun policy(TestKafkaCluster kafka, String topic, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "policy";
        all[1] = args[0];
        all[2] = "--bootstrap-servers";
        all[3] = kafka.bootstrapServers();
        all[4] = "--topic=" + topic;
        System.arraycopy(args, 1, all, 5, args.length - 1);
        return CliRun.of(all);
    }

    private static BreakReason reason(DecisionRecord d) {
        return ((Decision.CircuitBreak) d.decision()).reason();
    }

    private DecisionRecord decide(OrchestratorClient client, String user) throws Exception {
        return client.send(TestEvent.user(user).agent("agent-9").session(user + "-s1").at(System.currentTimeMillis())
                .of(new AgentEvent.QualityFeedback(0.9))).get(60, TimeUnit.SECONDS);
    }

    /** The user's next decisions until one of {@code kind} (and policy key) comes: a policy takes effect within moments. */
    private DecisionRecord awaitDecision(OrchestratorClient client, String user, String kind, String... key)
            throws Exception {
        AtomicReference<DecisionRecord> last = new AtomicReference<>();
        return Poll.value("a " + kind + " decision for " + user, Duration.ofSeconds(30), () -> {
            DecisionRecord d = decide(client, user);
            last.set(d);
            boolean kindMatches = kind.equals(d.decision().kind())
                    || d.decision() instanceof Decision.CircuitBreak cb && kind.equals(cb.reason().kind());
            boolean keyMatches = key.length == 0 || d.decision() instanceof Decision.CircuitBreak cb
                    && cb.reason() instanceof BreakReason.OperatorHalt h && h.policyKey().equals(key[0]);
            return kindMatches && keyMatches ? Optional.of(d) : Optional.empty();
        }, () -> String.valueOf(last.get()));
    }
}
