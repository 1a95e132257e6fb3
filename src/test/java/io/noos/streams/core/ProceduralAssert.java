package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

final class ProceduralAssert {
    private ProceduralAssert() {}

    static void assertPattern(Decision d, String cluster, long turns, double confidence, List<String> examples) {
        Decision.ProceduralWarning w = assertInstanceOf(Decision.ProceduralWarning.class, d);
        assertEquals(1, w.patterns().size());
        CorrectionPattern p = w.patterns().get(0);
        assertEquals(cluster, p.topicCluster());
        assertEquals("corrections_on_" + cluster, p.patternName());
        assertEquals(turns, p.learnedFromTurns());
        assertEquals(confidence, p.confidence());
        assertEquals(examples, p.exampleCorrections());
    }
}
