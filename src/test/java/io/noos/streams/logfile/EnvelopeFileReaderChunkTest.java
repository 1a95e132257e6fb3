package io.noos.streams.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.noos.streams.core.InvalidEventException;
import io.noos.streams.envelope.EventEnvelope;
import io.noos.streams.json.EnvelopeJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader parses chunks of lines with one parser; whatever the mix of lines, its verdicts must
 * equal parsing every line on its own.
 */
class EnvelopeFileReaderChunkTest {
    private static final String[] LINES = {
            "{\"user_id\":\"u1\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"hi there\"}}",
            "{\"event_id\":\"x\",\"user_id\":\"u2\",\"at_ms\":2,\"event\":{\"type\":\"token\",\"token\":\"a\",\"logprob\":-0.5,\"index\":0}}",
            "  {\"user_id\":\"u1\",\"at_ms\":3,\"event\":{\"type\":\"cost\",\"tokens_in\":1,\"tokens_out\":2,\"wallclock_ms\":3}}  ",
            "",
            "   ",
            "\t\r",
            "{not json",
            "[1,2]",
            "42",
            "{\"user_id\":\"u1\",\"at_ms\":4,\"event\":{\"type\":\"turn_start\",\"user_message\":\"a\"}} {\"user_id\":\"u1\"}",
            "{\"user_id\":\"u1\",\"at_ms\":5,\"event\":{\"type\":\"turn_start\",\"user_message\":\"a\"}} trailing",
            "{\"user_id\":\"u1\",\"at_ms\":6,",
            "\"event\":{\"type\":\"turn_start\",\"user_message\":\"b\"}}",
            "{\"user_id\":\"\",\"at_ms\":7,\"event\":{\"type\":\"turn_start\",\"user_message\":\"c\"}}",
            "{\"user_id\":\"u3\",\"at_ms\":8,\"event\":{\"type\":\"teleport\"}}",
            "{\"user_id\":\"u3\",\"at_ms\":9,\"event\":{\"type\":\"token_batch\",\"logprobs\":[-0.1,\"NaN\"]}}",
    };

    @Test
    void chunkedParsingGivesTheLineByLineVerdictsForAnyMix(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            int n = 1 + random.nextInt(round < 10 ? 50 : 5000);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                lines.add(LINES[random.nextInt(LINES.length)]);
            }
            Path file = dir.resolve("log-" + round + ".jsonl");
            Files.write(file, lines, StandardCharsets.UTF_8);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String verdict = lineByLine(lines.get(i), file, i + 1);
                if (verdict != null) {
                    expected.add(verdict);
                }
            }
            List<String> actual = new ArrayList<>();
            try (EnvelopeFileReader in = EnvelopeFileReader.open(file)) {
                for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
                    actual.add(describe(line));
                }
            }
            assertEquals(expected, actual, "round " + round);
        }
    }

    private static String lineByLine(String text, Path file, long lineNumber) {
        if (text.isBlank()) {
            return null;
        }
        try {
            EventEnvelope e = EnvelopeJson.parse(text);
            if (e.eventId() == null) {
                e = e.withEventId(EventIds.derive(EventIds.fileLabel(file), lineNumber));
            }
            return lineNumber + " ok " + EnvelopeJson.toJson(e);
        } catch (InvalidEventException ex) {
            return lineNumber + " bad " + ex.getMessage();
        }
    }

    private static String describe(EnvelopeFileReader.Line line) {
        if (line instanceof EnvelopeFileReader.Line.Parsed p) {
            return p.lineNumber() + " ok " + EnvelopeJson.toJson(p.envelope());
        }
        EnvelopeFileReader.Line.Bad b = (EnvelopeFileReader.Line.Bad) line;
        return b.lineNumber() + " bad " + b.reason();
    }
}
