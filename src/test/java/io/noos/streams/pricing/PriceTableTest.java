package io.noos.streams.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules: a cost is its provider's model price, else its provider's {@code *}; nothing else
 * (never guessed). Micro-units = tokens x price per million, rounded half-even once; currencies
 * are never added together.
 */
class PriceTableTest {
    static final String TABLE = """
            {"note": "test prices, not real ones",
             "providers": {
               "openai": {"gpt-x": {"input_per_million": "2.50", "output_per_million": 10, "currency": "usd"},
                          "*": {"input_per_million": "1", "output_per_million": "1", "currency": "USD"}},
               "*": {"local": {"input_per_million": "0", "output_per_million": "0.333333333", "currency": "EUR"}}}}
            """;

    private static PriceTable table() {
        return PriceTableJson.parse(TABLE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pricesAModelThenItsProvidersFallbackAndNothingElse() {
        PriceTable t = table();
        assertEquals(new Money("USD", 2_500), t.lookup("openai", "gpt-x").cost(1_000, 0), "1000 x 2.50 / 1e6 = 0.0025");
        assertEquals(Money.parse("0.0125", "USD"), t.lookup("openai", "gpt-x").cost(1_000, 1_000));
        assertEquals(Money.parse("0.000002", "USD"), t.lookup("openai", "other").cost(1, 1), "the provider's *");
        assertEquals(Money.parse("0.000002", "USD"), t.lookup("openai", null).cost(1, 1), "no model: the provider's *");
        assertNull(t.lookup("anthropic", "gpt-x"), "another provider is not priced");
        assertNull(t.lookup(null, "gpt-x"), "no provider: only the * provider's models");
        assertEquals(Money.parse("0.000001", "EUR"), t.lookup(null, "local").cost(0, 3), "0.999999 micro rounds to 1");
    }

    @Test
    void badTablesAreRefusedWithAOneLineReason() {
        for (String bad : new String[] {"[]", "{}", "{\"providers\": {\"p\": {\"m\": {\"input_per_million\": \"-1\", "
                + "\"output_per_million\": \"1\", \"currency\": \"USD\"}}}}",
                "{\"providers\": {\"p\": {\"m\": {\"input_per_million\": \"1\", \"output_per_million\": \"1\", "
                        + "\"currency\": \"ZZZ\"}}}}",
                "{\"providers\": {}, \"extra\": 1}", "not json"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PriceTableJson.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void spendKeepsOneTotalPerCurrency() {
        Spend s = Spend.NONE.plus(Money.parse("1.5", "USD")).plus(Money.parse("2", "EUR")).plus((Money) null)
                .plus(Money.parse("0.25", "USD"));
        assertEquals(Map.of("USD", 1_750_000L, "EUR", 2_000_000L), s.micros());
        assertEquals(1, s.unpricedCostEvents());
        assertEquals("1.750000", Money.decimal(s.microsIn("USD")));
    }

    @Test
    void theFileIsReloadedWhenItChangesAndABadVersionKeepsThePrevious(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, TABLE);
        PriceBook book = new PriceBook();
        try (PriceFileWatcher w = PriceFileWatcher.start(file, book, 60_000)) {
            assertEquals("1", book.current().lookup("openai", "x").inputPerMillion().toPlainString());
            Files.writeString(file, TABLE.replace("\"1\", \"output_per_million\": \"1\"",
                    "\"3\", \"output_per_million\": \"1\""));
            w.check();
            assertEquals("3", book.current().lookup("openai", "x").inputPerMillion().toPlainString());
            Files.writeString(file, "{ broken");
            w.check();
            assertEquals("3", book.current().lookup("openai", "x").inputPerMillion().toPlainString());
            book.setFromTopic(PriceTable.EMPTY);
            assertNull(book.current().lookup("openai", "x"), "the policies topic's table wins over the file's");
            book.setFromTopic(null);
            assertEquals("3", book.current().lookup("openai", "x").inputPerMillion().toPlainString());
        }
        Files.writeString(file, "{ broken");
        assertThrows(IllegalArgumentException.class, () -> PriceFileWatcher.start(file, new PriceBook(), 60_000),
                "a bad file at start is an error");
    }
}
