package io.noos.streams.pricing;

import java.math.BigDecimal;

/**
 * One model's prices: {@code inputPerMillion} and {@code outputPerMillion} units of
 * {@code currency} per million tokens.
 */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion, String currency) {
    public Price {
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
        currency = Money.checkCurrency(currency);
    }

    /**
     * What {@code tokensIn} input and {@code tokensOut} output tokens cost: a micro-unit per token
     * is a unit per million tokens, so the micro-units are tokens times price, rounded half-even once.
     */
    public Money cost(long tokensIn, long tokensOut) {
        BigDecimal micros = inputPerMillion.multiply(BigDecimal.valueOf(tokensIn))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(tokensOut)));
        return Money.of(micros.movePointLeft(Money.SCALE), currency);
    }
}
