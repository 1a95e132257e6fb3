package io.noos.streams.alerts;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alert bodies to the webhooks: one {@link RateLimiter} per webhook (an alert waits for its
 * turn, it is not dropped), retries with a doubling backoff on a connection error, a 5xx, 408 or
 * 429, up to the attempts allowed; another 4xx is given up at once. Every post carries the header
 * {@code Idempotency-Key}. Giving up is logged at ERROR with the webhook and key, never user text.
 */
final class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final AlertSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, RateLimiter> limits = new HashMap<>();
    private volatile boolean stopping;

    WebhookSender(AlertSettings settings) {
        this.settings = settings;
        for (AlertSettings.Webhook w : settings.webhooks()) {
            limits.put(w.name(), new RateLimiter(settings.maxPerWindow(), settings.rateWindowMs(), System::currentTimeMillis));
        }
    }

    /** Stops waiting: the current and later sends return false at once. */
    void stop() {
        stopping = true;
    }

    /**
     * Posts {@code alert} to {@code hook}: true when it was taken (2xx) or given up (logged), false
     * when stopping interrupted it (it is sent again after a restart).
     */
    boolean send(Alert alert, AlertSettings.Webhook hook) throws InterruptedException {
        byte[] body = AlertBody.of(alert, hook.format(), settings.includeUserText());
        RateLimiter limit = limits.get(hook.name());
        long backoff = settings.backoffMs();
        for (int attempt = 1; ; attempt++) {
            for (long wait = limit.delayMs(); wait > 0; wait = limit.delayMs()) {
                if (!pause(wait)) {
                    return false;
                }
            }
            if (stopping) {
                return false;
            }
            limit.sent();
            String failure;
            boolean retry;
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(hook.url())
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .header(IDEMPOTENCY_HEADER, alert.idempotencyKey())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    LOG.info("alert {} ({}) sent to webhook {}", alert.idempotencyKey(), alert.type(), hook.name());
                    return true;
                }
                failure = "HTTP " + status;
                retry = status >= 500 || status == 408 || status == 429;
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                retry = true;
            }
            if (!retry || attempt >= settings.maxAttempts()) {
                LOG.error("alert {} ({}) to webhook {} given up after {} attempt(s): {}", alert.idempotencyKey(),
                        alert.type(), hook.name(), attempt, failure);
                return true;
            }
            LOG.warn("alert {} to webhook {} failed ({}), attempt {} of {}; retrying in {} ms", alert.idempotencyKey(),
                    hook.name(), failure, attempt, settings.maxAttempts(), backoff);
            if (!pause(backoff)) {
                return false;
            }
            backoff = Math.min(settings.maxBackoffMs(), backoff * 2);
        }
    }

    /** Sleeps {@code ms} in short steps; false when stopping. */
    private boolean pause(long ms) throws InterruptedException {
        long until = System.currentTimeMillis() + ms;
        while (!stopping) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return true;
            }
            Thread.sleep(Math.min(left, 100));
        }
        return false;
    }
}
