package io.connectha.discover;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.TlsSpec;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.net.Tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Discovers a running cluster's file from what the operator has: it gathers (files, then live answers),
 * merges what each source says with the source noted, builds the cluster file, and validates it by
 * loading it and by asking the live cluster. It never writes a password; it reads only the two a live
 * read needs when they are set (HAProxy's stats page, PgBouncer's console).
 */
public final class DiscoveryService {

    private final Map<String, String> environment;

    public DiscoveryService(Map<String, String> environment) {
        this.environment = environment;
    }

    public DiscoveryReport discover(DiscoveryRequest r) {
        r.check();
        Findings d = new Findings();
        PatroniYml yml = r.patroniConfig() == null ? null : PatroniYml.read(r.patroniConfig());
        HaproxyCfg cfg = r.haproxyConfig() == null ? null : HaproxyCfg.read(r.haproxyConfig());
        PgbouncerIni ini = r.pgbouncerConfig() == null ? null : PgbouncerIni.read(r.pgbouncerConfig());
        String ymlSource = yml == null ? null : "patroni.yml " + r.patroniConfig();
        if (yml != null && !yml.holdsPasswords().isEmpty()) {
            d.warnings.add(ymlSource + " holds the password of " + String.join(", ", yml.holdsPasswords())
                    + "; discover did not copy it: put each one where the secrets section says");
        }
        Tls restTls = yml == null || !yml.restTls() ? null
                : tls(new TlsSpec(yml.restCaFile(), yml.restCertFile(), yml.restKeyFile()), ymlSource + " ctl", "REST API", d);
        Tls etcdTls = yml == null || !"https".equals(yml.etcdProtocol()) ? null
                : tls(new TlsSpec(yml.etcdCaFile(), yml.etcdCertFile(), yml.etcdKeyFile()), ymlSource + " etcd3", "etcd", d);
        try (LiveSources live = new LiveSources(r.connectTimeout(), r.readTimeout(), restTls, etcdTls)) {
            return discover(r, d, yml, ymlSource, cfg, ini, live);
        }
    }

    /**
     * The TLS material patroni.yml names, for the live reads. Its files may not be on this machine (connect
     * may run elsewhere than Patroni): then the reads go without it and the file keeps the paths as given.
     */
    private static Tls tls(TlsSpec spec, String field, String component, Findings d) {
        if (spec.caFile() == null && spec.certFile() == null) {
            return null;
        }
        try {
            return Tls.load(spec, field);
        } catch (ConnectError e) {
            d.warnings.add("the " + component + "'s TLS files could not be read here, so live reads over https trust only the JVM's CAs: "
                    + e.getMessage());
            return null;
        }
    }

