package io.noos.streams.logfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.noos.streams.testkit.Bytes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawLineReaderTest {
    @TempDir
    Path dir;

    @Test
    void returnsTheBytesOfEachLineExactlyWithoutTheLineEnding() throws IOException {
        byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'};
        Path file = dir.resolve("raw.jsonl");
        Files.write(file, Bytes.concat("a\r\n".getBytes(StandardCharsets.US_ASCII), notUtf8,
                "\n\nb\rc\n  \nlast".getBytes(StandardCharsets.US_ASCII)));

        List<byte[]> lines = readAll(file);

        assertEquals(6, lines.size());
        assertArrayEquals("a".getBytes(StandardCharsets.US_ASCII), lines.get(0));
        assertArrayEquals(notUtf8, lines.get(1));
        assertArrayEquals(new byte[0], lines.get(2));
        assertArrayEquals("b\rc".getBytes(StandardCharsets.US_ASCII), lines.get(3), "a lone CR stays in the line");
        assertArrayEquals("  ".getBytes(StandardCharsets.US_ASCII), lines.get(4));
        assertArrayEquals("last".getBytes(StandardCharsets.US_ASCII), lines.get(5));
    }

    @Test
    void countsLinesAndHandlesLinesLongerThanItsBuffer() throws IOException {
        byte[] longLine = new byte[300_000];
        Arrays.fill(longLine, (byte) 'x');
        Path file = dir.resolve("long.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("short\n".getBytes(StandardCharsets.US_ASCII));
            out.write(longLine);
            out.write("\nend\n".getBytes(StandardCharsets.US_ASCII));
        }
        try (RawLineReader in = RawLineReader.open(file)) {
            assertArrayEquals("short".getBytes(StandardCharsets.US_ASCII), in.next());
            assertArrayEquals(longLine, in.next());
            assertEquals(2, in.lineNumber());
            assertArrayEquals("end".getBytes(StandardCharsets.US_ASCII), in.next());
            assertEquals(3, in.lineNumber());
            assertNull(in.next(), "a final newline does not start a line");
        }
    }

    @Test
    void anEmptyFileHasNoLines() throws IOException {
        assertEquals(0, readAll(Files.createFile(dir.resolve("empty.jsonl"))).size());
    }

    private static List<byte[]> readAll(Path file) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (RawLineReader in = RawLineReader.open(file)) {
            for (byte[] line; (line = in.next()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

}
