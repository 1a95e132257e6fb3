package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.json.DecisionJson;
import io.noos.streams.json.EventJson;
import io.noos.streams.json.Json;
import io.noos.streams.json.SnapshotJson;
import io.noos.streams.testkit.SpecDecisionCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing from the conformance vectors: each try takes one vector's event sequence (real scenarios:
 * loops, drifts, corrections, budgets) and mutates it: events dropped, duplicated, swapped, spans
 * reversed, another vector's events spliced in, values pushed to extremes (NaN and infinite
 * log-probabilities and qualities, u32 and u64 maxima, 100 000-character texts, unusual Unicode),
 * event time jumping backwards or to the ends of the range; the regulator's settings are the
 * vector's or extreme ones. Whatever the sequence, the regulator never throws, every decision is in
 * the spec's vocabulary ({@link SpecDecisionCheck}), {@code decide()} stays idempotent, and the
 * snapshot and state codecs still work. Values an event cannot hold (a u32 above 2^32 - 1, an
 * unpaired surrogate) are refused by the event's constructor with {@link InvalidEventException}
 * and nothing else, as the service's dead-letter path expects.
 */
class MutatedVectorsPropertiesTest {
    private static final List<Scenario> SCENARIOS = loadScenarios();

    private static final String[] UNUSUAL = {"\u0130stanbul \u0131", "\u03a3\u0391\u03a3 \u03c2 \u00df \ufb01", "a\u0301 e\u0308",
            "\ud83d\udc69\u200d\ud83d\udcbb\ud83c\udff3\ufe0f\u200d\ud83c\udf08", "\u200b\u200c\u200d\u2060", "\u202eevil\u202c \u0645\u0631\u062d\u0628\u0627",
            "\ufeff\ufffd\ufffe\uffff", "\ud835\udd18\ud835\udd2b\ud835\udd26 \ud83d\ude00", "nul \u0000 bell \u0007", "\u01c5 \u1e9e \u0149",
            "\u6570\u636e\u5e93 \u30c7\u30fc\u30bf", "   ", ""};

    /** Decision kinds and break reasons the fuzzing reached: it must reach them all. */
    private static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

    /** One vector's events with their times, and its settings. */
    record Scenario(String name, List<Timed> events, Long costCap, Double driftThreshold, Long windowMs) {}

    record Timed(AgentEvent event, long atMs) {}

    /** One edit of a sequence; {@code a}, {@code b} pick positions and values. */
    record Mutation(int op, int a, int b) {}

    @Property(tries = 400)
    void mutatedVectorsNeverThrowAndDecideWithinTheVocabulary(@ForAll("scenarioIndex") int base,
                                                              @ForAll("scenarioIndex") int other,
                                                              @ForAll("mutations") List<Mutation> mutations,
                                                              @ForAll("settings") int settings) {
        Scenario scenario = SCENARIOS.get(base);
        List<Timed> events = new ArrayList<>(scenario.events());
        for (Mutation m : mutations) {
            apply(m, events, SCENARIOS.get(other).events());
        }
        Regulator r = configured(scenario, settings);
        for (Timed t : events) {
            r.onEvent(t.event(), t.atMs());
            Decision d = r.decide();
            SpecDecisionCheck.check(r, d);
            SEEN.merge(d instanceof Decision.CircuitBreak b ? b.reason().kind() : d.kind(), 1, Integer::sum);
            assertEquals(DecisionJson.toJson(d), DecisionJson.toJson(r.decide()), "decide() is idempotent");
            r.metricsSnapshot().values().forEach(v -> assertTrue(Double.isFinite(v), "metric " + v));
            assertTrue(r.confidence() >= 0.0 && r.confidence() <= 1.0, "confidence " + r.confidence());
        }
        Regulator restored = RegulatorStateCodec.decode(RegulatorStateCodec.encode(r));
        assertEquals(DecisionJson.toJson(r.decide()), DecisionJson.toJson(restored.decide()));
        Regulator reimported = Regulator.fromSnapshot(SnapshotJson.parse(SnapshotJson.toJson(r.export())));
        SpecDecisionCheck.check(reimported, reimported.decide());
    }

    @AfterContainer
    static void everyDecisionKindAndBreakReasonWasReached() {
        assertEquals(Set.of("continue", "scope_drift_warn", "procedural_warning", "cost_cap_reached",
                "quality_decline_no_recovery", "repeated_tool_call_loop"), SEEN.keySet(), "reached: " + SEEN);
    }

