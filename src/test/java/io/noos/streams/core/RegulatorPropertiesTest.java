package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.json.DecisionJson;
import io.noos.streams.json.SnapshotJson;
import io.noos.streams.testkit.AgentEventArbitraries;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property-based checks over random event sequences (valid events only). */
class RegulatorPropertiesTest {

    static final Set<String> DECISION_KINDS = Set.of("continue", "circuit_break", "scope_drift_warn",
            "procedural_warning");

    @Property(tries = 300)
    void neverThrowsAndDecisionsStayInTheVocabulary(@ForAll("sequences") List<AgentEvent> events,
                                                    @ForAll("configs") long[] config) {
        Regulator r = configured(config);
        long at = 0;
        for (AgentEvent e : events) {
            r.onEvent(e, at += 37);
            Decision d = r.decide();
            assertTrue(DECISION_KINDS.contains(d.kind()), d.kind());
            r.correctionsPrelude();
            r.metricsSnapshot().values().forEach(v -> assertTrue(Double.isFinite(v)));
            double c = r.confidence();
            assertTrue(c >= 0.0 && c <= 1.0, "confidence " + c);
        }
    }

    @Property(tries = 300)
    void decideIsIdempotentAndDoesNotChangeState(@ForAll("sequences") List<AgentEvent> events) {
        Regulator observed = Regulator.forUser("u").withImplicitCorrectionWindowMs(100);
        Regulator silent = Regulator.forUser("u").withImplicitCorrectionWindowMs(100);
        long at = 0;
        for (AgentEvent e : events) {
            at += 37;
            observed.onEvent(e, at);
            silent.onEvent(e, at);
            String first = DecisionJson.toJson(observed.decide());
            assertEquals(first, DecisionJson.toJson(observed.decide()));
            observed.correctionsPrelude();
        }
        assertEquals(DecisionJson.toJson(silent.decide()), DecisionJson.toJson(observed.decide()));
        assertEquals(silent.metricsSnapshot(), observed.metricsSnapshot());
        assertEquals(silent.export(), observed.export());
    }

    @Property(tries = 300)
    void exportImportExportIsAFixedPointForThePatterns(@ForAll("sequences") List<AgentEvent> events) {
        Regulator r = Regulator.forUser("u").withImplicitCorrectionWindowMs(50);
        long at = 0;
        for (AgentEvent e : events) {
            r.onEvent(e, at += 37);
        }
        RegulatorSnapshot first = r.export();
        RegulatorSnapshot second = Regulator.fromSnapshot(SnapshotJson.parse(SnapshotJson.toJson(first))).export();
        RegulatorSnapshot third = Regulator.fromSnapshot(SnapshotJson.parse(SnapshotJson.toJson(second))).export();
        assertEquals(first.correctionPatterns().keySet(), second.correctionPatterns().keySet());
        first.correctionPatterns().forEach((k, p) ->
                assertEquals(p.exampleCorrections(), second.correctionPatterns().get(k).exampleCorrections()));
        assertEquals(second.correctionPatterns(), third.correctionPatterns());
        assertEquals(SnapshotJson.toJson(second), SnapshotJson.toJson(third));
    }

    /** The full state codec: a regulator restored mid-sequence behaves exactly like the original. */
    @Property(tries = 300)
    void stateCodecRestoresExactlyMidTurn(@ForAll("sequences") List<AgentEvent> before,
                                          @ForAll("sequences") List<AgentEvent> after,
                                          @ForAll("configs") long[] config) {
        Regulator original = configured(config);
        long at = 0;
        for (AgentEvent e : before) {
            original.onEvent(e, at += 37);
        }
        Regulator restored = RegulatorStateCodec.decode(RegulatorStateCodec.encode(original));
        assertEquals(DecisionJson.toJson(original.decide()), DecisionJson.toJson(restored.decide()));
        for (AgentEvent e : after) {
            at += 37;
            original.onEvent(e, at);
            restored.onEvent(e, at);
            assertEquals(DecisionJson.toJson(original.decide()), DecisionJson.toJson(restored.decide()));
            assertEquals(original.metricsSnapshot(), restored.metricsSnapshot());
            assertEquals(original.correctionsPrelude(), restored.correctionsPrelude());
        }
        assertEquals(original.export(), restored.export());
        assertEquals(original.toolCountsByName(), restored.toolCountsByName());
        assertEquals(original.implicitCorrectionsCount(), restored.implicitCorrectionsCount());
    }

    private static Regulator configured(long[] c) {
        Regulator r = Regulator.forUser("u").withCostCap(c[0]).withScopeDriftThreshold(c[1] / 10.0);
        if (c[2] >= 0) {
            r.withImplicitCorrectionWindowMs(c[2]);
        }
        return r;
    }

    @Provide
    Arbitrary<long[]> configs() {
        return Combinators.combine(Arbitraries.longs().between(0, 3000), Arbitraries.longs().between(-2, 12),
                Arbitraries.longs().between(-1, 200)).as((a, b, c) -> new long[] {a, b, c});
    }

    @Provide
    Arbitrary<List<AgentEvent>> sequences() {
        return AgentEventArbitraries.events().list().ofMaxSize(80);
    }
}
