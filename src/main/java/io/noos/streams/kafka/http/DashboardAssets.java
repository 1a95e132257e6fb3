package io.noos.streams.kafka.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's files, bundled in the jar under {@code dashboard/} and served as they are: no
 * network is needed to show it. Only these named files are served.
 */
final class DashboardAssets {
    /** Scripts, styles and data only from this server; nothing inline, nothing framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, ApiResponse> byPath = new LinkedHashMap<>();

    DashboardAssets() {
        ApiResponse index = load("index.html", "text/html; charset=utf-8");
        for (String path : new String[] {"/", "/dashboard", "/dashboard/", "/dashboard/index.html"}) {
            byPath.put(path, index);
        }
        byPath.put("/dashboard/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"));
        byPath.put("/dashboard/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"));
    }

    Optional<ApiResponse> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static ApiResponse load(String name, String contentType) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the classpath");
            }
            return new ApiResponse(200, contentType, in.readAllBytes(), Map.of(
                    "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                    "X-Content-Type-Options", "nosniff",
                    "Referrer-Policy", "no-referrer",
                    "Cache-Control", "no-cache"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
