package io.noos.streams.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The well-formed UTF-8 check every reader applies (RFC 3629, table 3-7 of the Unicode standard). */
class Utf8Test {

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    @ParameterizedTest
    @CsvSource({
            // problem,            bytes after "ab"
            "OVERLONG,             C0 AF",          // '/' in two bytes
            "OVERLONG,             C1 BF",
            "OVERLONG,             C0 80",          // NUL in two bytes
            "OVERLONG,             E0 80 AF",       // '/' in three bytes
            "OVERLONG,             E0 9F BF",       // U+07FF in three bytes
            "OVERLONG,             F0 80 80 AF",    // '/' in four bytes
            "OVERLONG,             F0 8F BF BF",    // U+FFFF in four bytes
            "SURROGATE,            ED A0 80",       // U+D800
            "SURROGATE,            ED BF BF",       // U+DFFF
            "SURROGATE,            ED A0 BD ED B2 A9", // a CESU-8 pair: two encoded surrogates
            "ABOVE_MAX,            F4 90 80 80",    // U+110000
            "ABOVE_MAX,            F5 80 80 80",
            "ABOVE_MAX,            F7 BF BF BF",
            "INVALID_BYTE,         F8 88 80 80 80",
            "INVALID_BYTE,         FE",
            "INVALID_BYTE,         FF",
            "LONE_CONTINUATION,    80",
            "LONE_CONTINUATION,    BF 41",
            "INCOMPLETE,           C3",             // cut short by the end
            "INCOMPLETE,           E2 82",
            "INCOMPLETE,           F0 9F 98",
            "INCOMPLETE,           C3 41",          // a lead byte then ASCII
            "INCOMPLETE,           E2 28 A1",
            "INCOMPLETE,           F0 9F 41 80",
    })
    void refusesWithTheProblemAndItsOffset(Utf8.Problem problem, String bytes) {
        byte[] b = concat("ab".getBytes(StandardCharsets.US_ASCII), hex(bytes), "cd".getBytes(StandardCharsets.US_ASCII));
        assertEquals(new Utf8.Malformation(problem, 2), Utf8.firstMalformation(b, 0, b.length));
        InvalidEventException refused = assertThrows(InvalidEventException.class, () -> Utf8.decode(b));
        assertEquals("not valid UTF-8: " + problem.description() + " at byte 2", refused.getMessage());
        // the offset counts from the first byte checked
        assertEquals(new Utf8.Malformation(problem, 1), Utf8.firstMalformation(b, 1, b.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "41", "7F", "C2 80", "DF BF", "E0 A0 80", "E1 80 80", "EC BF BF", "ED 80 80", "ED 9F BF",
            "EE 80 80", "EF BF BF", "F0 90 80 80", "F0 9F 98 80", "F1 80 80 80", "F3 BF BF BF", "F4 80 80 80",
            "F4 8F BF BF"})
    void acceptsEveryFormOfEveryCodePoint(String bytes) {
        byte[] b = hex(bytes);
        assertNull(Utf8.firstMalformation(b, 0, b.length));
        assertEquals(new String(b, StandardCharsets.UTF_8), Utf8.decode(b));
    }

    @Test
    void theFirstProblemIsReported() {
        byte[] b = hex("F0 9F 98 80 41 C3 A9 E0 80 AF FF");   // 😀 A é, then an overlong '/', then FF
        assertEquals(new Utf8.Malformation(Utf8.Problem.OVERLONG, 7), Utf8.firstMalformation(b, 0, b.length));
        assertEquals("overlong encoding at byte 7", Utf8.firstMalformation(b, 0, b.length).describe());
    }

    /**
     * The JDK's strict decoder follows the same RFC: on every sequence of up to four bytes drawn
     * from the boundary values of table 3-7, both say well-formed or not alike.
     */
    @Test
    void agreesWithTheJdkDecoderOnEveryBoundarySequence() {
        int[] values = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
                0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF};
        int checked = 0;
        for (int length = 1; length <= 4; length++) {
            int[] index = new int[length];
            while (true) {
                byte[] b = new byte[length];
                for (int i = 0; i < length; i++) {
                    b[i] = (byte) values[index[i]];
                }
                assertEquals(jdkAccepts(b), Utf8.isWellFormed(b), () -> HexFormat.ofDelimiter(" ").formatHex(b));
                checked++;
                int i = length - 1;
                while (i >= 0 && ++index[i] == values.length) {
                    index[i--] = 0;
                }
                if (i < 0) {
                    break;
                }
            }
        }
        assertEquals(27 + 27 * 27 + 27 * 27 * 27 + 27 * 27 * 27 * 27, checked);
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
