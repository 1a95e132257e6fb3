package io.noos.streams.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user's regulator: feed it the agent's events in order, ask {@link #decide()} what the
 * orchestrator should do. A faithful port of the reference regulator (Rust crate noos 0.4.x);
 * {@code docs: ../shared/spec/regulator.md}. Not thread-safe: one instance per user, one thread at
 * a time.
 *
 * <pre>{@code
 * Regulator r = Regulator.forUser("alice").withCostCap(2_000);
 * r.onEvent(new AgentEvent.TurnStart("refactor this function to be async"), atMs);
 * r.onEvent(new AgentEvent.TurnComplete("add logging and error handling"), atMs + 900);
 * Decision d = r.decide();   // ScopeDriftWarn[driftTokens=[handling, logging, error], ...]
 * }</pre>
 *
 * <p>Implicit corrections are gated on <em>event time</em> (the {@code atMs} passed with each
 * event), not on the wall clock, so replaying a log decides exactly as the live run did.
 */
public final class Regulator {

    /** Default output-token cap. */
    public static final long DEFAULT_COST_CAP = CostQualityTracker.DEFAULT_CAP;
    /** Default scope-drift threshold. */
    public static final double DEFAULT_SCOPE_DRIFT_THRESHOLD = 0.5;

    static final String SUGGESTION_COST_CAP =
            "Cost cap reached with poor recent quality. Ask the user to clarify scope or abandon this task.";
    static final String SUGGESTION_QUALITY_DECLINE =
            "Response quality is declining without recovery. Consider redirecting or simplifying the task.";
    static final String SUGGESTION_TOOL_LOOP =
            "Agent repeatedly called the same tool without progress. Break the loop: re-prompt with a "
                    + "different approach, escalate to the user, or mark the task unresolved.";
    static final String PRELUDE_HEADER = "User has previously corrected responses on this topic with:";

    final String userId;
    final TokenStatistics tokens = new TokenStatistics();
    final ToolCallTracker tools = new ToolCallTracker();
    final CostQualityTracker costs = new CostQualityTracker();
    final CorrectionStore corrections = new CorrectionStore();

    KeywordBag taskKeywords = KeywordBag.EMPTY;
    KeywordBag responseKeywords = KeywordBag.EMPTY;
    String currentCluster = "";
    /** The last TurnComplete's text until a QualityFeedback drains it; null when absent. */
    String pendingResponse;

    /** Implicit-correction window in ms; negative means the feature is off. */
    long implicitWindowMs = -1;
    boolean turnCompleteStamped;
    long lastTurnCompleteAtMs;
    long implicitCount;
    double driftThreshold = DEFAULT_SCOPE_DRIFT_THRESHOLD;

    /** The snapshot's {@code learned} block as compact JSON, carried opaquely; null for a new user. */
    String learnedJson;

    private ScopeDrift driftCache;
    private boolean driftCacheValid;

    Regulator(String userId) {
        this.userId = FieldChecks.requireValidText(userId, "user_id");
    }

    /** A fresh regulator for {@code userId} with the reference's defaults. */
    public static Regulator forUser(String userId) {
        return new Regulator(userId);
    }

    // ---------------------------------------------------------------- configuration

    /** Sets the output-token cap (0 … 4294967295; 0 is always reached). Totals are kept. */
    public Regulator withCostCap(long capTokens) {
        costs.capTokens = FieldChecks.requireU32(capTokens, "cost_cap");
        return this;
    }

    /**
     * Sets the drift threshold when {@code threshold} is finite and within [0, 1]; any other value is
     * ignored and the previous threshold stays, as in the reference.
     */
    public Regulator withScopeDriftThreshold(double threshold) {
        if (Double.isFinite(threshold) && threshold >= 0.0 && threshold <= 1.0) {
            driftThreshold = threshold;
        }
        return this;
    }

    /** Turns implicit-correction detection on with this window (inclusive), in event-time ms. */
    public Regulator withImplicitCorrectionWindowMs(long windowMs) {
        implicitWindowMs = FieldChecks.requireNonNegative(windowMs, "implicit_correction_window_ms");
        return this;
    }

    /**
     * Turns implicit-correction detection off (a new regulator starts with it off). The stamp of the
     * last TurnComplete is forgotten, so turning it on again later counts only from the next one.
     */
    public Regulator withImplicitCorrectionsOff() {
        implicitWindowMs = -1;
        turnCompleteStamped = false;
        lastTurnCompleteAtMs = 0;
        return this;
    }

    /** Turns implicit-correction detection on with this window (inclusive), in event time. */
    public Regulator withImplicitCorrectionWindow(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("implicit correction window must not be negative: " + window);
        }
        long ms;
        try {
            ms = window.toMillis();
        } catch (ArithmeticException overflow) {
            ms = Long.MAX_VALUE;
        }
        return withImplicitCorrectionWindowMs(ms);
    }

    // ---------------------------------------------------------------- events

    /**
     * Applies one event that happened at event time {@code atMs} (milliseconds, any epoch, as long
     * as it is the same for all of this user's events). Events must arrive in the order they
     * happened; only implicit corrections look at the time.
     */
    public void onEvent(AgentEvent event, long atMs) {
        if (event instanceof AgentEvent.Token t) {
            tokens.record(t.logprob());
        } else if (event instanceof AgentEvent.TurnStart e) {
            onTurnStart(e.userMessage(), atMs);
        } else if (event instanceof AgentEvent.TurnComplete e) {
            onTurnComplete(e.fullResponse(), atMs);
        } else if (event instanceof AgentEvent.Cost e) {
            costs.recordCost(e.tokensIn(), e.tokensOut(), e.wallclockMs());
        } else if (event instanceof AgentEvent.UserCorrection e) {
            if (e.correctsLast()) {
                corrections.record(currentCluster, e.correctionMessage());
            }
        } else if (event instanceof AgentEvent.QualityFeedback e) {
            costs.recordQuality(e.quality());
            pendingResponse = null;
        } else if (event instanceof AgentEvent.ToolCall e) {
            tools.recordCall(e.toolName());
        } else if (event instanceof AgentEvent.ToolResult e) {
            tools.recordResult(e.success(), e.durationMs());
        } else {
            throw new InvalidEventException("unknown event: " + event);
        }
    }

    private void onTurnStart(String userMessage, long atMs) {
        String previousCluster = currentCluster;
        boolean withinWindow = implicitWindowMs >= 0 && turnCompleteStamped
                && elapsedWithin(lastTurnCompleteAtMs, atMs, implicitWindowMs);
        tokens.reset();
        tools.reset();
        taskKeywords = KeywordExtractor.rankBag(userMessage, KeywordExtractor.RANKED_CAP);
        responseKeywords = KeywordBag.EMPTY;
        driftCacheValid = false;
        currentCluster = taskKeywords.clusterKey();
        if (withinWindow && !currentCluster.isEmpty() && currentCluster.equals(previousCluster)) {
            corrections.record(currentCluster, userMessage);
            implicitCount++;
        }
    }

    /** {@code to - from <= window}; a negative elapsed time (out-of-order stamps) counts as within. */
    private static boolean elapsedWithin(long from, long to, long window) {
        if (to <= from) {
            return true;
        }
        long elapsed = to - from;
        return elapsed >= 0 && elapsed <= window; // elapsed < 0 only on overflow: far outside
    }

    private void onTurnComplete(String fullResponse, long atMs) {
        responseKeywords = KeywordExtractor.rankBag(fullResponse, KeywordExtractor.RANKED_CAP);
        driftCacheValid = false;
        pendingResponse = fullResponse;
        if (implicitWindowMs >= 0) {
            turnCompleteStamped = true;
            lastTurnCompleteAtMs = atMs;
        }
    }

    // ---------------------------------------------------------------- decision

    /**
     * What to do now, by the reference's locked priority: cost cap with poor quality, quality
     * decline, tool loop, scope drift, procedural warning, continue. Pure: never changes state.
     */
    public Decision decide() {
        if (costs.capReached()) {
            double mean = costs.qSize >= CostQualityTracker.DECLINE_WINDOW
                    ? costs.meanLast(CostQualityTracker.DECLINE_WINDOW) : 1.0;
            if (mean < CostQualityTracker.POOR_QUALITY_MEAN) {
                return new Decision.CircuitBreak(
                        new BreakReason.CostCapReached(costs.tokensOut, costs.capTokens, mean), SUGGESTION_COST_CAP);
            }
        }
        double decline = costs.decline(CostQualityTracker.DECLINE_WINDOW, CostQualityTracker.MIN_DECLINE_DELTA);
        if (!Double.isNaN(decline)) {
            double mean = costs.meanLast(CostQualityTracker.DECLINE_WINDOW);
            if (mean < CostQualityTracker.POOR_QUALITY_MEAN) {
                return new Decision.CircuitBreak(
                        new BreakReason.QualityDeclineNoRecovery(CostQualityTracker.DECLINE_WINDOW, decline),
                        SUGGESTION_QUALITY_DECLINE);
            }
        }
        if (tools.loopDetected()) {
            return new Decision.CircuitBreak(
                    new BreakReason.RepeatedToolCallLoop(tools.lastName, tools.runLength), SUGGESTION_TOOL_LOOP);
        }
        ScopeDrift drift = scopeDrift();
        if (drift != null && drift.score() >= driftThreshold) {
            return new Decision.ScopeDriftWarn(drift.driftTokens(), drift.score(), taskKeywords.words());
        }
        if (!currentCluster.isEmpty()) {
            CorrectionPattern pattern = corrections.patternFor(userId, currentCluster);
            if (pattern != null) {
                return new Decision.ProceduralWarning(List.of(pattern));
            }
        }
        return Decision.Continue.INSTANCE;
    }

    private ScopeDrift scopeDrift() {
        if (!driftCacheValid) {
            driftCache = ScopeDrift.of(taskKeywords, responseKeywords);
            driftCacheValid = true;
        }
        return driftCache;
    }

    /**
     * The corrections to show the model before it answers, when {@link #decide()} is a procedural
     * warning: a header line, then {@code - text} per example, newest first.
     */
    public Optional<String> correctionsPrelude() {
        if (!(decide() instanceof Decision.ProceduralWarning warning)) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(PRELUDE_HEADER);
        int lines = 0;
        for (CorrectionPattern p : warning.patterns()) {
            for (String example : p.exampleCorrections()) {
                out.append('\n').append("- ").append(example);
                lines++;
            }
        }
        return lines == 0 ? Optional.empty() : Optional.of(out.toString());
    }

    /** {@code prompt} with the corrections prelude in front, or unchanged when there is none. */
    public String injectCorrections(String prompt) {
        return correctionsPrelude().map(p -> p + "\n\nCurrent request: " + prompt).orElse(prompt);
    }

    // ---------------------------------------------------------------- accessors

    public String userId() {
        return userId;
    }

    /** Confidence in the current response, in [0, 1] (spec §12.2). */
    public double confidence() {
        return tokens.confidence(pendingResponse);
    }

    /** Share of this turn's tokens that carried a usable log-probability. */
    public double logprobCoverage() {
        return tokens.coverage();
    }

    public long totalTokensOut() {
        return costs.tokensOut;
    }

    public long totalTokensIn() {
        return costs.tokensIn;
    }

    public long costCapTokens() {
        return costs.capTokens;
    }

    public long toolTotalCalls() {
        return tools.totalCalls;
    }

    /** This turn's tool calls per tool name, in first-call order. */
    public Map<String, Long> toolCountsByName() {
        return tools.countsByName();
    }

    /** Sum of this turn's tool durations, an unsigned 64-bit value (wraps like the reference). */
    public long toolTotalDurationMs() {
        return tools.totalDurationMs;
    }

    public long toolFailureCount() {
        return tools.failureCount;
    }

    public long implicitCorrectionsCount() {
        return implicitCount;
    }

    public double scopeDriftThreshold() {
        return driftThreshold;
    }

    /** Implicit-correction window in ms, or empty when the feature is off. */
    public Optional<Long> implicitCorrectionWindowMs() {
        return implicitWindowMs < 0 ? Optional.empty() : Optional.of(implicitWindowMs);
    }

    /** The topic cluster of the latest turn start ({@code ""} before any or for a keyword-less message). */
    public String currentCluster() {
        return currentCluster;
    }

    /** All learned correction patterns (clusters with at least 3 corrections), in cluster order. */
    public List<CorrectionPattern> correctionPatterns() {
        return corrections.allPatterns(userId);
    }

    /** The reference's 9-key metrics map; every value finite. Does not call {@link #decide()}. */
    public Map<String, Double> metricsSnapshot() {
        Map<String, Double> m = new LinkedHashMap<>(16);
        m.put("noos.confidence", confidence());
        m.put("noos.logprob_coverage", logprobCoverage());
        m.put("noos.total_tokens_out", (double) costs.tokensOut);
        m.put("noos.cost_cap_tokens", (double) costs.capTokens);
        m.put("noos.tool_total_calls", (double) tools.totalCalls);
        m.put("noos.tool_total_duration_ms", tools.totalDurationAsDouble());
        m.put("noos.tool_failure_count", (double) tools.failureCount);
        m.put("noos.implicit_corrections_count", (double) implicitCount);
        m.put("noos.scope_drift_threshold", driftThreshold);
        return m;
    }

    // ---------------------------------------------------------------- snapshots

    /** The reference-compatible snapshot: user id, opaque learned block, patterns by cluster. */
    public RegulatorSnapshot export() {
        Map<String, CorrectionPattern> patterns = new LinkedHashMap<>();
        for (CorrectionPattern p : corrections.allPatterns(userId)) {
            patterns.put(p.topicCluster(), p);
        }
        return new RegulatorSnapshot(userId, learnedJson, patterns);
    }

    /**
     * A new regulator from a snapshot, as the reference's import: each pattern's examples are
     * replayed oldest first under the map key; everything else (including cap, threshold and
     * window) starts fresh and must be re-applied by the caller.
     */
    public static Regulator fromSnapshot(RegulatorSnapshot snapshot) {
        Regulator r = new Regulator(snapshot.userId());
        r.learnedJson = snapshot.learnedJson();
        for (Map.Entry<String, CorrectionPattern> e : snapshot.correctionPatterns().entrySet()) {
            List<String> examples = e.getValue().exampleCorrections();
            for (int i = examples.size() - 1; i >= 0; i--) {
                r.corrections.record(e.getKey(), examples.get(i));
            }
        }
        return r;
    }

    /**
     * The reference's per-task reset: export then import (only corrections at the pattern threshold,
     * newest 3 each, and the learned block survive), with this regulator's settings re-applied.
     */
    public Regulator perTaskReset() {
        Regulator fresh = fromSnapshot(export());
        fresh.costs.capTokens = costs.capTokens;
        fresh.driftThreshold = driftThreshold;
        fresh.implicitWindowMs = implicitWindowMs;
        return fresh;
    }
}
