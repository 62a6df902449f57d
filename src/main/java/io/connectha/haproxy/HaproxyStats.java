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
     * @param backends every backend HAProxy has, in its order, servers or not
     * @param source   {@code socket PATH} or {@code page HOST:PORT}
     */
    public record Reading(List<HaproxyServer> servers, List<String> backends, String source) {

        public static Reading of(String csv, String source) {
            return new Reading(parse(csv), HaproxyStats.backends(csv), source);
        }

        public boolean has(String backend) {
            return backends.contains(backend);
        }

        public List<HaproxyServer> in(String backend) {
            return servers.stream().filter(s -> s.backend().equals(backend)).toList();
        }
    }

    public Reading read(HaproxySpec spec, String statsPassword) {
        Path socket = Path.of(spec.statsSocket());
        if (Files.isWritable(socket)) {
            try {
                return Reading.of(HaproxySocket.command(socket, "show stat", timeout), "socket " + socket);
            } catch (ConnectError e) {
                // fall through to the page: the socket may belong to an HAProxy that is gone
            }
        }
        String address = spec.statsHost() + ":" + spec.statsPort();
        return Reading.of(page(spec, address, statsPassword), "page " + address);
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
            String address = field(f, column, "addr");
            servers.add(new HaproxyServer(f[column.get("pxname")], server, f[column.get("status")],
                    field(f, column, "check_status"), intField(f, column, "scur"),
                    Duration.ofSeconds(intField(f, column, "lastchg")), address.isEmpty() ? null : address, null));
        }
        return servers;
    }

    /** The names of the backends (a {@code BACKEND} line each, also for a backend without servers or a {@code listen} section). */
    public static List<String> backends(String csv) {
        List<String> backends = new ArrayList<>();
        Integer pxname = null;
        Integer svname = null;
        for (String line : csv.split("\n")) {
            if (line.startsWith("# ")) {
                List<String> names = List.of(line.substring(2).split(",", -1));
                pxname = names.indexOf("pxname");
                svname = names.indexOf("svname");
                continue;
            }
            if (line.isBlank() || pxname == null || pxname < 0 || svname < 0) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length > Math.max(pxname, svname) && f[svname].equals("BACKEND") && !backends.contains(f[pxname])) {
                backends.add(f[pxname]);
            }
        }
        return List.copyOf(backends);
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