    @Property(tries = 200)
    void valuesOutsideTheEventTypesAreRefusedWithInvalidEventExceptionOnly(@ForAll("outOfRange") Runnable construct) {
        try {
            construct.run();
            throw new AssertionError("accepted");
        } catch (InvalidEventException expected) {
            assertTrue(!expected.getMessage().isEmpty());
        }
    }

    // ------------------------------------------------------------------ mutations

    private static void apply(Mutation m, List<Timed> events, List<Timed> other) {
        int n = events.size();
        int i = n == 0 ? 0 : Math.floorMod(m.a(), n);
        int j = n == 0 ? 0 : Math.floorMod(m.b(), n);
        switch (m.op()) {
            case 0 -> { if (n > 0) events.remove(i); }
            case 1 -> { if (n > 0) events.add(i, events.get(i)); }
            case 2 -> { if (n > 1) java.util.Collections.swap(events, i, j); }
            case 3 -> { if (n > 1) java.util.Collections.reverse(events.subList(Math.min(i, j), Math.max(i, j) + 1)); }
            case 4 -> {                                       // splice a span of another vector in
                if (!other.isEmpty()) {
                    int from = Math.floorMod(m.a(), other.size());
                    int to = Math.min(other.size(), from + 1 + Math.floorMod(m.b(), 12));
                    events.addAll(i, other.subList(from, to));
                }
            }
            case 5 -> { if (n > 0) events.set(i, new Timed(extreme(events.get(i).event(), m.b()), events.get(i).atMs())); }
            case 6 -> {                                       // event time backwards or to the ends of the range
                if (n > 0) {
                    long[] times = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, events.get(i).atMs() - 1_000_000};
                    events.set(i, new Timed(events.get(i).event(), times[Math.floorMod(m.b(), times.length)]));
                }
            }
            default -> {                                      // a burst of one tool: a loop in the middle
                String tool = m.b() % 2 == 0 ? "search" : UNUSUAL[Math.floorMod(m.b(), UNUSUAL.length)];
                for (int k = 0; k < 6; k++) {
                    events.add(i, new Timed(new AgentEvent.ToolCall(tool, null), k));
                }
            }
        }
    }

    /** The same kind of event with an extreme value chosen by {@code pick}. */
    static AgentEvent extreme(AgentEvent e, int pick) {
        int p = Math.floorMod(pick, 8);
        double[] doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -Double.MAX_VALUE,
                Double.MAX_VALUE, -0.0, Double.MIN_VALUE, 1e-320};
        long[] unsigned = {0, FieldChecks.U32_MAX, -1L /* u64 max */, Long.MAX_VALUE, Long.MIN_VALUE, 1, 2, 3};
        if (e instanceof AgentEvent.Token t) {
            return new AgentEvent.Token(text(pick), doubles[p], unsigned[p]);
        } else if (e instanceof AgentEvent.QualityFeedback) {
            return new AgentEvent.QualityFeedback(doubles[p], p % 2 == 0 ? null
                    : List.of(new AgentEvent.FragmentSpan(unsigned[p], unsigned[(p + 1) % 8])));
        } else if (e instanceof AgentEvent.Cost c) {
            long u32 = p % 2 == 0 ? FieldChecks.U32_MAX : 0;
            return new AgentEvent.Cost(u32, p < 4 ? FieldChecks.U32_MAX : c.tokensOut(), u32, p % 3 == 0 ? null : text(pick));
        } else if (e instanceof AgentEvent.TurnStart) {
            return new AgentEvent.TurnStart(text(pick));
        } else if (e instanceof AgentEvent.TurnComplete) {
            return new AgentEvent.TurnComplete(text(pick));
        } else if (e instanceof AgentEvent.UserCorrection c) {
            return new AgentEvent.UserCorrection(text(pick), !c.correctsLast());
        } else if (e instanceof AgentEvent.ToolCall) {
            return new AgentEvent.ToolCall(text(pick), p % 2 == 0 ? null : text(pick + 1));
        } else if (e instanceof AgentEvent.ToolResult r) {
            return new AgentEvent.ToolResult(p % 2 == 0 ? r.toolName() : text(pick), p % 3 == 0, unsigned[p],
                    p % 2 == 0 ? null : text(pick));
        }
        return e;
    }

    /** A huge text (100 000 characters of words, unusual ones among them) or an unusual short one. */
    private static String text(int pick) {
        String word = UNUSUAL[Math.floorMod(pick, UNUSUAL.length)];
        if (Math.floorMod(pick, 5) == 0) {
            StringBuilder b = new StringBuilder(100_000);
            while (b.length() < 100_000) {
                b.append("refactor ").append(word).append(" async logging ");
            }
            return b.toString();
        }
        return word + " refactor the async " + word;
    }

    // ------------------------------------------------------------------ settings

    private static Regulator configured(Scenario s, int settings) {
        Regulator r = Regulator.forUser(settings % 7 == 0 ? "\ud83d\ude00 \u0130 user" : "u-" + s.name());
        switch (settings % 4) {
            case 0 -> {                                       // the vector's own settings
                if (s.costCap() != null) {
                    r.withCostCap(s.costCap());
                }
                if (s.driftThreshold() != null) {
                    r.withScopeDriftThreshold(s.driftThreshold());
                }
                if (s.windowMs() != null) {
                    r.withImplicitCorrectionWindowMs(s.windowMs());
                }
            }
            case 1 -> r.withCostCap(0).withScopeDriftThreshold(0.0).withImplicitCorrectionWindowMs(0);
            case 2 -> r.withCostCap(FieldChecks.U32_MAX).withScopeDriftThreshold(1.0)
                    .withImplicitCorrectionWindowMs(Long.MAX_VALUE);
            default -> r.withScopeDriftThreshold(Double.NaN);   // ignored: the default stays
        }
        return r;
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Integer> scenarioIndex() {
        return Arbitraries.integers().between(0, SCENARIOS.size() - 1);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers(), Arbitraries.integers()).as(Mutation::new);
        return one.list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<Integer> settings() {
        return Arbitraries.integers().between(0, 27);
    }

    @Provide
    Arbitrary<Runnable> outOfRange() {
        Arbitrary<Long> aboveU32 = Arbitraries.longs().between(FieldChecks.U32_MAX + 1, Long.MAX_VALUE);
        Arbitrary<Long> negative = Arbitraries.longs().between(Long.MIN_VALUE, -1);
        Arbitrary<String> unpaired = Arbitraries.of("\ud800", "x\udc00y", "ok \ud83d", "\ude00 then");
        return Arbitraries.oneOf(
                aboveU32.map(v -> () -> new AgentEvent.Cost(v, 1, 1, null)),
                negative.map(v -> () -> new AgentEvent.Cost(1, v, 1, null)),
                aboveU32.map(v -> () -> new AgentEvent.Cost(1, 1, v, "openai")),
                unpaired.map(s -> () -> new AgentEvent.TurnStart(s)),
                unpaired.map(s -> () -> new AgentEvent.TurnComplete("fine " + s)),
                unpaired.map(s -> () -> new AgentEvent.UserCorrection(s, true)),
                unpaired.map(s -> () -> new AgentEvent.ToolCall(s, null)),
                unpaired.map(s -> () -> new AgentEvent.ToolCall("search", s)),
                unpaired.map(s -> () -> new AgentEvent.ToolResult("search", false, 1, s)),
                unpaired.map(s -> () -> new AgentEvent.Token(s, -0.1, 0)),
                unpaired.map(s -> () -> new AgentEvent.Cost(1, 1, 1, s)));
    }

    // ------------------------------------------------------------------ the vectors

    private static List<Scenario> loadScenarios() {
        List<Scenario> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(MutatedVectorsPropertiesTest.class.getClassLoader()
                .getResource("conformance/vectors").toURI()))) {
            for (Path file : files.sorted().toList()) {
                JsonNode vector = Json.mapper().readTree(Files.readString(file));
                if (!"regulator".equals(vector.path("kind").asText("regulator"))) {
                    continue;
                }
                List<Timed> events = new ArrayList<>();
                for (JsonNode step : vector.path("steps")) {
                    if ("event".equals(step.path("op").asText())) {
                        events.add(new Timed(EventJson.parse(step.get("event").toString()), step.path("at_ms").asLong()));
                    }
                }
                JsonNode config = vector.path("config");
                out.add(new Scenario(file.getFileName().toString(), List.copyOf(events),
                        config.has("cost_cap") ? config.get("cost_cap").asLong() : null,
                        config.has("scope_drift_threshold") && config.get("scope_drift_threshold").isNumber()
                                ? config.get("scope_drift_threshold").asDouble() : null,
                        config.has("implicit_correction_window_ms") ? config.get("implicit_correction_window_ms").asLong() : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (out.size() < 300) {
            throw new IllegalStateException("expected the regulator vectors, found " + out.size());
        }
        return List.copyOf(out);
    }
}