    private DiscoveryReport discover(DiscoveryRequest r, Findings d, PatroniYml yml, String ymlSource, HaproxyCfg cfg,
                                     PgbouncerIni ini, LiveSources live) {
        // Patroni's REST API: the one named, else the member patroni.yml describes
        String restUrl = r.patroniUrl();
        String restSource = restUrl == null ? null : "Patroni " + restUrl;
        if (restUrl == null && yml != null && yml.restAddress() != null) {
            restUrl = (yml.restTls() ? "https://" : "http://") + yml.restAddress();
            restSource = "Patroni " + restUrl + " (from patroni.yml)";
        }
        LiveSources.PatroniAnswer rest = null;
        if (restUrl != null) {
            try {
                rest = live.patroni(restUrl);
            } catch (ConnectError e) {
                d.noAnswer(restSource, e);
            }
        }

        String namespace = normaliseNamespace(r.namespace() != null ? r.namespace() : yml != null && yml.namespace() != null ? yml.namespace() : "/service");
        String scope = r.scope() != null ? r.scope() : yml != null ? yml.scope() : null;
        String scopeSource = r.scope() != null ? "--scope" : ymlSource;
        if (scope == null && rest != null && rest.patroni().path("patroni").hasNonNull("scope")) {
            scope = rest.patroni().path("patroni").path("scope").asText();
            scopeSource = restSource;
        }

        // etcd: the endpoint named, else each host patroni.yml gives until one answers
        List<String> etcdEndpoints = new ArrayList<>();
        if (r.etcdUrl() != null) {
            etcdEndpoints.add(r.etcdUrl());
        } else if (yml != null) {
            yml.etcdHosts().forEach(h -> etcdEndpoints.add(yml.etcdProtocol() + "://" + h));
        }
        LiveSources.EtcdAnswer etcd = null;
        String etcdSource = null;
        for (String endpoint : etcdEndpoints) {
            String source = "etcd " + endpoint + (r.etcdUrl() == null ? " (from patroni.yml)" : "");
            try {
                etcd = live.etcd(endpoint, namespace);
                etcdSource = source;
                break;
            } catch (ConnectError e) {
                d.noAnswer(source, e);
            }
        }
        if (etcd != null) {
            Set<String> scopes = scopesIn(etcd.keys(), namespace);
            if (scope == null) {
                if (scopes.size() == 1) {
                    scope = scopes.iterator().next();
                    scopeSource = etcdSource;
                } else if (scopes.size() > 1) {
                    throw ConnectError.invalidInput("etcd holds " + scopes.size() + " clusters under " + namespace + " ("
                            + String.join(", ", scopes) + "); give --scope NAME");
                }
            } else if (!scopes.isEmpty() && !scopes.contains(scope)) {
                d.warnings.add("etcd has no cluster " + scope + " under " + namespace + " (it has " + String.join(", ", scopes) + ")");
            }
        }
        if (scope != null) {
            d.found("patroni.scope", scope, scopeSource);
            d.found("patroni.namespace", namespace, r.namespace() != null ? "--namespace"
                    : yml != null && yml.namespace() != null ? ymlSource : "default (Patroni's)");
        }

        MemberMerge.Merged merged = MemberMerge.members(rest, restSource, etcd, etcdSource, namespace, scope, yml, ymlSource, d);
        Map<String, DiscoveredMember> members = merged.members();
        String leaderName = merged.leader();
        List<String[]> etcdMembers = MemberMerge.etcdMembers(yml, ymlSource, etcd, etcdSource, d);

        // enough to write a file?
        List<String> lacking = new ArrayList<>();
        if (scope == null) {
            lacking.add("the cluster's scope");
        }
        if (members.values().stream().noneMatch(m -> m.host != null)) {
            lacking.add("its members");
        }
        if (etcdMembers.isEmpty()) {
            lacking.add("etcd's members");
        }
        if (!lacking.isEmpty()) {
            if (!d.unreachable.isEmpty()) {
                throw d.unreachable.get(0);
            }
            throw ConnectError.invalidInput("not enough to write a cluster file: no source gave " + String.join(" or ", lacking)
                    + "; give --patroni-config FILE, --patroni URL or --etcd URL");
        }

        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", clusterName(scope, d));
        file.put("postgresql", postgresql(yml, ymlSource, rest, restSource, ini, members, d));
        List<Object> memberList = new ArrayList<>();
        String dataRoot = dataDirRoot(members);
        for (DiscoveredMember m : members.values()) {
            if (m.host == null) {
                continue;
            }
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", m.name);
            mm.put("host", m.host);
            mm.put("port", m.port);
            if (m.restPort != null) {
                mm.put("patroni_port", m.restPort);
            }
            if (m.restHost != null && !m.restHost.equals(m.host)) {
                d.warnings.add("member " + m.name + " serves its REST API on " + m.restHost + ", not on its PostgreSQL host "
                        + m.host + "; the cluster file has one host per member, so connect asks " + m.host + ":" + m.restPort);
            }
            if (m.dataDir != null && (dataRoot == null || !m.dataDir.equals(dataRoot + "/" + m.name))) {
                mm.put("data_dir", m.dataDir);
            }
            memberList.add(mm);
        }
        if (dataRoot != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> pg = (Map<String, Object>) file.get("postgresql");
            pg.put("data_dir_root", dataRoot);
        }
        List<String> noDataDir = members.values().stream().filter(m -> m.dataDir == null).map(m -> m.name).toList();
        if (!noDataDir.isEmpty()) {
            d.missing("members[].data_dir", "not known for " + String.join(", ", noDataDir) + " (only patroni.yml gives it; "
                    + (dataRoot != null ? "assumed " + dataRoot + "/<name>" : "connect's default") + ")");
        }
        file.put("members", memberList);
        file.put("etcd", etcdSection(yml, ymlSource, etcdMembers, d));
        file.put("patroni", patroniSection(yml, ymlSource, rest, restSource, etcd, etcdSource, namespace, scope, members, r, d));

        Set<String> memberAddresses = new LinkedHashSet<>();
        String leaderAddress = null;
        Set<String> replicaAddresses = new LinkedHashSet<>();
        for (DiscoveredMember m : members.values()) {
            if (m.address() != null) {
                memberAddresses.add(m.address());
                if (m.name.equals(leaderName)) {
                    leaderAddress = m.address();
                } else {
                    replicaAddresses.add(m.address());
                }
            }
        }
        HaproxyDiscovery.Facts haproxy = HaproxyDiscovery.discover(r, cfg, live, memberAddresses, leaderAddress, replicaAddresses,
                secretValue(r, SecretName.haproxy_stats), d);
        if (haproxy.section() != null) {
            file.put("haproxy", haproxy.section());
        } else {
            d.missing("haproxy", "no HAProxy source given (--haproxy-config, --haproxy-socket, --haproxy-stats); connect's defaults stand");
        }
        Map<String, Object> pgbouncer = PgbouncerDiscovery.discover(r, ini, haproxy, memberAddresses, live,
                secretValue(r, SecretName.pgbouncer_admin), d);
        if (pgbouncer != null) {
            file.put("pgbouncer", pgbouncer);
        } else {
            d.missing("pgbouncer", "no PgBouncer source given (--pgbouncer-config, --pgbouncer); connect's defaults stand");
        }
        boolean restAuthNone = "none".equals(((Map<?, ?>) file.get("patroni")).get("rest_api_auth"));
        List<DiscoveryReport.Secret> secrets = secrets(r, file, restAuthNone);
        Map<String, Object> secretSection = new LinkedHashMap<>();
        for (DiscoveryReport.Secret s : secrets) {
            secretSection.put(s.name(), r.secretsDir() == null
                    ? Map.of("env", s.source().substring("env ".length()))
                    : Map.of("file", s.source().substring("file ".length())));
        }
        file.put("secrets", secretSection);

        String content = DiscoveredFile.render(r.namedSources(), file);
        List<DiscoveryReport.Check> checks = LiveValidation.validate(environment, content, members, leaderName, haproxy, pgbouncer, live, d);
        return new DiscoveryReport(null, null, content, List.copyOf(d.found), List.copyOf(d.missing), secrets, checks,
                List.copyOf(d.warnings));
    }



