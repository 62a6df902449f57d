package io.connectha.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.haproxy.HaproxySocket;
import io.connectha.net.Http;
import io.connectha.net.Tls;
import io.connectha.patroni.PatroniCluster;
import io.connectha.pg.PgConnector;
import io.connectha.pgbouncer.PgbouncerAdmin;
import io.connectha.pgbouncer.PgbouncerShow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live reads discovery makes: Patroni's REST API, etcd's keys under a namespace, HAProxy's
 * servers with their addresses, and whether an address answers at all. Each read throws
 * {@link ConnectError} (unreachable, or an answer that is not what was expected).
 */
final class LiveSources implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Tls restTls;
    private final Tls etcdTls;
    private final Map<String, Http> clients = new HashMap<>();

    /** {@code restTls} and {@code etcdTls}: the CA and client certificate patroni.yml gives, for https; null: the JVM's CAs. */
    LiveSources(Duration connectTimeout, Duration readTimeout, Tls restTls, Tls etcdTls) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.restTls = restTls;
        this.etcdTls = etcdTls;
    }

    LiveSources(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, null, null);
    }

    /** A client for {@code url}: plain for http; for https with {@code tls} when given (TLS costs start-up, so only when asked). */
    private Http http(String url, Tls tls, String kind) {
        boolean https = url.regionMatches(true, 0, "https:", 0, 6);
        if (https && tls != null) {
            return clients.computeIfAbsent(kind, k -> new Http(connectTimeout, readTimeout, tls));
        }
        return clients.computeIfAbsent(https ? "https" : "http", k -> Http.forUrl(url, connectTimeout, readTimeout));
    }

    /** What one member's REST API says: the cluster, the member itself, and the dynamic configuration. */
    record PatroniAnswer(PatroniCluster cluster, JsonNode patroni, JsonNode config) {
    }

    PatroniAnswer patroni(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new PatroniAnswer(PatroniCluster.fromJson(getJson(base + "/cluster")), getJson(base + "/patroni"), getJson(base + "/config"));
    }

    private JsonNode getJson(String url) {
        String address = url.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        Http.Reply reply = http(url, restTls, "rest").get(url, "Patroni", address);
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "Patroni at " + address + " answered " + reply.code() + " to GET "
                    + url.substring(url.indexOf(address) + address.length()));
        }
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "Patroni at " + address + " sent an answer that is not JSON", e);
        }
    }

    /** Every key under the namespace, and etcd's members. */
    record EtcdAnswer(List<EtcdGateway.KeyValue> keys, List<EtcdGateway.Member> members) {
    }

    EtcdAnswer etcd(String endpoint, String namespace) {
        EtcdGateway gateway = new EtcdGateway(http(endpoint, etcdTls, "etcd"));
        String prefix = namespace.endsWith("/") ? namespace : namespace + "/";
        return new EtcdAnswer(gateway.range(endpoint, prefix), gateway.members(endpoint));
    }

    /** A server line of HAProxy's {@code show stat}, with its address, which {@code haproxy.HaproxyServer} does not keep. */
    record ServerLine(String backend, String server, String address, boolean up) {
    }

    List<ServerLine> haproxySocket(Path socket) {
        return serverLines(HaproxySocket.command(socket, "show stat", readTimeout));
    }

    List<ServerLine> haproxyStatsPage(String url, String user, String password) {
        String csvUrl = url.contains(";csv") ? url : (url.endsWith("/") ? url : url + "/") + ";csv";
        String address = url.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        okhttp3.Request.Builder request = new okhttp3.Request.Builder().url(csvUrl).get();
        if (user != null && password != null) {
            request.header("Authorization", okhttp3.Credentials.basic(user, password));
        }
        Http.Reply reply = http(url, null, "stats").execute(request.build(), "HAProxy stats", address);
        if (reply.code() == 401) {
            throw ConnectError.authenticationFailed("HAProxy stats", address, null);
        }
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy stats at " + address + " answered " + reply.code());
        }
        return serverLines(reply.body());
    }

    /** HAProxy's {@code show stat} as {@code haproxy.HaproxyStats} reads it, each server with its address and whether it is UP. */
    static List<ServerLine> serverLines(String csv) {
        List<ServerLine> lines = new ArrayList<>();
        for (io.connectha.haproxy.HaproxyServer s : io.connectha.haproxy.HaproxyStats.parse(csv)) {
            lines.add(new ServerLine(s.backend(), s.server(), s.address() == null ? "" : s.address(), s.status().startsWith("UP")));
        }
        return lines;
    }

    /** PgBouncer's {@code SHOW DATABASES} through its admin console, as {@code [databases]} entries (the console itself left out). */
    List<PgbouncerIni.Database> pgbouncerDatabases(String host, int port, String user, String password) {
        PgConnector connector = new PgConnector(connectTimeout, readTimeout);
        PgConnector.Endpoint endpoint = new PgConnector.Endpoint("PgBouncer console", host, port, PgbouncerAdmin.CONSOLE_DATABASE, user);
        try (Connection console = connector.connect(endpoint, password, PgConnector.Mode.ADMIN_CONSOLE)) {
            List<PgbouncerIni.Database> databases = new ArrayList<>();
            for (Map<String, Object> row : PgbouncerAdmin.show(console, PgbouncerShow.DATABASES).rows()) {
                String name = String.valueOf(row.get("name"));
                if (name.equals(PgbouncerAdmin.CONSOLE_DATABASE)) {
                    continue;
                }
                Object dbname = row.get("database");
                Object p = row.get("port");
                databases.add(new PgbouncerIni.Database(name, dbname == null ? name : dbname.toString(),
                        row.get("host") == null ? null : row.get("host").toString(), p instanceof Number n ? n.intValue() : null));
            }
            return databases;
        } catch (java.sql.SQLException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "PgBouncer console at " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (PgbouncerAdmin.ConsoleException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "PgBouncer console at " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Whether something accepts a TCP connection at {@code host:port} within the connect timeout. */
    boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        clients.values().forEach(Http::close);
    }
}
