package io.noos.streams.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule: break once one tool was called `count` times this turn with equal arguments (as JSON). */
class RepeatedIdenticalToolCallDetectorTest {

    @Test
    void theThirdIdenticalCallBreaksEvenWithOtherCallsBetween() {
        DetectorTestSupport d = new DetectorTestSupport(new RepeatedIdenticalToolCallDetector());
        d.call("search", "{\"q\":\"rust async\",\"limit\":5}");
        d.call("fetch", "{\"url\":\"https://example.org\"}");
        d.call("search", "{ \"limit\": 5, \"q\": \"rust async\" }");   // same value, other spelling
        assertNull(d.check(), "two identical calls");
        d.call("search", "{\"q\":\"rust sync\",\"limit\":5}");        // other arguments
        assertNull(d.check());
        d.call("search", "{\"limit\":5,\"q\":\"rust async\"}");
        BreakReason.RepeatedIdenticalToolCall r = reason(d.roundTrip().check());
        assertEquals("search", r.toolName());
        assertEquals(3, r.count());
        assertEquals(RepeatedIdenticalToolCallDetector.argumentsDigest("{\"q\":\"rust async\",\"limit\":5}"),
                r.argumentsDigest());
        assertTrue(r.argumentsDigest().matches("[0-9a-f]{16}"), r.argumentsDigest());
    }

    @Test
    void argumentsAreComparedAsValuesAndNoArgumentsIsAValueOfItsOwn() {
        assertEquals(RepeatedIdenticalToolCallDetector.argumentsDigest("{\"a\":1,\"b\":[1,2]}"),
                RepeatedIdenticalToolCallDetector.argumentsDigest("{\"b\": [1, 2], \"a\": 1}"));
        assertNotEquals(RepeatedIdenticalToolCallDetector.argumentsDigest("{\"b\":[2,1]}"),
                RepeatedIdenticalToolCallDetector.argumentsDigest("{\"b\":[1,2]}"), "array order matters");
        assertNotEquals(RepeatedIdenticalToolCallDetector.argumentsDigest(null),
                RepeatedIdenticalToolCallDetector.argumentsDigest(""));
        assertEquals(RepeatedIdenticalToolCallDetector.argumentsDigest("not json {"),
                RepeatedIdenticalToolCallDetector.argumentsDigest("not json {"));
        DetectorTestSupport d = new DetectorTestSupport(new RepeatedIdenticalToolCallDetector(), Map.of("count", 2.0));
        d.call("now", null).call("now", null);
        assertEquals(2, reason(d.check()).count());
    }

    @Test
    void aNewTurnForgetsTheCalls() {
        DetectorTestSupport d = new DetectorTestSupport(new RepeatedIdenticalToolCallDetector());
        d.call("search", "{}").call("search", "{}");
        d.turn();
        d.call("search", "{}");
        assertNull(d.check());
    }

    @Test
    void theMostRepeatedCallIsReported() {
        DetectorTestSupport d = new DetectorTestSupport(new RepeatedIdenticalToolCallDetector(), Map.of("count", 2.0));
        d.call("a", "1").call("a", "1").call("a", "1").call("b", "1").call("b", "1");
        assertEquals("a", reason(d.check()).toolName());
        d.call("b", "1");
        assertEquals("b", reason(d.check()).toolName(), "tie: the most recently called");
    }

    private static BreakReason.RepeatedIdenticalToolCall reason(Decision d) {
        return (BreakReason.RepeatedIdenticalToolCall) ((Decision.CircuitBreak) d).reason();
    }
}
