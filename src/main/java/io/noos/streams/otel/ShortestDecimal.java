package io.noos.streams.otel;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The shortest decimal digit string that reads back as a given double, as the reference's float
 * printer (Ryu) finds it: {@code value = digits × 10^exponent}, with no trailing zero in
 * {@code digits}.
 *
 * <p>JDK 17's {@link Double#toString(double)} is not always shortest (it prints {@code 4.9E-324}
 * for {@code 5e-324}), so the digits are searched for directly: for 1, 2, … 17 significant digits,
 * the two decimals of that length on either side of the exact binary value are tried, nearest
 * first, and the first one that parses back to the same double wins. Trying both neighbours matters
 * at powers of two, where the round-trip interval is narrower below the value than above it.
 */
record ShortestDecimal(String digits, int exponent) {

    private static final int MAX_SIGNIFICANT_DIGITS = 17;

    /** The shortest round-trip decimal of a finite, strictly positive double. */
    static ShortestDecimal of(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("expected a finite positive double, got " + value);
        }
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= MAX_SIGNIFICANT_DIGITS; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (readsBackAs(nearest, value)) {
                return fromDecimal(nearest);
            }
            RoundingMode towardOtherNeighbour = nearest.compareTo(exact) < 0 ? RoundingMode.UP : RoundingMode.DOWN;
            BigDecimal otherNeighbour = exact.round(new MathContext(precision, towardOtherNeighbour));
            if (readsBackAs(otherNeighbour, value)) {
                return fromDecimal(otherNeighbour);
            }
        }
        throw new AssertionError("17 significant digits always identify a double: " + value);
    }

    /** Number of significant digits. */
    int length() {
        return digits.length();
    }

    /** The decimal exponent {@code kk} such that {@code 10^(kk−1) ≤ value < 10^kk}. */
    int pointPosition() {
        return digits.length() + exponent;
    }

    private static boolean readsBackAs(BigDecimal candidate, double value) {
        return Double.parseDouble(candidate.toString()) == value;
    }

    private static ShortestDecimal fromDecimal(BigDecimal decimal) {
        BigDecimal stripped = decimal.stripTrailingZeros();
        return new ShortestDecimal(stripped.unscaledValue().toString(), -stripped.scale());
    }
}
