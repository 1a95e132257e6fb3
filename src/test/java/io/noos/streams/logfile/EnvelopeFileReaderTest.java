package io.noos.streams.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noos.streams.core.AgentEvent;
import io.noos.streams.envelope.EnvelopeEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeFileReaderTest {
    private static final String TURN_START =
            "{\"user_id\":\"alice\",\"at_ms\":1000,\"event\":{\"type\":\"turn_start\",\"user_message\":\"hello\"}}";
    private static final String WITH_ID =
            "{\"event_id\":\"e-7\",\"user_id\":\"bob\",\"at_ms\":1001,\"event\":{\"type\":\"quality_feedback\",\"quality\":0.5}}";
    private static final String TOKEN_BATCH =
            "{\"user_id\":\"alice\",\"at_ms\":1002,\"event\":{\"type\":\"token_batch\",\"logprobs\":[-0.5,-1.0]}}";

    @TempDir
    Path dir;

    @Test
    void derivesMissingEventIdsFromTheFileNameAndLineNumberAndKeepsGivenOnes() throws IOException {
        Path file = write("session.jsonl", TURN_START + "\n" + WITH_ID + "\n\n" + TOKEN_BATCH + "\n");

        List<EnvelopeFileReader.Line> lines = readAll(file);

        assertEquals(3, lines.size());
        assertEquals("session.jsonl#1", parsed(lines.get(0)).envelope().eventId());
        assertEquals("e-7", parsed(lines.get(1)).envelope().eventId());
        assertEquals(4, lines.get(2).lineNumber(), "blank lines count in line numbers");
        assertEquals("session.jsonl#4", parsed(lines.get(2)).envelope().eventId());
        assertInstanceOf(EnvelopeEvent.TokenBatch.class, parsed(lines.get(2)).envelope().event());
        assertEquals(new EnvelopeFileReader.Counts(3, 0, 1), countsOf(file));
    }

    @Test
    void twoReadsOfOneFileAndItsCopyInAnotherDirectoryAgree() throws IOException {
        Path file = write("log.jsonl", TURN_START + "\n" + TOKEN_BATCH + "\n");
        Files.createDirectories(dir.resolve("elsewhere"));
        Path copy = Files.copy(file, dir.resolve("elsewhere/log.jsonl"));

        assertEquals(readAll(file), readAll(file));
        assertEquals(readAll(file), readAll(copy));
    }

    @Test
    void readsGzipFilesAndDerivesTheSameIdsAsForThePlainFile() throws IOException {
        String text = TURN_START + "\n" + WITH_ID + "\n" + TOKEN_BATCH + "\n";
        Path plain = write("fleet.jsonl", text);
        Path gz = dir.resolve("fleet.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        List<EnvelopeFileReader.Line> fromGz = readAll(gz);

        assertEquals(readAll(plain), fromGz);
        assertEquals("fleet.jsonl#3", parsed(fromGz.get(2)).envelope().eventId());
    }

    @Test
    void reportsBadLinesWithTheirLineNumbersAndGoesOn() throws IOException {
        Path file = write("bad.jsonl", String.join("\n",
                TURN_START,
                "this is not json",
                "{\"user_id\":\"alice\",\"at_ms\":5,\"event\":{\"type\":\"no_such_event\"}}",
                "{\"user_id\":\"\",\"at_ms\":5,\"event\":{\"type\":\"turn_complete\",\"full_response\":\"x\"}}",
                "[1,2]",
                WITH_ID));

        List<EnvelopeFileReader.Line> lines = readAll(file);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), lines.stream().map(EnvelopeFileReader.Line::lineNumber).toList());
        for (int i = 1; i <= 4; i++) {
            assertInstanceOf(EnvelopeFileReader.Line.Bad.class, lines.get(i), "line " + (i + 1));
        }
        assertTrue(bad(lines.get(1)).reason().contains("not valid JSON"), bad(lines.get(1)).reason());
        assertTrue(bad(lines.get(2)).reason().contains("no_such_event"), bad(lines.get(2)).reason());
        assertTrue(bad(lines.get(3)).reason().contains("user_id"), bad(lines.get(3)).reason());
        assertEquals("e-7", parsed(lines.get(5)).envelope().eventId(), "the line after bad ones is read");
        assertEquals(new EnvelopeFileReader.Counts(2, 4, 0), countsOf(file));
    }

    @Test
    void aLineThatIsNotUtf8IsABadLine() throws IOException {
        Path file = dir.resolve("latin1.jsonl");
        byte[] latin1 = "{\"user_id\":\"jos\u00e9\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}"
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, concat(latin1, ("\n" + TURN_START).getBytes(StandardCharsets.UTF_8)));

        List<EnvelopeFileReader.Line> lines = readAll(file);

        assertInstanceOf(EnvelopeFileReader.Line.Bad.class, lines.get(0));
        assertEquals("latin1.jsonl#2", parsed(lines.get(1)).envelope().eventId());
    }

    /**
     * Malformed UTF-8 (RFC 3629) is a bad line with the service's reason wherever it is: in a field
     * the fast path reads, and in lines only the strict reader takes (an escape, an unknown field),
     * which it reads many at a time with one parser that would decode the bytes leniently.
     */
    @Test
    void malformedUtf8IsABadLineWithTheServicesReasonOnEveryPath() throws IOException {
        String escaped = "{\"user_id\":\"alice\",\"at_ms\":1,\"event\":{\"type\":\"turn_start\",\"user_message\":\"say \\\"hi\\\"\"}}";
        String fastBefore = "{\"user_id\":\"alice\",\"at_ms\":2,\"event\":{\"type\":\"turn_start\",\"user_message\":\"";
        String strictBefore = "{\"user_id\":\"alice\",\"trace\":\"";
        String strictAfter = "\",\"at_ms\":3,\"event\":{\"type\":\"turn_start\",\"user_message\":\"x\"}}";
        byte[] overlong = {(byte) 0xE0, (byte) 0x80, (byte) 0xAF};
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        text.writeBytes((escaped + "\n").getBytes(StandardCharsets.UTF_8));
        text.writeBytes(fastBefore.getBytes(StandardCharsets.UTF_8));
        text.writeBytes(overlong);
        text.writeBytes("\"}}\n".getBytes(StandardCharsets.UTF_8));
        text.writeBytes(strictBefore.getBytes(StandardCharsets.UTF_8));
        text.writeBytes(surrogate);
        text.writeBytes((strictAfter + "\n" + escaped + "\n").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("malformed.jsonl");
        Files.write(file, text.toByteArray());

        List<EnvelopeFileReader.Line> lines = readAll(file);

        assertEquals(4, lines.size());
        assertEquals("not valid UTF-8: overlong encoding at byte " + fastBefore.length(), bad(lines.get(1)).reason());
        assertEquals("not valid UTF-8: encoded surrogate (U+D800..U+DFFF) at byte " + strictBefore.length(),
                bad(lines.get(2)).reason());
        assertEquals("malformed.jsonl#4", parsed(lines.get(3)).envelope().eventId(), "the lines around are read");
        assertEquals(new EnvelopeFileReader.Counts(2, 2, 0), countsOf(file));
    }

    @Test
    void acceptsCrLfLineEndingsAndALastLineWithoutNewline() throws IOException {
        Path file = write("crlf.jsonl", TURN_START + "\r\n" + WITH_ID);

        List<EnvelopeFileReader.Line> lines = readAll(file);

        assertEquals(2, lines.size());
        assertEquals(new AgentEvent.TurnStart("hello"),
                ((EnvelopeEvent.Single) parsed(lines.get(0)).envelope().event()).event());
        assertEquals("e-7", parsed(lines.get(1)).envelope().eventId());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<EnvelopeFileReader.Line> readAll(Path file) throws IOException {
        List<EnvelopeFileReader.Line> lines = new ArrayList<>();
        try (EnvelopeFileReader in = EnvelopeFileReader.open(file)) {
            for (EnvelopeFileReader.Line line; (line = in.next()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static EnvelopeFileReader.Counts countsOf(Path file) throws IOException {
        try (EnvelopeFileReader in = EnvelopeFileReader.open(file)) {
            while (in.next() != null) {
                // read to the end
            }
            return in.counts();
        }
    }

    private static EnvelopeFileReader.Line.Parsed parsed(EnvelopeFileReader.Line line) {
        return assertInstanceOf(EnvelopeFileReader.Line.Parsed.class, line);
    }

    private static EnvelopeFileReader.Line.Bad bad(EnvelopeFileReader.Line line) {
        return assertInstanceOf(EnvelopeFileReader.Line.Bad.class, line);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
