package io.noos.streams.pricing;

/**
 * The price table in force, read by the stream threads and replaced by whoever loads one: the
 * table set on the policies topic (reserved key {@value #POLICY_KEY}) when there is one, else the
 * file's ({@code noos.prices.file}), else none (every cost unpriced). Thread-safe.
 */
public final class PriceBook {
    /** The policies topic's key reserved for the price table (no user can have it as a policy). */
    public static final String POLICY_KEY = "noos:prices";

    private volatile PriceTable file = PriceTable.EMPTY;
    private volatile PriceTable topic;

    /** A book holding {@code file} as the file's table. */
    public static PriceBook of(PriceTable file) {
        PriceBook book = new PriceBook();
        book.setFromFile(file);
        return book;
    }

    public PriceTable current() {
        PriceTable t = topic;
        return t != null ? t : file;
    }

    public void setFromFile(PriceTable table) {
        file = table;
    }

    /** The policies topic's table; null (a tombstone) returns to the file's. */
    public void setFromTopic(PriceTable table) {
        topic = table;
    }
}
