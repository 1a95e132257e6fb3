package io.noos.streams.bench;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.KeywordExtractor;
import io.noos.streams.core.Regulator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** JMH benchmarks of the regulator's hot paths; run with {@code bench jmh}. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RegulatorBenchmarks {
    private Regulator midTurn;

    @Setup
    public void setUp() {
        midTurn = Regulator.forUser("bench-user");
        midTurn.onEvent(TurnBench.TURN_START, 0);
        midTurn.onEvent(TurnBench.TURN_COMPLETE, 100);
        midTurn.onEvent(TurnBench.COST, 101);
        midTurn.onEvent(new AgentEvent.ToolCall("search_orders", "{}"), 102);
    }

    /** The turn_start hot path: rank20 over a typical user message. */
    @Benchmark
    public List<String> keywordExtraction() {
        return KeywordExtractor.rank20(TurnBench.TURN_START.userMessage());
    }

    /** rank20 over a typical response (longer text). */
    @Benchmark
    public List<String> keywordExtractionResponse() {
        return KeywordExtractor.rank20(TurnBench.TURN_COMPLETE.fullResponse());
    }

    /** decide() mid-turn, with drift, cost and a tool call in play. */
    @Benchmark
    public Decision decide() {
        return midTurn.decide();
    }

    /** 100 token events on a regulator mid-turn (the window wraps, as in a long turn). */
    @Benchmark
    public Regulator hundredTokens() {
        for (AgentEvent.Token t : TurnBench.TOKENS) {
            midTurn.onEvent(t, 1);
        }
        return midTurn;
    }

    /** Creating a regulator for a new user. */
    @Benchmark
    public Regulator newRegulator() {
        return Regulator.forUser("bench-user");
    }

    /** turn_complete: response keywords, pending response; drift is computed at the next decide. */
    @Benchmark
    public Decision turnCompleteAndDecide() {
        midTurn.onEvent(TurnBench.TURN_COMPLETE, 100);
        return midTurn.decide();
    }

    /** A whole turn on a fresh regulator, as {@code bench turn} measures it. */
    @Benchmark
    public int wholeTurn() {
        return TurnBench.turn();
    }
}
