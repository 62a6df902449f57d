package io.connectha.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.connectha.error.ConnectError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The monitor's HTTP endpoints, on the JDK's own server (no library for four read-only pages). Each page
 * is made from the last gathered snapshot, so a request costs no I/O beyond its own socket.
 */
public final class MonitorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorServer.class);

    /** One answer: its HTTP status, content type and body. */
    public record Page(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final ExecutorService pool;

    /**
     * @param routes path to page; any other path is 404
     */
    public MonitorServer(InetSocketAddress listen, Map<String, Supplier<Page>> routes) {
        if (listen.isUnresolved()) {
            listen = new InetSocketAddress(listen.getHostString(), listen.getPort());
            if (listen.isUnresolved()) {
                throw ConnectError.invalidInput("--listen " + listen.getHostString() + ":" + listen.getPort() + ": no such host");
            }
        }
        try {
            server = HttpServer.create(listen, 16);
        } catch (IOException e) {
            throw ConnectError.invalidInput("--listen " + listen.getHostString() + ":" + listen.getPort() + ": cannot listen there: "
                    + e.getMessage());
        }
        // two threads: a scrape and a health check at once; a page never waits on a component, so more would idle
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", exchange -> answer(exchange, routes));
    }

    public void start() {
        server.start();
    }

    /** The port listened on (the one given, or the one the system chose for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Map<String, Supplier<Page>> routes) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Supplier<Page> route = routes.get(path);
            Page page;
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                page = new Page(405, "text/plain; charset=utf-8", "only GET\n");
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            } else if (route == null) {
                page = new Page(404, "text/plain; charset=utf-8", "not found: try /metrics, /status, /healthz or /\n");
            } else {
                try {
                    page = route.get();
                } catch (RuntimeException e) {
                    LOG.warn("{}: {}", path, e.toString());
                    page = new Page(500, "text/plain; charset=utf-8", "internal error\n");
                }
            }
            byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(page.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
