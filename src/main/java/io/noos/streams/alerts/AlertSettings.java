package io.noos.streams.alerts;

import io.noos.streams.codec.WireFormat;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How alerts are sent: the webhooks, the rate limit per webhook, the retries, whether user text may
 * be sent, and where decisions are read. From the {@code noos.alerts.*} keys (see {@link #from}).
 *
 * @param webhooks          where to post, each with its body format
 * @param maxPerWindow      at most this many posts per webhook per {@code rateWindowMs}
 * @param rateWindowMs      the rate limit's window
 * @param maxAttempts       attempts per alert and webhook before it is given up (logged at ERROR)
 * @param backoffMs         the wait after the first failed attempt; it doubles up to {@code maxBackoffMs}
 * @param maxBackoffMs      the longest wait between attempts
 * @param includeUserText   send decision details that hold user text (off by default)
 * @param groupId           the consumer group whose committed offsets say what was sent
 * @param decisionsTopic    the decisions topic
 * @param decisionsFormat   its wire format
 * @param fromEarliest      a new group (no committed offset) starts at the topic's beginning (else at its
 *                          end); see {@link AlertsRunner} for partitions added later
 */
public record AlertSettings(List<Webhook> webhooks, int maxPerWindow, long rateWindowMs, int maxAttempts, long backoffMs,
                            long maxBackoffMs, boolean includeUserText, String groupId, String decisionsTopic,
                            WireFormat decisionsFormat, boolean fromEarliest) {
    public static final String PREFIX = "noos.alerts.";
    /** {@code noos.alerts.webhook.<name>.url} and {@code .format} ({@code json} or {@code slack}). */
    public static final String WEBHOOK_PREFIX = PREFIX + "webhook.";
    public static final String ENABLED = PREFIX + "enabled";
    public static final String RATE_PER_MINUTE = PREFIX + "rate.per.minute";
    public static final String MAX_ATTEMPTS = PREFIX + "retry.max.attempts";
    public static final String BACKOFF_MS = PREFIX + "retry.backoff.ms";
    public static final String MAX_BACKOFF_MS = PREFIX + "retry.max.backoff.ms";
    public static final String INCLUDE_USER_TEXT = PREFIX + "include.user.text";
    public static final String GROUP_ID = PREFIX + "group.id";
    public static final String START = PREFIX + "start";

    /** A body format. */
    public enum Format { JSON, SLACK }

    /** One destination. */
    public record Webhook(String name, URI url, Format format) {}

    public AlertSettings {
        webhooks = List.copyOf(webhooks);
        if (webhooks.isEmpty()) {
            throw new IllegalArgumentException("alerts need at least one webhook (" + WEBHOOK_PREFIX + "<name>.url)");
        }
        if (maxPerWindow < 1 || rateWindowMs < 1 || maxAttempts < 1 || backoffMs < 1 || maxBackoffMs < backoffMs) {
            throw new IllegalArgumentException("alerts: rate, attempts and backoff must be positive");
        }
    }

    /** The defaults of every key. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new TreeMap<>();
        d.put(ENABLED, "false");
        d.put(RATE_PER_MINUTE, "30");
        d.put(MAX_ATTEMPTS, "10");
        d.put(BACKOFF_MS, "500");
        d.put(MAX_BACKOFF_MS, "30000");
        d.put(INCLUDE_USER_TEXT, "false");
        d.put(GROUP_ID, "noos-alerts");
        d.put(START, "latest");
        return d;
    }

    /**
     * The settings of the {@code noos.alerts.*} keys in {@code config} (missing ones default), the
     * decisions topic and format given; an IllegalArgumentException names a bad key.
     */
    public static AlertSettings from(Map<String, String> config, String decisionsTopic, WireFormat decisionsFormat) {
        Map<String, String> v = defaults();
        config.forEach((k, value) -> {
            if (k.startsWith(PREFIX) && value != null) {
                v.put(k, value.trim());
            }
        });
        Map<String, String> urls = new TreeMap<>();
        Map<String, String> formats = new TreeMap<>();
        v.forEach((k, value) -> {
            if (k.startsWith(WEBHOOK_PREFIX)) {
                String rest = k.substring(WEBHOOK_PREFIX.length());
                int dot = rest.lastIndexOf('.');
                String field = dot < 0 ? "" : rest.substring(dot + 1);
                String name = dot < 0 ? rest : rest.substring(0, dot);
                switch (field) {
                    case "url" -> urls.put(name, value);
                    case "format" -> formats.put(name, value);
                    default -> throw new IllegalArgumentException(k + ": a webhook has .url and .format");
                }
            }
        });
        List<Webhook> hooks = new ArrayList<>();
        urls.forEach((name, url) -> hooks.add(webhook(name, url, formats.getOrDefault(name, "json"))));
        formats.keySet().stream().filter(n -> !urls.containsKey(n)).findFirst().ifPresent(n -> {
            throw new IllegalArgumentException(WEBHOOK_PREFIX + n + ".format is set but " + WEBHOOK_PREFIX + n + ".url is not");
        });
        String start = v.get(START).toLowerCase(Locale.ROOT);
        if (!start.equals("earliest") && !start.equals("latest")) {
            throw new IllegalArgumentException(START + " must be earliest or latest, got " + v.get(START));
        }
        return new AlertSettings(hooks, (int) positive(v, RATE_PER_MINUTE), 60_000, (int) positive(v, MAX_ATTEMPTS),
                positive(v, BACKOFF_MS), positive(v, MAX_BACKOFF_MS), bool(v, INCLUDE_USER_TEXT), v.get(GROUP_ID),
                decisionsTopic, decisionsFormat, start.equals("earliest"));
    }

    /** A webhook called {@code name} at {@code url} ({@code http} or {@code https}) in {@code format} (json or slack). */
    public static Webhook webhook(String name, String url, String format) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhook " + name + ": not a URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("webhook " + name + ": an http(s) URL is needed, got " + url);
        }
        Format f = switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> Format.JSON;
            case "slack" -> Format.SLACK;
            default -> throw new IllegalArgumentException("webhook " + name + ": format is json or slack, got " + format);
        };
        return new Webhook(name, uri, f);
    }

    /** These settings with another rate limit window (tests use short ones). */
    public AlertSettings withRate(int max, long windowMs) {
        return new AlertSettings(webhooks, max, windowMs, maxAttempts, backoffMs, maxBackoffMs, includeUserText, groupId,
                decisionsTopic, decisionsFormat, fromEarliest);
    }

    private static long positive(Map<String, String> v, String key) {
        try {
            long n = Long.parseLong(v.get(key));
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(key + " must be a positive integer, got " + v.get(key));
    }

    private static boolean bool(Map<String, String> v, String key) {
        String s = v.get(key).toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got " + v.get(key));
        }
        return s.equals("true");
    }
}
