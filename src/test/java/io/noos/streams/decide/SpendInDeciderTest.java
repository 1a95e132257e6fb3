package io.noos.streams.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import io.noos.streams.detect.DetectorRegistry;
import io.noos.streams.envelope.DecisionRecord;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.policy.PolicyBook;
import io.noos.streams.policy.PolicyJson;
import io.noos.streams.policy.PolicyKey;
import io.noos.streams.pricing.Money;
import io.noos.streams.pricing.PriceBook;
import io.noos.streams.pricing.PriceTableJson;
import io.noos.streams.testkit.TestEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Money in the per-user rules: a cost event is its reported amount, else its price, else unpriced;
 * the record's spend keeps one total per currency and resets with the regulator on a new session;
 * the spend budget is set through a policy with its currency as a code.
 */
class SpendInDeciderTest {
    private static final String PRICES = "{\"providers\": {\"openai\": {\"gpt-x\": {\"input_per_million\": \"2\", "
            + "\"output_per_million\": \"8\", \"currency\": \"USD\"}}}}";

    private static EventEnvelope cost(long at, String session, String provider, String model, Money reported) {
        return TestEvent.user("alice").agent("agent-1").session(session).at(at)
                .of(new AgentEvent.Cost(1_000, 1_000, 5, provider)).withCost(model, reported);
    }

    private static UserDecider decider(PolicyBook policies) {
        PriceBook prices = PriceBook.of(PriceTableJson.parse(PRICES.getBytes(StandardCharsets.UTF_8)));
        return new UserDecider(new DeciderSettings(UserSettingsSource.withPolicies(
                UserSettingsSource.fixed(UserSettings.DEFAULTS), policies), true, 64, DetectorRegistry.BUILT_IN, prices));
    }

    @Test
    void costsArePricedReportedOrCountedUnpricedAndTheSpendResetsWithTheSession() {
        UserDecider d = decider(new PolicyBook());
        UserDecider.Outcome o = d.apply(null, cost(1, "s1", "openai", "gpt-x", null));
        assertEquals(Map.of("USD", 10_000L), o.decision().spend().micros(), "1000 x 2 + 1000 x 8 micro-units");
        o = d.apply(o.state(), cost(2, "s1", "openai", "unknown-model", null));
        assertEquals(1, o.decision().spend().unpricedCostEvents(), "a model the table lacks is not guessed");
        o = d.apply(o.state(), cost(3, "s1", "anthropic", "x", Money.parse("0.5", "EUR")));
        DecisionRecord r = o.decision();
        assertEquals(Map.of("USD", 10_000L, "EUR", 500_000L), r.spend().micros(), "currencies kept apart");
        o = d.apply(UserState.decode(o.state().encode()), cost(4, "s2", "openai", "gpt-x", null));
        assertEquals(Map.of("USD", 10_000L), o.decision().spend().micros(), "a new session starts the spend afresh");
        assertEquals(0, o.decision().spend().unpricedCostEvents());
    }

    @Test
    void theSpendBudgetComesFromAPolicyInItsCurrency() {
        PolicyBook policies = new PolicyBook();
        policies.put(PolicyKey.parse("agent:agent-1"), PolicyJson.parse(("{\"detectors\": {\"spend_budget\": "
                + "{\"enabled\": true, \"max_amount\": 0.03, \"currency\": \"USD\"}}}").getBytes(StandardCharsets.UTF_8),
                DetectorRegistry.BUILT_IN));
        UserDecider d = decider(policies);
        UserDecider.Outcome o = d.apply(null, cost(1, "s1", "openai", "gpt-x", null));   // 0.01
        assertInstanceOf(Decision.Continue.class, o.decision().decision());
        o = d.apply(o.state(), cost(2, "s1", "openai", "gpt-x", null));                   // 0.02 < 80 %
        assertInstanceOf(Decision.Continue.class, o.decision().decision());
        o = d.apply(o.state(), cost(3, "s1", "openai", "gpt-x", Money.parse("0.0045", "USD"))); // 0.0245 >= 80 %
        assertEquals(80, ((Decision.SpendBudgetWarn) o.decision().decision()).thresholdPercent());
        o = d.apply(o.state(), cost(4, "s2", "openai", "gpt-x", null));                   // 0.0345, across sessions
        assertEquals(new BreakReason.SpendBudgetExceeded("USD", 34_500, 30_000, 86_400_000),
                ((Decision.CircuitBreak) o.decision().decision()).reason());
        assertEquals("{\"detectors\":{\"spend_budget\":{\"currency\":\"USD\",\"enabled\":true,\"max_amount\":0.03}}}",
                PolicyJson.toJson(PolicyJson.parse(("{\"detectors\": {\"spend_budget\": {\"enabled\": true, "
                        + "\"max_amount\": 0.03, \"currency\": \"usd\"}}}").getBytes(StandardCharsets.UTF_8),
                        DetectorRegistry.BUILT_IN)), "the currency reads back as its code");
    }
}
