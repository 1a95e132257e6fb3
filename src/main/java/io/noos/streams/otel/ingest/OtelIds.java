package io.noos.streams.otel.ingest;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Trace and span ids in every spelling an export uses, as one lower-case hex string: OTLP/JSON
 * writes hex, protobuf's {@code MessageToJson} writes the bytes as base64, and the Python SDK's
 * {@code to_json()} writes hex with a {@code 0x} prefix. An id of all zeros is "no id".
 */
final class OtelIds {
    static final int TRACE_ID_BYTES = 16;
    static final int SPAN_ID_BYTES = 8;

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern ZEROS = Pattern.compile("0+");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");

    private OtelIds() {}

    /**
     * The id as lower-case hex, or null when it is absent, empty or all zeros. Hex of the id's full
     * width is taken as hex; otherwise base64 (standard or URL-safe, padded or not) that decodes to
     * exactly {@code bytes} bytes is converted; any other hex string is lower-cased, anything else
     * kept as written.
     */
    static String normalize(String raw, int bytes) {
        if (raw == null) {
            return null;
        }
        String id = raw.trim();
        if (id.startsWith("0x") || id.startsWith("0X")) {
            id = id.substring(2);
        }
        if (id.isEmpty() || ZEROS.matcher(id).matches()) {
            return null;
        }
        boolean hex = HEX.matcher(id).matches();
        if (hex && id.length() == 2 * bytes) {
            return id.toLowerCase(Locale.ROOT);
        }
        byte[] decoded = base64(id);
        if (decoded != null && decoded.length == bytes) {
            String asHex = HexFormat.of().formatHex(decoded);
            return ZEROS.matcher(asHex).matches() ? null : asHex;
        }
        return hex ? id.toLowerCase(Locale.ROOT) : id;
    }

    private static byte[] base64(String id) {
        if (!BASE64.matcher(id).matches()) {
            return null;
        }
        try {   // the decoder accepts a missing padding
            return Base64.getDecoder().decode(id.replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
