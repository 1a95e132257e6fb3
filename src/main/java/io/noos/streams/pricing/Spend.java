package io.noos.streams.pricing;

import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Money spent, one total per currency (amounts in different currencies are never added together),
 * and how many cost events could not be priced (their model is not in the price table and they
 * reported no amount). Immutable.
 */
public record Spend(Map<String, Long> micros, long unpricedCostEvents) {
    public static final Spend NONE = new Spend(Map.of(), 0);

    public Spend {
        micros = Collections.unmodifiableMap(new TreeMap<>(micros));
    }

    public boolean isEmpty() {
        return micros.isEmpty() && unpricedCostEvents == 0;
    }

    /** This spend plus one cost event's amount, or plus one unpriced cost event when {@code amount} is null. */
    public Spend plus(Money amount) {
        if (amount == null) {
            return new Spend(micros, unpricedCostEvents + 1);
        }
        Map<String, Long> next = new TreeMap<>(micros);
        next.merge(amount.currency(), amount.micros(), Spend::saturatingAdd);
        return new Spend(next, unpricedCostEvents);
    }

    /** Both spends, per currency. */
    public Spend plus(Spend other) {
        Map<String, Long> next = new TreeMap<>(micros);
        other.micros.forEach((c, m) -> next.merge(c, m, Spend::saturatingAdd));
        return new Spend(next, unpricedCostEvents + other.unpricedCostEvents);
    }

    /** The micro-units spent in {@code currency}. */
    public long microsIn(String currency) {
        return micros.getOrDefault(currency, 0L);
    }

    public void write(StateWriter out) {
        out.writeVarLong(micros.size());
        for (Map.Entry<String, Long> e : micros.entrySet()) {
            out.writeString(e.getKey());
            out.writeVarLong(e.getValue());
        }
        out.writeVarLong(unpricedCostEvents);
    }

    public static Spend read(StateReader in) {
        int n = in.readCount();
        Map<String, Long> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readString(), in.readVarLong());
        }
        return new Spend(m, in.readVarLong());
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
