package io.noos.streams.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on loopback (the JDK's HTTP server): it keeps every post it takes (path,
 * {@code Idempotency-Key} header, body) and answers 200, or 503 while it is {@link #down} or for the
 * posts {@link #failNext} asked it to fail (those are counted, not kept).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One post taken. */
    public record Post(String path, String idempotencyKey, String body) {
        public JsonNode json() {
            return JsonTrees.tree(body);
        }
    }

    private final HttpServer server;
    private final List<Post> taken = new ArrayList<>();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver taking posts on {@code paths} (e.g. {@code "/hook"}). */
    public static WebhookReceiver start(String... paths) throws IOException {
        WebhookReceiver receiver = new WebhookReceiver(
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        for (String path : paths) {
            receiver.failuresLeft.put(path, new AtomicInteger());
            receiver.server.createContext(path, ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int status = 200;
                if (receiver.down || receiver.failuresLeft.get(path).getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    status = 503;
                    receiver.refused.incrementAndGet();
                } else {
                    synchronized (receiver.taken) {
                        receiver.taken.add(new Post(path, ex.getRequestHeaders().getFirst("Idempotency-Key"),
                                new String(body, StandardCharsets.UTF_8)));
                    }
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
        }
        receiver.server.start();
        return receiver;
    }

    /** The URL of {@code path} on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code posts} posts to {@code path} are answered 503. */
    public void failNext(String path, int posts) {
        failuresLeft.get(path).set(posts);
    }

    /** While down, every post is answered 503. */
    public void down(boolean down) {
        this.down = down;
    }

    /** The posts answered 503 so far. */
    public int refused() {
        return refused.get();
    }

    /** The posts taken on {@code path}, in arrival order. */
    public List<Post> posts(String path) {
        synchronized (taken) {
            return taken.stream().filter(p -> p.path().equals(path)).toList();
        }
    }

    /** The idempotency keys of the posts taken on {@code path}, in arrival order. */
    public List<String> keys(String path) {
        return posts(path).stream().map(Post::idempotencyKey).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
