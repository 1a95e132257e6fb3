package io.noos.streams.envelope;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import java.util.List;

/**
 * Every decision kind and circuit-break reason a decision record can carry, in the order metrics,
 * reports, fleet statistics and the dashboard show them, and who emits each: the regulator (the
 * reference's rules), only an opt-in detector ({@code io.noos.streams.detect}, off by default), or
 * only an operator's halt (a policy's {@code halt} field, none by default).
 * The tags are core's own {@link Decision#kind()} and {@link BreakReason#kind()}, read from an
 * instance of each record. {@code low_confidence_spans} is in the reference's vocabulary but
 * nothing emits it, so it is not listed.
 *
 * <p>A new kind or reason is its record in core, its line here and its encodings ({@code DecisionJson},
 * the Avro schema and {@code DecisionMapper}). The regulator's kinds are the reference's and never
 * change: the fleet partials' binary form counts them by position, any other kind by name.
 */
public final class DecisionVocabulary {
    /** Who emits a kind or reason. */
    public enum Source {
        /** The regulator: always possible, with the defaults. */
        REGULATOR,
        /** Only an opt-in detector, when enabled. */
        OPT_IN_DETECTOR,
        /** Only while an operator's halt is in force (a policy's {@code halt}). */
        OPERATOR
    }

    /** A kind or reason tag and who emits it. */
    public record Tag(String tag, Source source) {}

    public static final String CONTINUE = Decision.Continue.INSTANCE.kind();
    public static final String SCOPE_DRIFT_WARN = new Decision.ScopeDriftWarn(List.of(), 0, List.of()).kind();
    public static final String CIRCUIT_BREAK = new Decision.CircuitBreak(null, null).kind();

    public static final List<Tag> KINDS = List.of(
            regulator(CONTINUE),
            regulator(SCOPE_DRIFT_WARN),
            regulator(new Decision.ProceduralWarning(List.of()).kind()),
            regulator(CIRCUIT_BREAK),
            optIn(new Decision.SpendAnomalyWarn(0, 0, 0, 0, 0, 0).kind()));

    public static final List<Tag> BREAK_REASONS = List.of(
            regulator(new BreakReason.CostCapReached(0, 0, 0).kind()),
            regulator(new BreakReason.QualityDeclineNoRecovery(0, 0).kind()),
            regulator(new BreakReason.RepeatedToolCallLoop(null, 0).kind()),
            optIn(new BreakReason.RepeatedFailurePattern(null, 0).kind()),
            optIn(new BreakReason.RepeatedIdenticalToolCall(null, null, 0).kind()),
            optIn(new BreakReason.ToolCallCycle(List.of(), 0).kind()),
            optIn(new BreakReason.TokenBudgetExceeded(0, 0, 0).kind()),
            new Tag(new BreakReason.OperatorHalt(null, null).kind(), Source.OPERATOR));

    /** The kinds the regulator emits, in order: continue, scope_drift_warn, procedural_warning, circuit_break. */
    public static final List<String> REGULATOR_KINDS = tags(KINDS, Source.REGULATOR);
    public static final List<String> OPT_IN_KINDS = tags(KINDS, Source.OPT_IN_DETECTOR);
    public static final List<String> REGULATOR_BREAK_REASONS = tags(BREAK_REASONS, Source.REGULATOR);
    public static final List<String> OPT_IN_BREAK_REASONS = tags(BREAK_REASONS, Source.OPT_IN_DETECTOR);
    public static final List<String> OPERATOR_BREAK_REASONS = tags(BREAK_REASONS, Source.OPERATOR);
    /** The operator's kill switch: {@code operator_halt}. */
    public static final String OPERATOR_HALT = OPERATOR_BREAK_REASONS.get(0);

    private DecisionVocabulary() {}

    /** Every kind, the regulator's first. */
    public static List<String> kinds() {
        return tags(KINDS, null);
    }

    /** Every circuit-break reason: the regulator's, the opt-in detectors', the operator's. */
    public static List<String> breakReasons() {
        return tags(BREAK_REASONS, null);
    }

    private static Tag regulator(String tag) {
        return new Tag(tag, Source.REGULATOR);
    }

    private static Tag optIn(String tag) {
        return new Tag(tag, Source.OPT_IN_DETECTOR);
    }

    /** The tags of {@code source} (all when null), in order. */
    private static List<String> tags(List<Tag> all, Source source) {
        return all.stream().filter(t -> source == null || t.source() == source).map(Tag::tag).toList();
    }
}
