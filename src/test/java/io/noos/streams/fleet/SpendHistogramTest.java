package io.noos.streams.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.StateReader;
import io.noos.streams.core.StateWriter;
import io.noos.streams.json.Json;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The spend histogram against its rule: bucket {@code i} holds {@code [2^(i/16), 2^((i+1)/16))},
 * its value is the geometric middle {@code 2^((i+0.5)/16)} moved into the whole numbers it holds,
 * and the median is the {@code ⌈n/2⌉}-th smallest user's bucket value.
 */
class SpendHistogramTest {

    private static SpendHistogram of(long... totals) {
        SpendHistogram h = new SpendHistogram();
        for (long t : totals) {
            h.add(t);
        }
        return h;
    }

    /** The lower middle of the sorted totals: the ⌈n/2⌉-th smallest. */
    private static long exactMedian(List<Long> totals) {
        List<Long> sorted = new ArrayList<>(totals);
        sorted.sort(null);
        return sorted.get((sorted.size() + 1) / 2 - 1);
    }

    @Test
    void theErrorBoundIsTwoToTheOneThirtySecondMinusOne() {
        assertEquals(0.0218971486541166, SpendHistogram.MAX_RELATIVE_ERROR, 1e-15);
    }

    @Test
    void bucketsAreSixteenPerDoublingFromOne() {
        assertEquals(0, SpendHistogram.bucketOf(1));
        assertEquals(16, SpendHistogram.bucketOf(2), "2 = 2^(16/16)");
        assertEquals(32, SpendHistogram.bucketOf(4));
        assertEquals(25, SpendHistogram.bucketOf(3), "16·log2 3 = 25.36");
        assertEquals(122, SpendHistogram.bucketOf(200), "16·log2 200 = 122.30");
        assertEquals(159, SpendHistogram.bucketOf(1000), "16·log2 1000 = 159.45");
        assertEquals(160, SpendHistogram.bucketOf(1024));
        assertEquals(159, SpendHistogram.bucketOf(1023));
        assertEquals(16 * 62 + 15, SpendHistogram.bucketOf(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> SpendHistogram.bucketOf(0));
    }

    /** Away from the irrational bounds, the bucket is ⌊16·log2 v⌋. */
    @Test
    void theBucketIsTheFloorOfSixteenTimesLogTwo() {
        Random random = new Random(7);
        for (int n = 0; n < 100_000; n++) {
            long v = 1 + (long) Math.floor(Math.exp(random.nextDouble() * Math.log(1e15)));
            double exact = 16 * Math.log(v) / Math.log(2);
            if (Math.abs(exact - Math.rint(exact)) < 1e-9) {
                continue;
            }
            assertEquals((int) Math.floor(exact), SpendHistogram.bucketOf(v), "v=" + v);
        }
    }

    @Test
    void theValueOfABucketIsItsGeometricMiddleMovedIntoItsWholeNumbers() {
        // Below 23 a bucket holds at most one whole number (it is narrower than 1): exact.
        assertEquals(1.0, SpendHistogram.valueOf(SpendHistogram.bucketOf(1)), "[1, 1.044) holds only 1; middle 1.022");
        assertEquals(3.0, SpendHistogram.valueOf(SpendHistogram.bucketOf(3)), "[2.954, 3.084) holds only 3");
        assertEquals(20.0, SpendHistogram.valueOf(SpendHistogram.bucketOf(20)), "[19.87, 20.75) holds only 20; middle 20.30");
        assertEquals(22.0, SpendHistogram.valueOf(SpendHistogram.bucketOf(22)), "[21.67, 22.63): only 22; middle 22.14");
        // 200 → bucket 122 = [197.40, 206.14), whole numbers 198..206; the middle 2^(122.5/16) = 201.73 is among them.
        assertEquals(Math.pow(2, 122.5 / 16), SpendHistogram.valueOf(122), 1e-9);
        assertEquals(201.7255481738, SpendHistogram.valueOf(122), 1e-9);
        // 1000 → bucket 159 = [980.59, 1024): middle 2^(159.5/16) = 1002.06.
        assertEquals(1002.0577915778, SpendHistogram.valueOf(159), 1e-9);
    }

    @Test
    void everyTotalIsWithinTheBoundOfItsBucketsValue() {
        for (long v = 1; v < 200_000; v++) {
            double value = SpendHistogram.valueOf(SpendHistogram.bucketOf(v));
            assertTrue(Math.abs(value - v) <= SpendHistogram.MAX_RELATIVE_ERROR * v + 1e-9, "v=" + v + " value=" + value);
        }
        Random random = new Random(11);
        for (int n = 0; n < 100_000; n++) {
            long v = 1 + (random.nextLong() >>> 1) % 1_000_000_000_000_000L;
            double value = SpendHistogram.valueOf(SpendHistogram.bucketOf(v));
            assertTrue(Math.abs(value - v) <= SpendHistogram.MAX_RELATIVE_ERROR * v * (1 + 1e-12), "v=" + v);
        }
    }

    @Test
    void theMedianOfAnOddCountIsTheMiddleOneAndOfAnEvenCountTheLowerMiddleOne() {
        assertTrue(Double.isNaN(new SpendHistogram().median()), "no users: no median");
        assertEquals(7.0, of(7).median());
        assertEquals(20.0, of(30, 10, 20).median());
        assertEquals(20.0, of(40, 10, 30, 20).median(), "even: the lower of 20 and 30");
        assertEquals(10.0, of(10, 20).median());
        assertEquals(30.0, of(50, 10, 40, 30, 20).median());
        // 100, 200, 300, 400: the lower middle is 200, reported as its bucket's value 2^(122.5/16).
        assertEquals(Math.pow(2, 122.5 / 16), of(100, 200, 300, 400).median(), 1e-9);
        assertEquals(4, of(100, 200, 300, 400).users());
    }

    @Test
    void aUserMovesToTheBucketOfTheirNewTotal() {
        SpendHistogram h = of(5, 6, 7);
        h.move(0, 1);        // a new user: 1, 5, 6, 7 → lower middle 5
        assertEquals(4, h.users());
        assertEquals(5.0, h.median());
        h.move(1, 9);        // 5, 6, 7, 9 → 6
        h.move(5, 20);       // 6, 7, 9, 20 → 7
        assertEquals(4, h.users());
        assertEquals(7.0, h.median());
        assertEquals(0, h.usersInBucket(SpendHistogram.bucketOf(1)));
        assertEquals(1, h.usersInBucket(SpendHistogram.bucketOf(20)));
        h.move(1000, 1001);  // same bucket (159): nothing moves
        assertEquals(4, h.users());
        assertFalse(h.remove(12), "nobody is in 12's bucket");
        assertEquals(4, h.users());
        assertTrue(h.remove(20));
        assertEquals(3, h.users());
    }

    @Test
    void aMergeAddsTheUsersOfEachBucket() {
        SpendHistogram a = of(10, 1_000_000);
        SpendHistogram b = of(1, 20, 30, 5_000_000_000L);
        a.merge(b);
        assertEquals(of(1, 10, 20, 30, 1_000_000, 5_000_000_000L), a);
        assertEquals(6, a.users());
        assertEquals(20.0, a.median(), "1, 10, 20, 30, ...: the 3rd of 6");
        assertEquals(4, b.users(), "the merged-in histogram is left as it was");
        a.merge(new SpendHistogram());
        assertEquals(6, a.users());
    }

    @Test
    void theBinaryFormIsSparseAndRoundTrips() {
        SpendHistogram h = of(1, 1, 3, 1_000, 1_000, 1_000, Long.MAX_VALUE);
        StateWriter out = new StateWriter(16);
        h.writeTo(out);
        byte[] bytes = out.toByteArray();
        // 4 occupied buckets (0, 25, 159, 1007): count, then (step, count) each: 1 + 1+1 + 1+1 + 2+1 + 2+1.
        assertEquals(11, bytes.length);
        SpendHistogram back = SpendHistogram.readFrom(new StateReader(bytes, 0));
        assertEquals(h, back);
        assertEquals(7, back.users());
        assertEquals(2, back.usersInBucket(0));
        assertEquals(1, back.usersInBucket(16 * 62 + 15));

        StateWriter empty = new StateWriter(4);
        new SpendHistogram().writeTo(empty);
        assertEquals(1, empty.toByteArray().length);
        assertEquals(new SpendHistogram(), SpendHistogram.readFrom(new StateReader(empty.toByteArray(), 0)));

        assertThrows(IllegalStateException.class, () -> SpendHistogram.readFrom(new StateReader(new byte[] {1, 0, 1}, 0)),
                "a step of 0 is no bucket after the previous one");
        assertThrows(IllegalStateException.class, () -> SpendHistogram.readFrom(new StateReader(new byte[] {2, 1, 1}, 0)),
                "truncated");
    }

    @Test
    void theJsonIsTheUserCountAndTheMedian() throws Exception {
        assertEquals(Json.mapper().readTree("{\"users\":3,\"median_tokens_out\":20.0}"), json(of(10, 20, 30)));
        assertEquals(Json.mapper().readTree("{\"users\":0,\"median_tokens_out\":null}"), json(new SpendHistogram()));
    }

    private static JsonNode json(SpendHistogram h) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
            h.writeJson(g);
        }
        return Json.mapper().readTree(w.toString());
    }

    /**
     * Random users spending in random steps, split over random tasks and merged: the median is the
     * value of the exact lower median's bucket, hence within the bound of it.
     */
    @RepeatedTest(50)
    void theMedianOfMergedRandomSpendIsWithinTheBoundOfTheExactMedian() {
        Random random = new Random();
        int tasks = 1 + random.nextInt(4);
        int users = 1 + random.nextInt(300);
        Map<String, Long> totals = new HashMap<>();
        List<SpendHistogram> parts = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            parts.add(new SpendHistogram());
        }
        double scale = Math.pow(10, random.nextInt(7));
        for (int e = 0; e < users * 4; e++) {
            String user = "u" + random.nextInt(users);
            long tokens = 1 + (long) (random.nextDouble() * random.nextDouble() * scale);
            long before = totals.getOrDefault(user, 0L);
            long after = before + tokens;
            totals.put(user, after);
            parts.get(Math.floorMod(user.hashCode(), tasks)).move(before, after);
        }
        SpendHistogram merged = new SpendHistogram();
        parts.forEach(merged::merge);

        long exact = exactMedian(new ArrayList<>(totals.values()));
        assertEquals(totals.size(), merged.users());
        assertEquals(SpendHistogram.valueOf(SpendHistogram.bucketOf(exact)), merged.median(), "exact median " + exact);
        assertTrue(Math.abs(merged.median() - exact) <= SpendHistogram.MAX_RELATIVE_ERROR * exact + 1e-9,
                "median " + merged.median() + " vs exact " + exact);
        SpendHistogram direct = new SpendHistogram();
        totals.values().forEach(direct::add);
        assertEquals(direct, merged, "moving users as they spend ends where adding their totals does");
    }
}
