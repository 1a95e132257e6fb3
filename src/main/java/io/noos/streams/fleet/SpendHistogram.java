package io.noos.streams.fleet;

import com.fasterxml.jackson.core.JsonGenerator;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import java.io.IOException;

/**
 * The users' spend in one window and scope as a log-scale histogram: each user who spent output
 * tokens is counted once, in the bucket of their total. Small (a count per occupied bucket, a few
 * dozen in practice), mergeable by adding counts (users are disjoint across tasks), and precise to
 * a stated bound.
 *
 * <p><b>Buckets.</b> A total {@code v ≥ 1} falls in bucket {@code i = 16·e + j} where
 * {@code e = ⌊log2 v⌋} (the position of {@code v}'s highest one bit) and {@code j} (0..15) is the
 * number of {@code m} in 1..15 with {@code v ≥ 2^e · B_m}, {@code B_m = Math.pow(2, m/16.0)} (2^(m/16)
 * to within an ulp): bucket {@code i} holds the totals in {@code [2^(i/16), 2^((i+1)/16))}, 16 buckets
 * per doubling, each {@code 2^(1/16)} ≈ 1.0443 times as wide as the one before. Totals up to
 * {@code 2^53} are compared exactly; beyond, as their nearest double.
 *
 * <p><b>Value of a bucket.</b> The geometric middle {@code 2^((i+0.5)/16)}, moved into the range
 * of the whole numbers the bucket holds when it lies outside it (so every total below 23, alone in
 * its bucket, is reported exactly). For any total {@code v} in bucket {@code i}, the bucket's value
 * differs from {@code v} by at most {@link #MAX_RELATIVE_ERROR}{@code ·v}, {@code 2^(1/32) − 1} ≈
 * 2.19 %: the middle is at most a factor {@code 2^(1/32)} from either end of the bucket, and the
 * move only brings it closer to {@code v}.
 *
 * <p><b>Median.</b> Of {@code n} users with totals {@code t_1 ≤ … ≤ t_n}: {@code t_k} with
 * {@code k = ⌈n/2⌉} (the middle one for odd {@code n}, the lower of the two middle ones for even
 * {@code n}). The histogram reports the value of the bucket holding the {@code k}-th smallest
 * total, which is {@code t_k}'s bucket (buckets are ordered like the totals), so its median differs
 * from {@code t_k} by at most {@link #MAX_RELATIVE_ERROR}{@code ·t_k}.
 *
 * <p>Mutable, not thread-safe.
 */
public final class SpendHistogram {
    public static final int BUCKETS_PER_DOUBLING = 16;
    /** The largest relative distance between a total and the value of its bucket: {@code 2^(1/32) − 1}. */
    public static final double MAX_RELATIVE_ERROR = Math.pow(2, 1.0 / (2 * BUCKETS_PER_DOUBLING)) - 1;
    /** Buckets of totals up to {@code Long.MAX_VALUE}: {@code 16·62 + 15}. */
    static final int MAX_BUCKET = BUCKETS_PER_DOUBLING * 63 - 1;

    /** {@code B_m}: the lower bounds of the 16 buckets of the doubling {@code [1, 2)}. */
    private static final double[] STEPS = new double[BUCKETS_PER_DOUBLING];
    private static final long[] EMPTY = new long[0];

    static {
        for (int m = 0; m < BUCKETS_PER_DOUBLING; m++) {
            STEPS[m] = Math.pow(2, (double) m / BUCKETS_PER_DOUBLING);
        }
    }

    /** {@code counts[k]}: the users in bucket {@code first + k}. */
    private long[] counts = EMPTY;
    private int first;
    private long users;

    /** The bucket of a total {@code v ≥ 1}. */
    public static int bucketOf(long v) {
        if (v < 1) {
            throw new IllegalArgumentException("a spend total must be at least 1, got " + v);
        }
        int e = 63 - Long.numberOfLeadingZeros(v);
        double mantissa = (double) v / (double) (1L << e);
        int j = 0;
        while (j + 1 < BUCKETS_PER_DOUBLING && mantissa >= STEPS[j + 1]) {
            j++;
        }
        return BUCKETS_PER_DOUBLING * e + j;
    }

    /** The least total of bucket {@code i}, as a double: {@code 2^(i/16)}. */
    public static double lowerBound(int i) {
        return Math.scalb(STEPS[i % BUCKETS_PER_DOUBLING], i / BUCKETS_PER_DOUBLING);
    }

    /** The value reported for the totals of bucket {@code i} (see the class comment). */
    public static double valueOf(int i) {
        double middle = Math.pow(2, (i + 0.5) / BUCKETS_PER_DOUBLING);
        double lower = lowerBound(i);
        double upper = lowerBound(i + 1);
        if (upper > 0x1p53) {
            return middle;
        }
        double least = Math.ceil(lower);           // the whole numbers v with lower ≤ v < upper
        double most = Math.ceil(upper) - 1;
        return Math.max(least, Math.min(most, middle));
    }

