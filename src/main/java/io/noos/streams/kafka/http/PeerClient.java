package io.noos.streams.kafka.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks another instance of the application over HTTP: a request that needs a store this instance
 * does not hold is sent on to the instance that does, with the caller's {@code Authorization}
 * header and {@link #FORWARDED_BY} so that the receiver answers from its own stores and never
 * forwards again.
 */
class PeerClient {
    /** Marks a request sent on by another instance; its value is the sender's {@code host:port}. */
    static final String FORWARDED_BY = "X-Noos-Forwarded-By";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String self;

    /** @param self this instance's {@code host:port}, sent in {@link #FORWARDED_BY} */
    PeerClient(String self) {
        this.self = self;
    }

    /** The peer's answer to {@code GET pathAndQuery} (already URL-encoded). */
    PeerResponse get(String hostPort, String pathAndQuery, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostPort + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header(FORWARDED_BY, self)
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new PeerResponse(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
    }

    record PeerResponse(int status, String contentType, byte[] body) {}
}
