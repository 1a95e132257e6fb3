package io.noos.streams.cli;

import io.noos.streams.conformance.ConformanceRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conformance PATH...}: runs vector files or folders and reports every failing observation. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Run regulator conformance vectors (files or folders of *.json). Prints each failing "
                + "observation and ends with 'N passed, M failed' (files); exit status 1 when M > 0.")
final class ConformanceCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Vector files or folders.")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        for (Path p : paths) {
            if (!Files.exists(p)) {
                System.err.println("no such file or folder: " + p);
                return 2;
            }
        }
        int passed = 0;
        int failed = 0;
        for (Path file : ConformanceRunner.vectorFiles(paths)) {
            ConformanceRunner.FileResult result = ConformanceRunner.runFile(file);
            if (result.passed()) {
                passed++;
            } else {
                failed++;
                for (ConformanceRunner.Failure f : result.failures()) {
                    out.println("FAIL " + f);
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed > 0 ? 1 : 0;
    }
}
