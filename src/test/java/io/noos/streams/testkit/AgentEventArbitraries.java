package io.noos.streams.testkit;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.FieldChecks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random valid events for property tests: every type, NaN and infinities, u32 limits, unusual words. */
public final class AgentEventArbitraries {
    private AgentEventArbitraries() {}

    public static Arbitrary<String> texts() {
        Arbitrary<String> words = Arbitraries.of("refactor", "async", "function", "logging", "Σίσυφος", "İstanbul",
                "k8s", "ai", "the", "cache", "fetch_user", "ÉCOLE", "数据库", "😀", "don't", "c++", "--flag", "",
                "timeout", "yaml", "auth", "authentication", "ΣΑΣ", "x\u0301");
        Arbitrary<String> seps = Arbitraries.of(" ", ", ", "\n", "? ", ". ", "\u3000", "/", "-");
        return Combinators.combine(words.list().ofMaxSize(12), seps).as((ws, sep) -> String.join(sep, ws));
    }

    public static Arbitrary<AgentEvent> events() {
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
