package io.noos.streams.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The price table as JSON, strictly checked (the file {@code noos.prices.file} and the policies
 * topic's {@value PriceBook#POLICY_KEY} entry):
 * <pre>{@code
 * {"note": "any text, e.g. EXAMPLE PRICES",
 *  "providers": {"openai": {"gpt-4o": {"input_per_million": "2.50", "output_per_million": "10.00", "currency": "USD"},
 *                           "*": {...}}}}
 * }</pre>
 * Prices are decimal strings or JSON numbers, zero or more; the currency an ISO 4217 code.
 */
public final class PriceTableJson {
    private PriceTableJson() {}

    /** The table in {@code json}, or an IllegalArgumentException saying what is wrong in one line. */
    public static PriceTable parse(byte[] json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("a price table is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a price table is a JSON object {\"providers\": {...}}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("providers") && !name.equals("note")) {
                throw new IllegalArgumentException("a price table has only \"providers\" and \"note\", not \"" + name + "\"");
            }
        }
        JsonNode providers = root.get("providers");
        if (providers == null || !providers.isObject()) {
            throw new IllegalArgumentException("a price table needs \"providers\": {\"<provider>\": {\"<model>\": {...}}}");
        }
        Map<String, Map<String, Price>> table = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> ps = providers.fields(); ps.hasNext(); ) {
            Map.Entry<String, JsonNode> p = ps.next();
            if (!p.getValue().isObject()) {
                throw new IllegalArgumentException("providers." + p.getKey() + " must be an object of models");
            }
            Map<String, Price> models = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> ms = p.getValue().fields(); ms.hasNext(); ) {
                Map.Entry<String, JsonNode> m = ms.next();
                String where = "providers." + p.getKey() + "." + m.getKey();
                models.put(m.getKey(), price(m.getValue(), where));
            }
            table.put(p.getKey(), models);
        }
        return new PriceTable(table);
    }

    private static Price price(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be {\"input_per_million\", \"output_per_million\", \"currency\"}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("input_per_million") && !name.equals("output_per_million") && !name.equals("currency")) {
                throw new IllegalArgumentException(where + " has an unknown field \"" + name + "\"");
            }
        }
        JsonNode currency = node.get("currency");
        if (currency == null || !currency.isTextual()) {
            throw new IllegalArgumentException(where + ".currency must be an ISO 4217 code such as \"USD\"");
        }
        try {
            return new Price(decimal(node, "input_per_million", where), decimal(node, "output_per_million", where),
                    currency.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
        }
    }

    private static BigDecimal decimal(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !(v.isTextual() || v.isNumber())) {
            throw new IllegalArgumentException(where + "." + field + " must be a decimal such as \"2.50\"");
        }
        try {
            BigDecimal d = new BigDecimal(v.asText());
            if (d.signum() < 0) {
                throw new IllegalArgumentException(where + "." + field + " must not be negative, got " + v.asText());
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + "." + field + " must be a decimal such as \"2.50\", got " + v);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
