package io.noos.streams.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noos.streams.core.AgentEvent;
import io.noos.streams.core.Decision;
import io.noos.streams.core.InvalidEventException;
import io.noos.streams.core.Regulator;
import io.noos.streams.core.RegulatorSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Snapshot compatibility with the reference's JSON (spec §17). */
class SnapshotJsonTest {

    /** Shaped like the reference's export_json after some learning (spec §17.1). */
    static final String REFERENCE_SNAPSHOT = "{\"user_id\":\"alice\",\"learned\":{\"gain_mode\":\"phasic\",\"tick\":17,"
            + "\"response_success\":{\"async+function\":{\"success_rate\":0.575,\"count\":2}},"
            + "\"response_strategies\":{\"async+function\":{\"StepByStep\":{\"success_rate\":0.5375,\"count\":1}}}},"
            + "\"correction_patterns\":{\"async+function\":{\"user_id\":\"alice\",\"topic_cluster\":\"async+function\","
            + "\"pattern_name\":\"corrections_on_async+function\",\"learned_from_turns\":5,\"confidence\":0.25,"
            + "\"example_corrections\":[\"newest\",\"middle\",\"oldest\"]}}}";

    @Test
    void readsAReferenceSnapshotAndCarriesLearnedUnchanged() throws Exception {
        RegulatorSnapshot s = SnapshotJson.parse(REFERENCE_SNAPSHOT);
        Regulator r = Regulator.fromSnapshot(s);
        r.onEvent(new AgentEvent.TurnStart("refactor this function to be async"), 0);
        Decision.ProceduralWarning w = (Decision.ProceduralWarning) r.decide();
        assertEquals(List.of("newest", "middle", "oldest"), w.patterns().get(0).exampleCorrections());
        assertEquals(3, w.patterns().get(0).learnedFromTurns());

        JsonNode out = Json.mapper().readTree(SnapshotJson.toJson(r.export()));
        JsonNode in = Json.mapper().readTree(REFERENCE_SNAPSHOT);
        assertEquals(in.get("learned"), out.get("learned"), "learned is carried through unchanged");
    }

    @Test
    void newUserGetsTheReferenceDefaultLearnedBlock() throws Exception {
        JsonNode out = Json.mapper().readTree(SnapshotJson.toJson(Regulator.forUser("bob").export()));
        assertEquals(Json.mapper().readTree(
                "{\"gain_mode\":\"neutral\",\"tick\":0,\"response_success\":{},\"response_strategies\":{}}"),
                out.get("learned"));
        assertTrue(out.get("correction_patterns").isObject());
        assertEquals("bob", out.get("user_id").asText());
    }

    @Test
    void writtenSnapshotReadsBackAndPatternsAreComplete() throws Exception {
        Regulator r = Regulator.forUser("carol");
        r.onEvent(new AgentEvent.TurnStart("deploy the k8s cluster"), 0);
        for (String c : List.of("a", "b", "c", "d")) {
            r.onEvent(new AgentEvent.UserCorrection(c, true), 1);
        }
        String json = SnapshotJson.toJson(r.export());
        JsonNode pattern = Json.mapper().readTree(json).get("correction_patterns").get("cluster+deploy");
        for (String field : List.of("user_id", "topic_cluster", "pattern_name", "learned_from_turns", "confidence",
                "example_corrections")) {
            assertTrue(pattern.hasNonNull(field), field);
        }
        assertTrue(pattern.get("learned_from_turns").isIntegralNumber());
        RegulatorSnapshot back = SnapshotJson.parse(json);
        assertEquals(r.export().correctionPatterns(), back.correctionPatterns());
        assertEquals("carol", back.userId());
    }

    @Test
    void missingCorrectionPatternsAndExamplesAreAccepted() {
        RegulatorSnapshot s = SnapshotJson.parse("{\"user_id\":\"u\",\"learned\":{\"gain_mode\":\"tonic\",\"tick\":0,"
                + "\"response_success\":{},\"response_strategies\":{}},\"extra\":1}");
        assertTrue(s.correctionPatterns().isEmpty());
        RegulatorSnapshot t = SnapshotJson.parse("{\"user_id\":\"u\",\"learned\":{\"gain_mode\":\"tonic\",\"tick\":0,"
                + "\"response_success\":{},\"response_strategies\":{}},\"correction_patterns\":{\"k\":{\"user_id\":\"u\","
                + "\"topic_cluster\":\"k\",\"pattern_name\":\"p\",\"learned_from_turns\":1,\"confidence\":1}}}");
        assertEquals(List.of(), t.correctionPatterns().get("k").exampleCorrections());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "no learned|{\"user_id\":\"u\"}|snapshot field 'learned' is required (an object)",
            "no user|{\"learned\":{}}|snapshot field 'user_id' is required (a string)",
            "null patterns|{\"user_id\":\"u\",\"learned\":" + LEARNED + ",\"correction_patterns\":null}|snapshot field 'correction_patterns' must be an object",
            "bad gain mode|{\"user_id\":\"u\",\"learned\":{\"gain_mode\":\"calm\",\"tick\":0,\"response_success\":{},\"response_strategies\":{}}}|snapshot field 'learned.gain_mode' must be one of [phasic, tonic, neutral], got \"calm\"",
            "fractional tick|{\"user_id\":\"u\",\"learned\":{\"gain_mode\":\"tonic\",\"tick\":3.0,\"response_success\":{},\"response_strategies\":{}}}|snapshot field 'learned.tick' must be a non-negative integer literal",
            "tick overflow|{\"user_id\":\"u\",\"learned\":{\"gain_mode\":\"tonic\",\"tick\":4294967296,\"response_success\":{},\"response_strategies\":{}}}|snapshot field 'learned.tick' must be in 0..4294967295, got 4294967296",
            "entry without count|{\"user_id\":\"u\",\"learned\":{\"gain_mode\":\"tonic\",\"tick\":1,\"response_success\":{\"a\":{\"success_rate\":1}},\"response_strategies\":{}}}|snapshot field 'learned.response_success.a.count' is required (a non-negative integer)",
            "null examples|{\"user_id\":\"u\",\"learned\":" + LEARNED + ",\"correction_patterns\":{\"k\":{\"user_id\":\"u\",\"topic_cluster\":\"k\",\"pattern_name\":\"p\",\"learned_from_turns\":3,\"confidence\":1,\"example_corrections\":null}}}|snapshot field 'correction_patterns.k.example_corrections' must be an array of strings",
            "not json|{\"user_id\":|snapshot is not valid JSON: Unexpected end-of-input within/between Object entries"})
    void rejectsWhatTheReferenceRejects(String what, String json, String message) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> SnapshotJson.parse(json));
        assertEquals(message, e.getMessage(), what);
    }

    static final String LEARNED = "{\"gain_mode\":\"neutral\",\"tick\":0,\"response_success\":{},\"response_strategies\":{}}";
}
