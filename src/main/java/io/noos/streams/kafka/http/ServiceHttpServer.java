package io.noos.streams.kafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.noos.streams.kafka.config.ServiceConfig;
import io.noos.streams.kafka.metrics.ServiceMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP server (the JDK's {@link HttpServer}) carrying {@link ServiceApi}. It binds
 * first, before Kafka Streams is created, so the port actually bound (with {@code noos.http.port=0})
 * can be advertised as the application's {@code application.server}; it answers once
 * {@link #serve} is called.
 */
public final class ServiceHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttpServer.class);
    /** Several, so two instances asking each other at once never wait on one another. */
    private static final int THREADS = 8;

    private final HttpSettings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HostInfo advertised;
    private final AtomicReference<Supplier<? extends JsonNode>> simulation = new AtomicReference<>();

    private ServiceHttpServer(HttpSettings settings, HttpServer server, ExecutorService executor, HostInfo advertised) {
        this.settings = settings;
        this.server = server;
        this.executor = executor;
        this.advertised = advertised;
    }

    static {
        // The JDK server writes a response's headers and body separately; with Nagle's algorithm on,
        // a client that delays its ACKs (java.net.http does) waits ~40 ms for the body. Read once,
        // when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** The HTTP port cannot be bound (in use, or the host is not this machine's); the message says what to set. */
    public static final class PortUnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String host;
        private final int port;

        PortUnavailableException(String host, int port, BindException cause) {
            super("cannot listen on " + host + ":" + port + " (" + cause.getMessage() + "); set "
                    + ServiceConfig.HTTP_PORT + " to a free port, 0 for any, -1 for none", cause);
            this.host = host;
            this.port = port;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }
    }

    /**
     * Binds the port (not serving yet).
     *
     * @throws PortUnavailableException when the port cannot be bound
     */
    public static ServiceHttpServer bind(HttpSettings settings) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
        } catch (BindException e) {
            throw new PortUnavailableException(settings.host(), settings.port(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the HTTP server on " + settings.host() + ":" + settings.port(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "noos-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        int port = server.getAddress().getPort();
        HostInfo advertised = new HostInfo(settings.advertisedHost() != null ? settings.advertisedHost()
                : defaultAdvertisedHost(settings.host()), settings.advertisedPort() > 0 ? settings.advertisedPort() : port);
        return new ServiceHttpServer(settings, server, executor, advertised);
    }

    /** The bind address when it is a specific one; for a wildcard, this machine's name. */
    private static String defaultAdvertisedHost(String bindHost) {
        try {
            InetAddress bind = InetAddress.getByName(bindHost);
            if (!bind.isAnyLocalAddress()) {
                return bindHost;
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Starts answering with the API over {@code streams}, whose topology has the state stores
     * {@code stores}, the users' states in {@code userStateStore}.
     */
    public void serve(KafkaStreams streams, Supplier<StreamThreadStatus> threads, String userStateStore,
                      Set<String> stores, ServiceMetrics metrics) {
        KafkaStreamsQueries queries = new KafkaStreamsQueries(streams, advertised, userStateStore, stores);
        ServiceApi api = new ServiceApi(streams::state, threads, metrics::scrape,
                settings.token() == null ? null : new BearerToken(settings.token()), queries,
                new PeerClient(queries.self()), new DashboardAssets(), System::currentTimeMillis,
                () -> Optional.ofNullable(simulation.get()).map(report -> (JsonNode) report.get()));
        server.createContext("/", exchange -> respond(api, exchange));
        server.start();
        if (settings.token() == null && !isLoopback(settings.host())) {
            LOG.warn("{} is not set: /users and /fleet answer anyone who can reach {}:{}", ServiceConfig.HTTP_TOKEN,
                    settings.host(), port());
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void respond(ServiceApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    headers.put(name, values.get(0));
                }
            });
            ApiResponse response;
            try {
                response = api.handle(new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), headers));
            } catch (RuntimeException e) {
                LOG.error("HTTP request to {} failed", exchange.getRequestURI().getRawPath(), e);
                response = ApiResponse.error(500, "internal error");
            }
            exchange.getResponseHeaders().put("Content-Type", List.of(response.contentType()));
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().put(k, List.of(v)));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    /** Answers {@code GET /simulation} (and the dashboard's simulation panel) with {@code report}. */
    public void showSimulation(Supplier<? extends JsonNode> report) {
        simulation.set(report);
    }

    /** The port bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** What other instances use to reach this one: Kafka Streams' {@code application.server}. */
    public HostInfo advertised() {
        return advertised;
    }

    /** An address a browser on this machine can open. */
    public String localUrl() {
        String host = settings.host();
        try {
            InetAddress bind = InetAddress.getByName(host);
            if (bind.isAnyLocalAddress() || bind.isLoopbackAddress()) {
                host = "localhost";
            }
        } catch (UnknownHostException e) {
            // keep the configured name
        }
        return "http://" + host + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
