package io.noos.streams.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Money in the fleet windows: per currency totals that add up exactly (micro-units), unpriced costs
 * counted, the top spenders per currency, the median per user per currency; parts merge alike in
 * {@link FleetWindowStats#sum}, in the binary partial and in the {@code /fleet/stats} answer.
 */
class FleetMoneyTest {
    private static final long W = 1_767_225_600_000L;

    private static FleetWindowStats part(String agent, String user, String currency, long... amounts) {
        FleetWindowStats s = new FleetWindowStats(agent, W);
        long total = 0;
        for (long a : amounts) {
            s.countMoney(currency, a);
            s.offerUserMoney(currency, user, total, total + a);
            total += a;
        }
        return s;
    }

    @Test
    void currenciesAreKeptApartAndPartsAddUp() throws Exception {
        FleetWindowStats a = part("*", "alice", "USD", 1_000_000, 500_000);
        a.countMoney(null, 0);
        FleetWindowStats b = part("*", "bob", "USD", 2_000_000);
        FleetWindowStats c = part("*", "carol", "EUR", 3);
        FleetWindowStats sum = FleetWindowStats.sum("*", W, List.of(TaskPartial.decode(new TaskPartial("0_1", a).encode())
                .stats(), b, c));
        JsonNode json = Json.mapper().readTree(sum.toJson());
        assertEquals(Json.mapper().readTree("{\"EUR\":3,\"USD\":3500000}"), json.get("spend_micros"));
        assertEquals(1, json.get("unpriced_cost_events").asLong());
        assertEquals("bob", json.at("/top_spenders/USD/0/user_id").asText());
        assertEquals(1_500_000, json.at("/top_spenders/USD/1/micros").asLong(), "alice: 1 + 0.5");
        assertEquals(2, json.at("/user_money/USD/users").asLong());
        assertEquals(1, json.at("/user_money/EUR/users").asLong());
    }

    @Test
    void theAnswerAddsPartsAndRanksAgentsByMoneyPerCurrency() throws Exception {
        List<JsonNode> windows = List.of(
                Json.mapper().readTree(part("*", "alice", "USD", 10).toJson()),
                Json.mapper().readTree(part("*", "bob", "USD", 30).toJson()),
                Json.mapper().readTree(part("agent-1", "alice", "USD", 10).toJson()),
                Json.mapper().readTree(part("agent-2", "bob", "USD", 30).toJson()));
        JsonNode summary = FleetStatsAnswer.answer(windows, W, W + 60_000, 1, 1, false).get("summary");
        assertEquals(40, summary.at("/spend_micros/USD").asLong());
        assertEquals("bob", summary.at("/top_spenders/USD/0/user_id").asText());
        assertEquals("agent-2", summary.at("/top_agents_by_spend/USD/0/agent_id").asText());
        assertEquals(10, summary.at("/top_agents_by_spend/USD/1/micros").asLong());
    }
}
