package io.connectha.discover;

import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an haproxy.cfg says about the proxies in front of a cluster: each {@code listen}, {@code frontend}
 * and {@code backend} section with its binds, servers and health check, the admin socket and the stats
 * page. A frontend's binds are credited to the backend it sends to ({@code default_backend}), so that a
 * backend reached through a frontend has a port as a {@code listen} section has.
 */
public record HaproxyCfg(String statsSocket, String statsBind, String statsUser, Integer maxconn, List<Proxy> proxies) {

    /** A section that has servers, or a frontend that names one. */
    public record Proxy(String name, String kind, List<String> binds, String defaultBackend, List<Server> servers,
                        String checkUri, String inter, Integer fall, Integer rise) {
    }

    /** {@code server NAME HOST:PORT ... [port CHECKPORT]}. */
    public record Server(String name, String host, int port, Integer checkPort) {
        public String address() {
            return host + ":" + port;
        }
    }

    public static HaproxyCfg read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw ConnectError.invalidInput("--haproxy-config " + file + ": no such file");
        } catch (IOException e) {
            throw ConnectError.invalidInput("--haproxy-config " + file + ": " + ConnectError.ioReason(e));
        }
    }

    /** The backends with servers, each with the binds of the frontends that send to it, by name. */
    public Map<String, Proxy> backends() {
        Map<String, Proxy> byName = new LinkedHashMap<>();
        for (Proxy p : proxies) {
            if (!p.kind().equals("frontend") && !p.servers().isEmpty()) {
                byName.put(p.name(), p);
            }
        }
        for (Proxy f : proxies) {
            if (f.kind().equals("frontend") && f.defaultBackend() != null && byName.containsKey(f.defaultBackend())) {
                Proxy b = byName.get(f.defaultBackend());
                List<String> binds = new ArrayList<>(b.binds());
                binds.addAll(f.binds());
                byName.put(b.name(), new Proxy(b.name(), b.kind(), List.copyOf(binds), null, b.servers(), b.checkUri(), b.inter(),
                        b.fall(), b.rise()));
            }
        }
        return byName;
    }

    static HaproxyCfg parse(String text) {
        String statsSocket = null;
        String statsBind = null;
        String statsUser = null;
        Integer maxconn = null;
        List<Proxy> proxies = new ArrayList<>();
        Builder current = null;
        String section = "";
        // default-server lines in defaults sections apply to the proxies that follow
        String defInter = null;
        Integer defFall = null;
        Integer defRise = null;
        String userlistUser = null;
        for (String raw : text.split("\n")) {
            String line = stripComment(raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("\\s+");
            String key = w[0];
            if (List.of("global", "defaults", "frontend", "backend", "listen", "userlist", "resolvers", "peers", "program",
                    "mailers", "cache", "http-errors", "ring").contains(key)) {
                if (current != null) {
                    proxies.add(current.build());
                    if (current.stats && current.binds.size() > 0 && statsBind == null) {
                        statsBind = current.binds.get(0);
                    }
                    if (current.stats && current.statsUser != null && statsUser == null) {
                        statsUser = current.statsUser;
                    }
                }
                section = key;
                current = List.of("frontend", "backend", "listen").contains(key) && w.length > 1
                        ? new Builder(w[1], key, defInter, defFall, defRise) : null;
                continue;
            }
            switch (section) {
                case "global" -> {
                    if (key.equals("stats") && w.length > 2 && w[1].equals("socket")) {
                        statsSocket = w[2];
                    } else if (key.equals("maxconn") && w.length > 1) {
                        maxconn = integer(w[1]);
                    }
                }
                case "defaults" -> {
                    if (key.equals("default-server")) {
                        defInter = option(w, "inter", defInter);
                        defFall = integer(option(w, "fall", defFall == null ? null : defFall.toString()));
                        defRise = integer(option(w, "rise", defRise == null ? null : defRise.toString()));
                    }
                }
                case "userlist" -> {
                    if (key.equals("user") && w.length > 1 && userlistUser == null) {
                        userlistUser = w[1];
                    }
                }
                default -> {
                    if (current != null) {
                        current.line(w);
                    }
                }
            }
        }
        if (current != null) {
            proxies.add(current.build());
            if (current.stats && !current.binds.isEmpty() && statsBind == null) {
                statsBind = current.binds.get(0);
            }
            if (current.stats && current.statsUser != null && statsUser == null) {
                statsUser = current.statsUser;
            }
        }
        // the stats page's own section is no proxy of the cluster
        List<Proxy> kept = proxies.stream().filter(p -> !p.servers().isEmpty() || p.defaultBackend() != null).toList();
        return new HaproxyCfg(statsSocket, statsBind, statsUser != null ? statsUser : userlistUser, maxconn, kept);
    }

    private static final class Builder {
        final String name;
        final String kind;
        final List<String> binds = new ArrayList<>();
        final List<Server> servers = new ArrayList<>();
        String defaultBackend;
        String checkUri;
        String inter;
        Integer fall;
        Integer rise;
        boolean stats;
        String statsUser;

        Builder(String name, String kind, String inter, Integer fall, Integer rise) {
            this.name = name;
            this.kind = kind;
            this.inter = inter;
            this.fall = fall;
            this.rise = rise;
        }

        void line(String[] w) {
            switch (w[0]) {
                case "bind" -> {
                    if (w.length > 1) {
                        for (String addr : w[1].split(",")) {
                            binds.add(addr.replaceFirst("^ipv4@", ""));
                        }
                    }
                }
                case "server" -> {
                    if (w.length > 2) {
                        String addr = w[2];
                        int colon = addr.lastIndexOf(':');
                        if (colon > 0) {
                            Integer port = integer(addr.substring(colon + 1));
                            Integer checkPort = integer(option(w, "port", null));
                            if (port != null) {
                                servers.add(new Server(w[1], addr.substring(0, colon), port, checkPort));
                            }
                        }
                    }
                }
                case "default_backend", "use_backend" -> {
                    if (w.length > 1 && defaultBackend == null) {
                        defaultBackend = w[1];
                    }
                }
                case "option" -> {
                    // option httpchk [<method>] <uri> [<version>]
                    if (w.length > 2 && w[1].equals("httpchk")) {
                        checkUri = w.length > 3 && !w[2].startsWith("/") ? w[3] : w[2];
                    }
                }
                case "http-check" -> {
                    String uri = option(w, "uri", null);
                    if (uri != null) {
                        checkUri = uri;
                    }
                }
                case "default-server" -> {
                    inter = option(w, "inter", inter);
                    fall = integer(option(w, "fall", fall == null ? null : fall.toString()));
                    rise = integer(option(w, "rise", rise == null ? null : rise.toString()));
                }
                case "stats" -> {
                    if (w.length > 1 && (w[1].equals("enable") || w[1].equals("uri"))) {
                        stats = true;
                    } else if (w.length > 2 && w[1].equals("auth")) {
                        stats = true;
                        int colon = w[2].indexOf(':');
                        // the user only: the password stays in haproxy.cfg
                        statsUser = colon > 0 ? w[2].substring(0, colon) : w[2];
                    }
                }
                default -> {
                }
            }
        }

        Proxy build() {
            return new Proxy(name, kind, List.copyOf(binds), defaultBackend, List.copyOf(servers), checkUri, inter, fall, rise);
        }
    }

    /** The word after {@code name} on the line, or {@code otherwise}. */
    private static String option(String[] w, String name, String otherwise) {
        for (int i = 1; i < w.length - 1; i++) {
            if (w[i].equals(name)) {
                return w[i + 1];
            }
        }
        return otherwise;
    }

    private static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