    /** Counts a user whose total is now {@code tokens} (≥ 1). */
    public void add(long tokens) {
        int i = bucketOf(tokens);
        grow(i);
        counts[i - first]++;
        users++;
    }

    /**
     * Uncounts a user whose total was {@code tokens}, before they are counted again with their new
     * total. Returns false, changing nothing, when no user is counted in that bucket (the counts
     * and the totals they come from disagree, e.g. just after an upgrade from partials without
     * histograms).
     */
    public boolean remove(long tokens) {
        int k = bucketOf(tokens) - first;
        if (k < 0 || k >= counts.length || counts[k] == 0) {
            return false;
        }
        counts[k]--;
        users--;
        return true;
    }

    /** A user's total grew from {@code before} (0: the user had not spent yet) to {@code after}. */
    public void move(long before, long after) {
        if (before > 0) {
            if (bucketOf(before) == bucketOf(after)) {
                return;
            }
            remove(before);
        }
        add(after);
    }

    /** Adds {@code other}'s users to this histogram's. */
    public void merge(SpendHistogram other) {
        if (other.users == 0) {
            return;
        }
        for (int k = 0; k < other.counts.length; k++) {
            if (other.counts[k] != 0) {
                int i = other.first + k;
                grow(i);
                counts[i - first] += other.counts[k];
            }
        }
        users += other.users;
    }

    private void grow(int i) {
        if (counts.length == 0) {
            counts = new long[8];
            first = Math.max(0, Math.min(i, MAX_BUCKET + 1 - counts.length));
            return;
        }
        if (i >= first && i < first + counts.length) {
            return;
        }
        int lo = Math.min(first, i);
        int hi = Math.max(first + counts.length, i + 1);
        int size = Math.max(hi - lo, Math.min(2 * counts.length, MAX_BUCKET + 1));
        int newFirst = i < first ? Math.max(0, hi - size) : lo;
        long[] grown = new long[Math.min(size, MAX_BUCKET + 1 - newFirst)];
        System.arraycopy(counts, 0, grown, first - newFirst, counts.length);
        counts = grown;
        first = newFirst;
    }

    /** How many users are counted. */
    public long users() {
        return users;
    }

    /** The median user's total (see the class comment), or NaN when no user is counted. */
    public double median() {
        if (users == 0) {
            return Double.NaN;
        }
        long k = (users + 1) / 2;
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= k) {
                return valueOf(first + b);
            }
        }
        throw new IllegalStateException("histogram counts do not add up to its users");
    }

    /** How many users bucket {@code i} counts. */
    public long usersInBucket(int i) {
        int k = i - first;
        return k < 0 || k >= counts.length ? 0 : counts[k];
    }

    public SpendHistogram copy() {
        SpendHistogram c = new SpendHistogram();
        c.merge(this);
        return c;
    }

    // ------------------------------------------------------------------ binary

    /**
     * Sparse: the number of occupied buckets, then per occupied bucket, by index, the distance
     * from the previous one (from -1 for the first) and its count, all varints.
     */
    public void writeTo(StateWriter out) {
        int occupied = 0;
        for (long c : counts) {
            if (c != 0) {
                occupied++;
            }
        }
        out.writeVarLong(occupied);
        int previous = -1;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] != 0) {
                out.writeVarLong(first + k - previous);
                out.writeVarLong(counts[k]);
                previous = first + k;
            }
        }
    }

    /** Reads what {@link #writeTo} wrote; malformed input raises IllegalStateException. */
    public static SpendHistogram readFrom(StateReader in) {
        SpendHistogram h = new SpendHistogram();
        int occupied = in.readCount();
        long bucket = -1;
        for (int n = 0; n < occupied; n++) {
            long step = in.readVarLong();
            long count = in.readVarLong();
            bucket += step;
            if (step < 1 || bucket > MAX_BUCKET || count < 1) {
                throw new IllegalStateException("malformed spend histogram at byte " + in.position());
            }
            h.grow((int) bucket);
            h.counts[(int) bucket - h.first] = count;
            h.users += count;
        }
        return h;
    }

    // ------------------------------------------------------------------ JSON

    /** {@code {"users":n,"median_tokens_out":x}}, the median null when no user spent. */
    public void writeJson(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("users", users);
        g.writeFieldName("median_tokens_out");
        if (users == 0) {
            g.writeNull();
        } else {
            g.writeNumber(median());
        }
        g.writeEndObject();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpendHistogram h) || h.users != users) {
            return false;
        }
        int lo = Math.min(first, h.first);
        int hi = Math.max(first + counts.length, h.first + h.counts.length);
        for (int i = lo; i < hi; i++) {
            if (usersInBucket(i) != h.usersInBucket(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        long hash = users;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] != 0) {
                hash = 31 * hash + (first + k) * 1_000_003L + counts[k];
            }
        }
        return Long.hashCode(hash);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SpendHistogram{users=").append(users);
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] != 0) {
                s.append(", ").append(first + k).append(':').append(counts[k]);
            }
        }
        return s.append('}').toString();
    }
}