    /**
     * The clusters (scopes) under the request's namespace in etcd, by name, for discovering each one
     * in turn: the first endpoint the request names (or patroni.yml gives) that answers.
     */
    public Scopes scopes(DiscoveryRequest r) {
        r.check();
        if (r.etcdUrl() == null) {
            throw ConnectError.invalidInput("listing the clusters under a namespace needs --etcd URL");
        }
        String namespace = normaliseNamespace(r.namespace() != null ? r.namespace() : "/service");
        try (LiveSources live = new LiveSources(r.connectTimeout(), r.readTimeout(), null, null)) {
            return new Scopes(namespace, List.copyOf(scopesIn(live.etcd(r.etcdUrl(), namespace).keys(), namespace)));
        }
    }

    /** The clusters etcd holds under {@code namespace}, by name. */
    public record Scopes(String namespace, List<String> names) {
    }

    private static Set<String> scopesIn(List<EtcdGateway.KeyValue> keys, String namespace) {
        Set<String> scopes = new java.util.TreeSet<>();
        for (EtcdGateway.KeyValue kv : keys) {
            String underNamespace = kv.key().substring(namespace.length() + 1);
            int slash = underNamespace.indexOf('/');
            if (slash > 0) {
                scopes.add(underNamespace.substring(0, slash));
            }
        }
        return scopes;
    }

    private Map<String, Object> postgresql(PatroniYml yml, String ymlSource, LiveSources.PatroniAnswer rest, String restSource,
                                           PgbouncerIni ini, Map<String, DiscoveredMember> members, Findings d) {
        Map<String, Object> pg = new LinkedHashMap<>();
        Integer version = null;
        if (rest != null && rest.patroni().hasNonNull("server_version")) {
            version = rest.patroni().path("server_version").asInt() / 10000;
            d.found("postgresql.version", version, restSource);
        } else if (yml != null && yml.binDir() != null && yml.binDir().matches(".*/(\\d+)/bin/?")) {
            version = Integer.parseInt(yml.binDir().replaceAll(".*/(\\d+)/bin/?", "$1"));
            d.found("postgresql.version", version, ymlSource + " (bin_dir)");
        }
        if (version != null) {
            pg.put("version", version);
        }
        if (yml != null && yml.binDir() != null) {
            pg.put("bin_dir", yml.binDir());
            d.found("postgresql.bin_dir", yml.binDir(), ymlSource);
        }
        if (ini != null && !ini.databases().isEmpty()) {
            String db = ini.databases().get(0).dbname();
            pg.put("database", db);
            d.found("postgresql.database", db, "pgbouncer.ini (its first database)");
        } else {
            d.missing("postgresql.database", "no source names the application's database; connect's default app stands");
        }
        if (yml != null && yml.superuser() != null) {
            pg.put("superuser", yml.superuser());
            d.found("postgresql.superuser", yml.superuser(), ymlSource);
        } else {
            d.missing("postgresql.superuser", "only patroni.yml names it; connect's default postgres stands");
        }
        if (yml != null && yml.replicationUser() != null) {
            pg.put("replication_user", yml.replicationUser());
            d.found("postgresql.replication_user", yml.replicationUser(), ymlSource);
        }
        if (yml != null) {
            String sockets = yml.parameters().get("unix_socket_directories");
            if (sockets != null && !sockets.isBlank()) {
                String first = sockets.split(",")[0].strip();
                pg.put("unix_socket_dir", first);
                d.found("postgresql.unix_socket_dir", first, ymlSource);
            }
            if (yml.sslmode() != null) {
                pg.put("sslmode", yml.sslmode());
                d.found("postgresql.sslmode", yml.sslmode(), ymlSource + " (postgresql.authentication.superuser)");
            }
            Values.putIf(pg, "ssl_root_cert", yml.sslRootCert());
            Values.putIf(pg, "ssl_cert", yml.sslCert());
            Values.putIf(pg, "ssl_key", yml.sslKey());
        }
        d.missing("postgresql.app_user", "no source names the application's user; the default (the database's name) stands");
        return pg;
    }

