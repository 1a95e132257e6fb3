package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.json.DecisionJson;
import io.noos.streams.json.SnapshotJson;
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
        return events().list().ofMaxSize(80);
    }

    static Arbitrary<String> texts() {
        Arbitrary<String> words = Arbitraries.of("refactor", "async", "function", "logging", "Σίσυφος", "İstanbul",
                "k8s", "ai", "the", "cache", "fetch_user", "ÉCOLE", "数据库", "😀", "don't", "c++", "--flag", "",
                "timeout", "yaml", "auth", "authentication", "ΣΑΣ", "x\u0301");
        Arbitrary<String> seps = Arbitraries.of(" ", ", ", "\n", "? ", ". ", "\u3000", "/", "-");
        return Combinators.combine(words.list().ofMaxSize(12), seps).as((ws, sep) -> String.join(sep, ws));
    }

    static Arbitrary<AgentEvent> events() {
        Arbitrary<Double> logprobs = Arbitraries.oneOf(Arbitraries.doubles().between(-12, 0.5),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0));
        Arbitrary<Double> qualities = Arbitraries.oneOf(Arbitraries.doubles().between(-0.5, 1.5),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        Arbitrary<Long> u32 = Arbitraries.oneOf(Arbitraries.longs().between(0, 2000),
                Arbitraries.of(0L, FieldChecks.U32_MAX));
        Arbitrary<String> tools = Arbitraries.of("search", "read_file", "", "Search");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, texts().map(AgentEvent.TurnStart::new)),
                net.jqwik.api.Tuple.of(6, logprobs.map(lp -> new AgentEvent.Token("t", lp, 0))),
                net.jqwik.api.Tuple.of(3, texts().map(AgentEvent.TurnComplete::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(u32, u32, u32)
                        .as((a, b, c) -> new AgentEvent.Cost(a, b, c, null))),
                net.jqwik.api.Tuple.of(3, Combinators.combine(texts(), Arbitraries.of(true, true, false))
                        .as(AgentEvent.UserCorrection::new)),
                net.jqwik.api.Tuple.of(2, qualities.map(AgentEvent.QualityFeedback::new)),
                net.jqwik.api.Tuple.of(4, tools.map(n -> new AgentEvent.ToolCall(n, null))),
                net.jqwik.api.Tuple.of(2, Combinators.combine(tools, Arbitraries.of(true, false),
                        Arbitraries.longs().between(0, 1000)).as((n, s, d) -> new AgentEvent.ToolResult(n, s, d, null))));
    }
}
