package io.noos.streams.pricing;

import java.util.Map;
import java.util.TreeMap;

/**
 * Prices per provider and model. A cost event is priced by its provider's entry for the
 * envelope's model, else its provider's {@code *} entry; an event without a provider is looked up
 * under the provider {@code *}. Nothing else is tried: a model the table does not price stays
 * unpriced (counted as such), never guessed from a similar name.
 */
public record PriceTable(Map<String, Map<String, Price>> providers) {
    public static final String ANY = "*";
    public static final PriceTable EMPTY = new PriceTable(Map.of());

    public PriceTable {
        Map<String, Map<String, Price>> copy = new TreeMap<>();
        providers.forEach((p, models) -> copy.put(p, Map.copyOf(models)));
        providers = java.util.Collections.unmodifiableMap(copy);
    }

    /** The price of {@code model} (may be null) at {@code provider} (null: {@code *}), or null when unpriced. */
    public Price lookup(String provider, String model) {
        Map<String, Price> models = providers.get(provider == null ? ANY : provider);
        if (models == null) {
            return null;
        }
        Price exact = model == null ? null : models.get(model);
        return exact != null ? exact : models.get(ANY);
    }

    public boolean isEmpty() {
        return providers.isEmpty();
    }
}