    private Map<String, Object> etcdSection(PatroniYml yml, String ymlSource, List<String[]> etcdMembers, Findings d) {
        Map<String, Object> e = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (String[] m : etcdMembers) {
            HostPort hp = HostPort.parse(m[1]);
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", validName(m[0]) ? m[0] : m[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-"));
            mm.put("host", hp == null ? m[1] : hp.host());
            mm.put("client_port", hp == null ? 2379 : hp.port());
            if (m.length > 2 && m[2] != null) {
                mm.put("peer_port", Integer.parseInt(m[2]));
            }
            list.add(mm);
        }
        e.put("members", list);
        if (yml != null && "https".equals(yml.etcdProtocol())) {
            Map<String, Object> tls = new LinkedHashMap<>();
            Values.putIf(tls, "ca_file", yml.etcdCaFile());
            Values.putIf(tls, "cert_file", yml.etcdCertFile());
            Values.putIf(tls, "key_file", yml.etcdKeyFile());
            e.put("tls", tls);
            d.found("etcd.tls", "https" + (yml.etcdCertFile() != null ? " with a client certificate" : ""), ymlSource);
        }
        return e;
    }

    private Map<String, Object> patroniSection(PatroniYml yml, String ymlSource, LiveSources.PatroniAnswer rest, String restSource,
                                               LiveSources.EtcdAnswer etcd, String etcdSource, String namespace, String scope,
                                               Map<String, DiscoveredMember> members, DiscoveryRequest r, Findings d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("scope", scope);
        p.put("namespace", namespace);
        // how Patroni runs: the live /config first, what it bootstrapped with only when nothing live answered
        JsonNode config = rest != null ? rest.config() : null;
        String configSource = restSource + " /config";
        if (config == null && etcd != null) {
            String key = namespace + "/" + scope + "/config";
            config = etcd.keys().stream().filter(kv -> kv.key().equals(key)).findFirst().map(kv -> Values.json(kv.value())).orElse(null);
            configSource = etcdSource + " " + key;
        }
        for (String key : List.of("ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover", "synchronous_mode")) {
            Object value = null;
            String source = null;
            if (config != null && config.has(key) && config.get(key).isValueNode()) {
                JsonNode v = config.get(key);
                value = v.isBoolean() ? (Object) v.asBoolean() : v.canConvertToLong() ? (Object) v.asLong() : v.asText();
                source = configSource;
            } else if (yml != null && yml.dcsTimings().containsKey(key)) {
                value = yml.dcsTimings().get(key);
                source = ymlSource + " bootstrap.dcs (what the cluster started with; not read live)";
            }
            if (value != null) {
                p.put(key, value);
                d.found("patroni." + key, value, source);
            } else {
                d.missing("patroni." + key, "no live /config and no bootstrap.dcs; connect's default stands");
            }
        }
        for (String key : List.of("use_pg_rewind", "use_slots")) {
            JsonNode v = config == null ? null : config.path("postgresql").get(key);
            if (v != null && v.isBoolean()) {
                p.put(key, v.asBoolean());
                d.found("patroni." + key, v.asBoolean(), configSource);
            } else if (yml != null && yml.dcsTimings().get(key) instanceof Boolean b) {
                p.put(key, b);
                d.found("patroni." + key, b, ymlSource + " bootstrap.dcs");
            }
        }
        if (r.patroniConfig() != null) {
            Path dir = r.patroniConfig().toAbsolutePath().normalize().getParent();
            if (dir != null) {
                p.put("config_dir", dir.toString());
                d.found("patroni.config_dir", dir, "where --patroni-config is");
            }
        }
        if (yml != null) {
            if (yml.restUser() != null) {
                p.put("rest_user", yml.restUser());
                p.put("rest_api_auth", "basic");
                d.found("patroni.rest_api_auth", "basic, user " + yml.restUser(), ymlSource + " restapi.authentication");
            } else {
                p.put("rest_api_auth", "none");
                d.found("patroni.rest_api_auth", "none (no restapi.authentication)", ymlSource);
            }
        } else {
            d.missing("patroni.rest_api_auth", "only patroni.yml says whether the REST API asks for a password; connect's default basic stands");
        }
        boolean https = yml != null ? yml.restTls() : members.values().stream().anyMatch(m -> "https".equals(m.restScheme));
        if (https) {
            Map<String, Object> tls = new LinkedHashMap<>();
            if (yml != null) {
                Values.putIf(tls, "ca_file", yml.restCaFile());
                Values.putIf(tls, "cert_file", yml.restCertFile());
                Values.putIf(tls, "key_file", yml.restKeyFile());
            }
            p.put("rest_api_tls", tls);
            d.found("patroni.rest_api_tls", "https" + (tls.containsKey("ca_file") ? " with CA " + tls.get("ca_file") : ""),
                    yml != null ? ymlSource : "the members' api_url");
        }
        return p;
    }




    /** The secrets the file expects: every one but rest_api when the REST API asks for none. */
    private static List<DiscoveryReport.Secret> secrets(DiscoveryRequest r, Map<String, Object> file, boolean restAuthNone) {
        Map<?, ?> pg = (Map<?, ?>) file.get("postgresql");
        Map<?, ?> patroni = (Map<?, ?>) file.get("patroni");
        Map<?, ?> haproxy = (Map<?, ?>) file.get("haproxy");
        Map<?, ?> pgbouncer = (Map<?, ?>) file.get("pgbouncer");
        Map<SecretName, String> users = new LinkedHashMap<>();
        users.put(SecretName.superuser, Values.str(pg.get("superuser"), "postgres"));
        users.put(SecretName.replication, Values.str(pg.get("replication_user"), "replicator"));
        users.put(SecretName.app, Values.str(pg.get("database"), "app"));
        if (!restAuthNone) {
            users.put(SecretName.rest_api, Values.str(patroni.get("rest_user"), "patroni"));
        }
        users.put(SecretName.pgbouncer_admin, pgbouncer == null ? "pgbouncer_admin" : Values.str(pgbouncer.get("admin_user"), "pgbouncer_admin"));
        users.put(SecretName.haproxy_stats, haproxy == null ? "stats" : Values.str(haproxy.get("stats_user"), "stats"));
        List<DiscoveryReport.Secret> list = new ArrayList<>();
        users.forEach((name, user) -> list.add(new DiscoveryReport.Secret(name.name(), user, r.secretsDir() == null
                ? "env CONNECT_" + name.name().toUpperCase(Locale.ROOT) + "_PASSWORD"
                : "file " + r.secretsDir().toAbsolutePath().normalize().resolve(name.name() + ".password"))));
        return list;
    }

    /** A secret's value for a live read only (the stats page); never written. */
    private String secretValue(DiscoveryRequest r, SecretName name) {
        if (r.secretsDir() != null) {
            try {
                return Files.readAllLines(r.secretsDir().resolve(name.name() + ".password")).stream().findFirst().map(String::strip).orElse(null);
            } catch (IOException e) {
                return null;
            }
        }
        return environment.get("CONNECT_" + name.name().toUpperCase(Locale.ROOT) + "_PASSWORD");
    }











    private static String dataDirRoot(Map<String, DiscoveredMember> members) {
        for (DiscoveredMember m : members.values()) {
            if (m.dataDir != null && m.dataDir.endsWith("/" + m.name)) {
                return m.dataDir.substring(0, m.dataDir.length() - m.name.length() - 1);
            }
        }
        return null;
    }

    static String normaliseNamespace(String ns) {
        String n = ns.startsWith("/") ? ns : "/" + ns;
        while (n.length() > 1 && n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    private static boolean validName(String name) {
        return name.matches("[a-z0-9][a-z0-9_-]{0,62}");
    }

    private static String clusterName(String scope, Findings d) {
        if (validName(scope)) {
            return scope;
        }
        String name = scope.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceFirst("^[-_]+", "");
        d.warnings.add("the scope " + scope + " is no cluster-file name; the cluster is named " + name);
        return name.isEmpty() ? "cluster" : name;
    }




}
