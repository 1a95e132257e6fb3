package io.noos.streams.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

/** The Avro 1.12.2 trusted-classes gotcha, and the codec's explicit trust that avoids it. */
class AvroClassTrustTest {
    private static final String PKG = "io.noos.streams.avro.schema.";

    @Test
    void trustsExactlyTheGeneratedClassesNestedOnesIncluded() {
        Set<String> expected = Set.of("AgentEventEnvelope", "TurnStart", "Token", "TurnComplete", "Cost",
                "UserCorrection", "QualityFeedback", "FragmentSpan", "ToolCall", "ToolResult", "TokenBatch",
                "RegulatorDecision", "Continue", "CircuitBreak", "CostCapReached", "QualityDeclineNoRecovery",
                "RepeatedToolCallLoop", "RepeatedFailurePattern", "ScopeDriftWarn", "ProceduralWarning",
                "CorrectionPattern", "LowConfidenceSpans", "LowConfidenceSpan", "RepeatedIdenticalToolCall",
                "ToolCallCycle", "TokenBudgetExceeded", "SpendAnomalyWarn", "OperatorHalt")
                .stream().map(n -> PKG + n).collect(java.util.stream.Collectors.toSet());
        assertEquals(expected, AvroClassTrust.trustedClassNames());
    }

    @Test
    void theGlobalValidatorTrustsThemOnceTheCodecIsLoaded() throws ClassNotFoundException {
        new AvroCodec();
        for (String name : AvroClassTrust.trustedClassNames()) {
            assertTrue(ClassSecurityValidator.getGlobal().isTrusted(Class.forName(name, false,
                    getClass().getClassLoader())), name);
        }
    }

    @Test
    void nothingElseIsTrustedByOurPredicate() {
        assertFalse(AvroClassTrust.predicate().isTrusted(java.io.File.class));
        assertFalse(AvroClassTrust.predicate().isTrusted(io.noos.streams.core.AgentEvent.Cost.class));
    }

    @Test
    void decodingWorksInAPlainJvmWithNoSystemProperty() throws Exception {
        Result r = runPlainJvm("codec");
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("decoded OK"), r.output);
    }

    @Test
    void withoutTheTrustStockAvroRefusesTheGeneratedClasses() throws Exception {
        // Documents why AvroClassTrust exists. If this fails after an Avro upgrade, Avro trusts
        // generated classes again by itself and AvroClassTrust may be dropped.
        Result r = runPlainJvm("stock");
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("SecurityException: Forbidden " + PKG + "AgentEventEnvelope"), r.output);
    }

    private record Result(int exit, String output) {}

    /** Runs {@link PlainJvmDecodeCheck} in a fresh JVM with the test classpath and no -D options. */
    private static Result runPlainJvm(String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PlainJvmDecodeCheck.class.getName());
        command.add(mode);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
