package io.connectha.haproxy;

import io.connectha.cluster.HaproxySpec;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import okhttp3.Credentials;
import okhttp3.Request;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads HAProxy's statistics: through the stats socket when this user can open it (root, on the
 * HAProxy host), otherwise from the CSV export of the stats page with the stats credentials. Both
 * give the same CSV; it is parsed by its header, not by column position.
 */
public final class HaproxyStats {

    private final Http http;
    private final Duration timeout;

    public HaproxyStats(Http http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Every server line of every backend. */
    public List<HaproxyServer> servers(HaproxySpec spec, String statsPassword) {
        return read(spec, statsPassword).servers();
    }

    /**
     * Every server line of every backend, and where they were read.
     *
     * @param source {@code socket PATH} or {@code page HOST:PORT}
     */
    public record Reading(List<HaproxyServer> servers, String source) {
    }

    public Reading read(HaproxySpec spec, String statsPassword) {
        Path socket = Path.of(spec.statsSocket());
        if (Files.isWritable(socket)) {
            try {
                return new Reading(parse(HaproxySocket.command(socket, "show stat", timeout)), "socket " + socket);
            } catch (ConnectError e) {
                // fall through to the page: the socket may belong to an HAProxy that is gone
            }
        }
        String address = spec.statsHost() + ":" + spec.statsPort();
        return new Reading(parse(page(spec, address, statsPassword)), "page " + address);
    }

    private String page(HaproxySpec spec, String address, String statsPassword) {
        Request request = new Request.Builder().url("http://" + address + "/;csv")
                .header("Authorization", Credentials.basic(spec.statsUser(), statsPassword == null ? "" : statsPassword)).get().build();
        Http.Reply reply = http.execute(request, "HAProxy stats", address);
        if (reply.code() == 401) {
            throw ConnectError.authenticationFailed("HAProxy stats", address, null);
        }
        if (!reply.ok()) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "HAProxy stats at " + address + " answered " + reply.code());
        }
        return reply.body();
    }

    public static List<HaproxyServer> parse(String csv) {
        List<HaproxyServer> servers = new ArrayList<>();
        Map<String, Integer> column = new HashMap<>();
        for (String line : csv.split("\n")) {
            if (line.startsWith("# ")) {
                String[] names = line.substring(2).split(",", -1);
                for (int i = 0; i < names.length; i++) {
                    column.put(names[i], i);
                }
                continue;
            }
            if (line.isBlank() || column.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            String server = f[column.get("svname")];
            if (server.equals("FRONTEND") || server.equals("BACKEND")) {
                continue;
            }
            servers.add(new HaproxyServer(f[column.get("pxname")], server, f[column.get("status")],
                    field(f, column, "check_status"), intField(f, column, "scur"),
                    Duration.ofSeconds(intField(f, column, "lastchg"))));
        }
        return servers;
    }

    private static String field(String[] f, Map<String, Integer> column, String name) {
        Integer i = column.get(name);
        return i == null || i >= f.length ? "" : f[i];
    }

    private static int intField(String[] f, Map<String, Integer> column, String name) {
        String v = field(f, column, name);
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }
}
