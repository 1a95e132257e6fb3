package io.noos.streams.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the double layout that hold for every finite double, whatever its digits. */
class ReferenceJsonPropertiesTest {

    @Provide
    Arbitrary<Double> finiteDoubles() {
        return Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite);
    }

    @Property(tries = 5000)
    void readsBackAsTheSameDouble(@ForAll("finiteDoubles") double value) {
        String text = ReferenceJson.formatDouble(value);

        assertEquals(Double.doubleToRawLongBits(value), Double.doubleToRawLongBits(Double.parseDouble(text)), text);
    }

    @Property(tries = 5000)
    void neverHasMoreSignificantDigitsThanJavasOwnPrinter(@ForAll("finiteDoubles") double value) {
        String ours = significantDigits(ReferenceJson.formatDouble(value));
        String java = significantDigits(Double.toString(value));

        assertTrue(ours.length() <= java.length(), ours + " vs " + java);
    }

    @Property(tries = 5000)
    void usesOnlyTheReferenceAlphabet(@ForAll("finiteDoubles") double value) {
        String text = ReferenceJson.formatDouble(value);

        assertTrue(text.matches("-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?"), text);
        assertTrue(text.contains(".") || text.contains("e"), "a double never looks like an integer: " + text);
    }

    private static String significantDigits(String text) {
        String mantissa = text.replaceFirst("[eE].*$", "").replace("-", "").replace(".", "");
        String trimmed = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return trimmed.isEmpty() ? "0" : trimmed;
    }
}
