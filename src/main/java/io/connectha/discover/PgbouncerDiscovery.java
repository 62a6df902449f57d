package io.connectha.discover;

import io.connectha.error.ConnectError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PgBouncer's section of the discovered file: the listener, and the databases with their aliases from
 * pgbouncer.ini or, with only an address, from the admin console's {@code SHOW DATABASES}.
 */
final class PgbouncerDiscovery {

    private PgbouncerDiscovery() {
    }

    static Map<String, Object> discover(DiscoveryRequest r, PgbouncerIni ini, HaproxyDiscovery.Facts haproxy, Set<String> memberAddresses,
                                          LiveSources live, String adminPassword, Findings d) {
        if (ini == null && r.pgbouncerAddress() == null) {
            return null;
        }
        String source = ini != null ? "pgbouncer.ini " + r.pgbouncerConfig() : "--pgbouncer";
        Map<String, Object> b = new LinkedHashMap<>();
        String host = null;
        Integer port = null;
        if (r.pgbouncerAddress() != null) {
            HostPort hp = HostPort.parse(r.pgbouncerAddress());
            host = hp.host();
            port = hp.port();
        }
        if (ini != null) {
            if (host == null && ini.listenAddr() != null) {
                String first = ini.listenAddr().split(",")[0].strip();
                host = HostPort.isWildcard(first) ? null : first;
                if (host == null) {
                    d.warnings.add("PgBouncer listens on every address (" + first + "); pgbouncer.host is "
                            + (haproxy.host() != null ? haproxy.host() + ", HAProxy's host" : "127.0.0.1") + ": change it to the address clients use");
                    host = haproxy.host() != null ? haproxy.host() : "127.0.0.1";
                }
            }
            if (port == null) {
                port = ini.listenPort() != null ? ini.listenPort() : 6432;
            }
        }
        b.put("host", host);
        b.put("port", port);
        d.found("pgbouncer.listener", host + ":" + port, r.pgbouncerAddress() != null ? "--pgbouncer" : source);
        List<PgbouncerIni.Database> databases;
        String databasesSource = source;
        if (ini != null) {
            databases = ini.databases();
        } else {
            // only the console knows the databases; it is asked as connect's default admin user, with its secret
            String password = adminPassword;
            databases = List.of();
            if (password == null) {
                d.missing("pgbouncer.databases", "read from pgbouncer.ini (--pgbouncer-config), or from the console as pgbouncer_admin "
                        + "when its password is set; connect's default stands");
            } else {
                try {
                    databases = live.pgbouncerDatabases(host, port, "pgbouncer_admin", password);
                    databasesSource = "PgBouncer console " + host + ":" + port + " (SHOW DATABASES)";
                    b.put("admin_user", "pgbouncer_admin");
                } catch (ConnectError e) {
                    d.missing("pgbouncer.databases", e.getMessage());
                }
            }
        }
        if (ini != null && ini.poolMode() != null) {
            b.put("pool_mode", ini.poolMode());
            d.found("pgbouncer.pool_mode", ini.poolMode(), source);
        }
        if (ini != null) {
            Values.putIf(b, "default_pool_size", ini.defaultPoolSize());
            Values.putIf(b, "max_client_conn", ini.maxClientConn());
        }
        List<Object> dbs = new ArrayList<>();
        String target = null;
        for (PgbouncerIni.Database db : databases) {
            if (db.isAlias()) {
                Map<String, Object> alias = new LinkedHashMap<>();
                alias.put("name", db.name());
                alias.put("dbname", db.dbname());
                dbs.add(alias);
                d.found("pgbouncer.databases." + db.name(), "alias of database " + db.dbname(), databasesSource);
            } else {
                dbs.add(db.name());
                d.found("pgbouncer.databases." + db.name(), db.name(), databasesSource);
            }
            String upstream = db.host() == null ? null : db.host() + ":" + (db.port() == null ? 5432 : db.port());
            if (upstream != null && haproxy.host() != null && upstream.equals(haproxy.host() + ":" + haproxy.writePort())) {
                target = "haproxy";
            } else if (upstream != null && memberAddresses.contains(upstream) && target == null) {
                target = "primary";
            }
        }
        if (!dbs.isEmpty()) {
            b.put("databases", dbs);
        }
        if (ini == null) {
            Values.putIf(b, "target", target);
            return b;
        }
        if (!ini.adminUsers().isEmpty()) {
            b.put("admin_user", ini.adminUsers().get(0));
            d.found("pgbouncer.admin_user", ini.adminUsers().get(0), source);
        }
        if (target != null) {
            b.put("target", target);
            d.found("pgbouncer.target", target, source + " (its databases' host and port)");
        }
        if (ini.authFile() != null && Path.of(ini.authFile()).getParent() != null) {
            b.put("config_dir", Path.of(ini.authFile()).getParent().toString());
        }
        if (ini.unixSocketDir() != null) {
            b.put("unix_socket_dir", ini.unixSocketDir());
        }
        return b;
    }
}
