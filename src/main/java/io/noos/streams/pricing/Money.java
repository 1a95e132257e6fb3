package io.noos.streams.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * An amount of money: a currency (ISO 4217 code, upper case) and a whole number of micro-units
 * (millionths of the currency's unit), so amounts add exactly and never travel as binary floats.
 * In JSON an amount is a decimal string ({@code "0.012345"}), in Avro a {@code long} of micro-units.
 */
public record Money(String currency, long micros) {
    /** Micro-units per unit of a currency. */
    public static final int SCALE = 6;

    public Money {
        currency = checkCurrency(currency);
    }

    /**
     * {@code amount} (a decimal, rounded half-even to micro-units) in {@code currency}.
     *
     * @throws IllegalArgumentException for an unknown currency, a negative or too large amount
     */
    public static Money of(BigDecimal amount, String currency) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("an amount must not be negative, got " + amount.toPlainString());
        }
        BigDecimal micros = amount.setScale(SCALE, RoundingMode.HALF_EVEN).movePointRight(SCALE);
        if (micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("an amount is too large: " + amount.toPlainString());
        }
        return new Money(currency, micros.longValueExact());
    }

    /** {@link #of(BigDecimal, String)} of a decimal text such as {@code "0.0125"}. */
    public static Money parse(String amount, String currency) {
        BigDecimal value;
        try {
            value = new BigDecimal(amount);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("an amount is a decimal number such as \"0.0125\", got "
                    + (amount == null ? "nothing" : "\"" + amount + "\""));
        }
        return of(value, currency);
    }

    /** The amount as a decimal text with six decimals: {@code "0.012345"}. */
    public String amount() {
        return decimal(micros);
    }

    /** Micro-units as a decimal text with six decimals. */
    public static String decimal(long micros) {
        return BigDecimal.valueOf(micros, SCALE).toPlainString();
    }

    /** Micro-units of a decimal text (as {@link #decimal} writes it, or any decimal, rounded half-even). */
    public static long micros(String decimal) {
        return parse(decimal, "XXX").micros();
    }

    /** {@code currency} upper-cased when it is an ISO 4217 code, else an IllegalArgumentException. */
    public static String checkCurrency(String currency) {
        if (currency == null || !currency.matches("[A-Za-z]{3}")) {
            throw new IllegalArgumentException("a currency is a three-letter ISO 4217 code such as \"USD\", got "
                    + (currency == null ? "nothing" : "\"" + currency + "\""));
        }
        String code = currency.toUpperCase(java.util.Locale.ROOT);
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency \"" + currency + "\" (ISO 4217 codes such as USD, EUR)");
        }
        return code;
    }

    @Override
    public String toString() {
        return amount() + " " + currency;
    }

    /** The ISO 4217 numeric code of {@code currency} (840 for USD). */
    public static int numericCode(String currency) {
        return Currency.getInstance(checkCurrency(currency)).getNumericCode();
    }

    /** The three-letter code of an ISO 4217 numeric code, or null when none has it. */
    public static String alphaCode(int numericCode) {
        for (Currency c : Currency.getAvailableCurrencies()) {
            if (c.getNumericCode() == numericCode && !c.getCurrencyCode().startsWith("X")) {
                return c.getCurrencyCode();
            }
        }
        for (Currency c : Currency.getAvailableCurrencies()) {
            if (c.getNumericCode() == numericCode) {
                return c.getCurrencyCode();
            }
        }
        return null;
    }
}
