package io.noos.streams.kafka.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as the API sees it.
 *
 * @param rawPath  the path, still URL-encoded
 * @param rawQuery the query string, still URL-encoded, or null
 * @param headers  header values by lower-case name (the first value of each)
 */
record ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers) {
    ApiRequest {
        Map<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        headers = lower;
    }

    static ApiRequest get(String pathAndQuery, Map<String, String> headers) {
        int q = pathAndQuery.indexOf('?');
        return new ApiRequest("GET", q < 0 ? pathAndQuery : pathAndQuery.substring(0, q),
                q < 0 ? null : pathAndQuery.substring(q + 1), headers);
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The path and query, still encoded, as sent. */
    String pathAndQuery() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }

    /** The first value of a query parameter, decoded, or null. */
    String queryParameter(String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : PathSegments.decode(pair.substring(eq + 1).replace('+', ' '));
            }
        }
        return null;
    }
}
