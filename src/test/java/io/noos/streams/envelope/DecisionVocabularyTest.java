package io.noos.streams.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.core.BreakReason;
import io.noos.streams.core.Decision;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The vocabulary against the spec (§2.2: the reference emits four kinds and three break reasons)
 * and against core: every decision and break-reason record of core is listed, but
 * {@code low_confidence_spans}, which nothing emits.
 */
class DecisionVocabularyTest {

    @Test
    void theRegulatorsKindsAndReasonsAreTheReferencesInReportOrder() {
        assertEquals(List.of("continue", "scope_drift_warn", "procedural_warning", "circuit_break"),
                DecisionVocabulary.REGULATOR_KINDS);
        assertEquals(List.of("cost_cap_reached", "quality_decline_no_recovery", "repeated_tool_call_loop"),
                DecisionVocabulary.REGULATOR_BREAK_REASONS);
    }

    @Test
    void everyRecordOfCoreIsListedOnce() throws Exception {
        Set<String> kinds = tagsOf(Decision.class);
        kinds.remove("low_confidence_spans");
        assertEquals(kinds, new HashSet<>(DecisionVocabulary.kinds()));
        assertEquals(kinds.size(), DecisionVocabulary.kinds().size(), "no tag twice");
        Set<String> reasons = tagsOf(BreakReason.class);
        assertEquals(reasons, new HashSet<>(DecisionVocabulary.breakReasons()));
        assertEquals(reasons.size(), DecisionVocabulary.breakReasons().size(), "no tag twice");
    }

    @Test
    void theOptInTagsComeAfterTheRegulatorsThenTheOperatorsAndThatIsAll() {
        List<String> kinds = new ArrayList<>(DecisionVocabulary.REGULATOR_KINDS);
        kinds.addAll(DecisionVocabulary.OPT_IN_KINDS);
        assertEquals(kinds, DecisionVocabulary.kinds());
        List<String> reasons = new ArrayList<>(DecisionVocabulary.REGULATOR_BREAK_REASONS);
        reasons.addAll(DecisionVocabulary.OPT_IN_BREAK_REASONS);
        reasons.addAll(DecisionVocabulary.OPERATOR_BREAK_REASONS);
        assertEquals(reasons, DecisionVocabulary.breakReasons());
        assertEquals(List.of("operator_halt"), DecisionVocabulary.OPERATOR_BREAK_REASONS);
        assertEquals("operator_halt", DecisionVocabulary.OPERATOR_HALT);
    }

    /** The kind() of every record that implements the sealed {@code type}, from an instance with empty fields. */
    private static Set<String> tagsOf(Class<?> type) throws Exception {
        Set<String> tags = new HashSet<>();
        for (Class<?> c : type.getPermittedSubclasses()) {
            RecordComponent[] parts = c.getRecordComponents();
            Class<?>[] types = new Class<?>[parts.length];
            Object[] values = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                values[i] = types[i] == long.class ? (Object) 0L : types[i] == double.class ? (Object) 0.0
                        : types[i] == List.class ? List.of() : null;
            }
            Object instance = c.getDeclaredConstructor(types).newInstance(values);
            tags.add(instance instanceof Decision d ? d.kind() : ((BreakReason) instance).kind());
        }
        return tags;
    }
}
