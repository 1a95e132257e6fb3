package io.noos.streams.kafka.http;

import io.noos.streams.kafka.config.ServiceConfig;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The HTTP server's settings, from {@code noos.http.*}.
 *
 * @param port           {@code noos.http.port}: 0 picks a free port, -1 turns the server off
 * @param host           {@code noos.http.host}: the bind address
 * @param advertisedHost host of {@code noos.http.advertised.url}, or null to derive it from the bind address
 * @param advertisedPort port of {@code noos.http.advertised.url}, or 0 for the port actually bound
 * @param token          {@code noos.http.token}, or null when the user endpoints are open
 */
public record HttpSettings(int port, String host, String advertisedHost, int advertisedPort, String token) {

    public HttpSettings {
        if (port < -1 || port > 65_535) {
            throw new IllegalArgumentException(ServiceConfig.HTTP_PORT + " must be -1 (off), 0 (any free port) "
                    + "or a port number, got " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(ServiceConfig.HTTP_HOST + " must be an address to bind to");
        }
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    public static HttpSettings from(ServiceConfig config) {
        String port = config.get(ServiceConfig.HTTP_PORT);
        int p;
        try {
            p = Integer.parseInt(port == null ? "8080" : port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ServiceConfig.HTTP_PORT + " must be a number, got \"" + port + "\"");
        }
        String host = config.get(ServiceConfig.HTTP_HOST);
        String advertised = config.get(ServiceConfig.HTTP_ADVERTISED_URL);
        String advertisedHost = null;
        int advertisedPort = 0;
        if (advertised != null && !advertised.isBlank()) {
            URI uri = parseAdvertised(advertised.trim());
            advertisedHost = uri.getHost();
            advertisedPort = Math.max(uri.getPort(), 0);
        }
        return new HttpSettings(p, host == null ? "0.0.0.0" : host.trim(), advertisedHost, advertisedPort,
                config.get(ServiceConfig.HTTP_TOKEN));
    }

    /** Accepts {@code http://host:port}, {@code host:port} or {@code host}. */
    private static URI parseAdvertised(String value) {
        String withScheme = value.contains("://") ? value : "http://" + value;
        try {
            URI uri = new URI(withScheme);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(value, "expected http://host:port or host:port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ServiceConfig.HTTP_ADVERTISED_URL + " must be host:port or "
                    + "http://host:port, got \"" + value + "\"");
        }
    }

    public boolean enabled() {
        return port >= 0;
    }

    @Override
    public String toString() {
        // The token never reaches a log line through this record.
        return "HttpSettings[port=" + port + ", host=" + host + ", advertised=" + advertisedHost + ":" + advertisedPort
                + ", token=" + (token == null ? "none" : "[redacted]") + "]";
    }
}
