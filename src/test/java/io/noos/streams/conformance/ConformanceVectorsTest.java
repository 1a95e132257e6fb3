package io.noos.streams.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The copy in test resources must stay in sync with the shared folder when it is beside us. */
    @Test
    void testResourcesMatchSharedVectorsWhenAvailable() throws Exception {
        Path shared = Path.of("..", "shared", "conformance", "vectors");
        if (!Files.isDirectory(shared)) {
            return; // standing alone outside the workspace: the copy is the source of truth
        }
        Path ours = vectorsFolder();
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.collect(Collectors.toList())) {
                Path copy = ours.resolve(f.getFileName().toString());
                assertTrue(Files.exists(copy), "missing vector copy: " + f.getFileName());
                assertEquals(Files.readString(f), Files.readString(copy), "vector copy differs: " + f.getFileName());
            }
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
