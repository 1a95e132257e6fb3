package io.noos.streams.kafka.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Decoding of URL-encoded path segments and query values ({@code %XX} as UTF-8). */
final class PathSegments {
    private PathSegments() {}

    /**
     * Decodes {@code %XX} escapes; {@code +} stays a plus sign, as in a path.
     *
     * @throws IllegalArgumentException on a malformed escape
     */
    static String decode(String encoded) {
        return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
