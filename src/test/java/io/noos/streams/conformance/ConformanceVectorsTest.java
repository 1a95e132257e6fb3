package io.noos.streams.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.testkit.Prerequisite;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every public conformance vector (copied from shared/conformance/vectors) as its own test. */
class ConformanceVectorsTest {

    static Path vectorsFolder() throws URISyntaxException {
        return Path.of(ConformanceVectorsTest.class.getClassLoader().getResource("conformance/vectors").toURI());
    }

    @TestFactory
    Stream<DynamicTest> everyVectorPasses() throws Exception {
        return ConformanceRunner.vectorFiles(List.of(vectorsFolder())).stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    ConformanceRunner.FileResult result = ConformanceRunner.runFile(file);
                    assertTrue(result.passed(), () -> result.failures().stream().map(Object::toString)
                            .collect(Collectors.joining("\n")));
                    assertTrue(result.observations() > 0, "a vector observes something");
                }));
    }

    @Test
    void allPublicVectorsArePresent() throws Exception {
        assertEquals(341, ConformanceRunner.vectorFiles(List.of(vectorsFolder())).size());
    }

    /**
     * The copy in test resources is the suite's source of truth (a fresh clone has no
     * {@code ../shared}); it must equal the shared folder file for file. Without that folder the
     * check is skipped with the reason, except where {@code NOOS_REQUIRE_VECTORS} is set: there a
     * missing folder fails. The vectors themselves always run, from the copy.
     */
    @Test
    void testResourcesEqualTheSharedVectors() throws Exception {
        Path shared = Path.of("..", "shared", "conformance", "vectors");
        Prerequisite.require(Files.isDirectory(shared), "NOOS_REQUIRE_VECTORS",
                "../shared/conformance/vectors is not beside the project, so the vendored copy in "
                + "src/test/resources/conformance cannot be compared with it");
        Path ours = vectorsFolder();
        assertEquals(names(shared), names(ours), "the same vector files");
        for (String name : names(shared)) {
            assertEquals(Files.readString(shared.resolve(name)), Files.readString(ours.resolve(name)),
                    "vector copy differs: " + name);
        }
    }

    private static java.util.SortedSet<String> names(Path folder) throws java.io.IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    @Test
    void aWrongExpectationIsReportedWithFileStepAndBothValues(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path v = dir.resolve("wrong.json");
        Files.writeString(v, "{\"name\":\"w\",\"user_id\":\"u\",\"steps\":["
                + "{\"op\":\"event\",\"at_ms\":0,\"event\":{\"type\":\"turn_start\",\"user_message\":\"refactor this function to be async\"}},"
                + "{\"op\":\"event\",\"at_ms\":1,\"event\":{\"type\":\"turn_complete\",\"full_response\":\"add logging and error handling\"}},"
                + "{\"op\":\"decide\",\"expect\":{\"kind\":\"continue\"}}]}");
        ConformanceRunner.FileResult r = ConformanceRunner.runFile(v);
        assertEquals(1, r.failures().size());
        ConformanceRunner.Failure f = r.failures().get(0);
        assertEquals(2, f.stepIndex());
        assertTrue(f.actual().contains("scope_drift_warn"), f.actual());
    }
}
