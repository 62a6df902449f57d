package io.connectha.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterFileProblem;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.SecretName;
import io.connectha.error.ConnectError;
import io.connectha.etcd.EtcdGateway;
import io.connectha.patroni.PatroniMember;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Discovers a running cluster's file from what the operator has: it gathers (files, then live answers),
 * merges what each source says with the source noted, builds the cluster file, and validates it by
 * loading it and by asking the live cluster. It never reads or writes a password.
 */
public final class DiscoveryService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> environment;

    public DiscoveryService(Map<String, String> environment) {
        this.environment = environment;
    }

    /** A member as the sources describe it; any field may be unknown. */
    private static final class Member {
        final String name;
        String host;
        Integer port;
        String restHost;
        Integer restPort;
        String restScheme;
        String dataDir;
        String role;
        final Set<String> sources = new LinkedHashSet<>();

        Member(String name) {
            this.name = name;
        }

        String address() {
            return host == null || port == null ? null : host + ":" + port;
        }

        boolean isLeader() {
            return role != null && (role.equals("leader") || role.equals("master") || role.equals("primary") || role.equals("standby_leader"));
        }
    }

    /** What has been learnt so far, and from where. */
    private static final class Draft {
        final List<DiscoveryReport.Found> found = new ArrayList<>();
        final List<DiscoveryReport.Missing> missing = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        /** Live sources that did not answer: their errors, first first. */
        final List<ConnectError> unreachable = new ArrayList<>();

        void found(String item, Object value, String source) {
            found.add(new DiscoveryReport.Found(item, String.valueOf(value), source));
        }

        void missing(String item, String reason) {
            missing.add(new DiscoveryReport.Missing(item, reason));
        }
    }

    public DiscoveryReport discover(DiscoveryRequest r) {
        checkInput(r);
        Draft d = new Draft();
        PatroniYml yml = r.patroniConfig() == null ? null : PatroniYml.read(r.patroniConfig());
        HaproxyCfg cfg = r.haproxyConfig() == null ? null : HaproxyCfg.read(r.haproxyConfig());
        PgbouncerIni ini = r.pgbouncerConfig() == null ? null : PgbouncerIni.read(r.pgbouncerConfig());
        String ymlSource = yml == null ? null : "patroni.yml " + r.patroniConfig();
        if (yml != null && !yml.holdsPasswords().isEmpty()) {
            d.warnings.add(ymlSource + " holds the password of " + String.join(", ", yml.holdsPasswords())
                    + "; discover did not copy it: put each one where the secrets section says");
        }
        try (LiveSources live = new LiveSources(r.connectTimeout(), r.readTimeout())) {
            return discover(r, d, yml, ymlSource, cfg, ini, live);
        }
    }

    private DiscoveryReport discover(DiscoveryRequest r, Draft d, PatroniYml yml, String ymlSource, HaproxyCfg cfg,
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
                noAnswer(d, restSource, e);
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
                noAnswer(d, source, e);
            }
        }
        if (etcd != null) {
            Set<String> scopes = new java.util.TreeSet<>();
            for (EtcdGateway.KeyValue kv : etcd.keys()) {
                String rest2 = kv.key().substring(namespace.length() + 1);
                int slash = rest2.indexOf('/');
                if (slash > 0) {
                    scopes.add(rest2.substring(0, slash));
                }
            }
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

        // members, by name, from every source that lists them
        Map<String, Member> members = new TreeMap<>();
        if (rest != null) {
            for (PatroniMember m : rest.cluster().members()) {
                Member mm = members.computeIfAbsent(m.name(), Member::new);
                mm.host = m.host();
                mm.port = m.port();
                mm.role = m.role() == null ? null : m.role().name();
                apiUrl(mm, m.apiUrl());
                mm.sources.add(restSource);
            }
        }
        String leaderName = null;
        if (etcd != null && scope != null) {
            String prefix = namespace + "/" + scope + "/";
            for (EtcdGateway.KeyValue kv : etcd.keys()) {
                if (kv.key().startsWith(prefix + "members/")) {
                    String name = kv.key().substring((prefix + "members/").length());
                    Member mm = members.computeIfAbsent(name, Member::new);
                    JsonNode v = json(kv.value());
                    if (v != null) {
                        URI conn = uri(v.path("conn_url").asText(null));
                        if (conn != null && mm.host == null) {
                            mm.host = conn.getHost();
                            mm.port = conn.getPort() > 0 ? conn.getPort() : 5432;
                        }
                        if (mm.restHost == null) {
                            apiUrl(mm, v.path("api_url").asText(null));
                        }
                        if (mm.role == null && v.hasNonNull("role")) {
                            mm.role = v.path("role").asText();
                        }
                    }
                    mm.sources.add(etcdSource);
                } else if (kv.key().equals(prefix + "leader")) {
                    leaderName = kv.value().strip();
                }
            }
        }
        if (yml != null && yml.name() != null) {
            Member mm = members.computeIfAbsent(yml.name(), Member::new);
            HostPort pg = HostPort.parse(yml.pgAddress());
            if (mm.host == null && pg != null) {
                mm.host = pg.host();
                mm.port = pg.port();
            }
            HostPort restHp = HostPort.parse(yml.restAddress());
            if (mm.restHost == null && restHp != null) {
                mm.restHost = restHp.host();
                mm.restPort = restHp.port();
                mm.restScheme = yml.restTls() ? "https" : "http";
            }
            mm.dataDir = yml.dataDir();
            mm.sources.add(ymlSource);
        }
        if (leaderName == null) {
            leaderName = members.values().stream().filter(Member::isLeader).map(m -> m.name).findFirst().orElse(null);
        }
        for (Member m : members.values()) {
            if (leaderName != null) {
                m.role = m.name.equals(leaderName) ? "leader" : m.role == null || m.isLeader() ? "replica" : m.role;
            }
            String restText = m.restHost == null ? "" : " REST " + (m.restScheme == null ? "http" : m.restScheme) + "://" + m.restHost + ":" + m.restPort;
            d.found("members." + m.name, (m.address() == null ? "?" : m.address()) + restText + (m.role == null ? "" : " (" + m.role + ")"),
                    String.join(", ", m.sources));
            if (m.host == null || m.restHost == null) {
                d.missing("members." + m.name, "its " + (m.host == null ? "PostgreSQL" : "REST API") + " address: no source gave it");
            }
        }

        // etcd's members: the hosts Patroni uses, named as etcd names them
        List<String[]> etcdMembers = new ArrayList<>();
        String etcdMembersSource;
        if (yml != null && !yml.etcdHosts().isEmpty()) {
            etcdMembersSource = ymlSource;
            int i = 1;
            for (String h : yml.etcdHosts()) {
                String name = etcdName(etcd, h);
                etcdMembers.add(new String[]{name != null ? name : "etcd" + i, h});
                i++;
            }
        } else if (etcd != null) {
            etcdMembersSource = etcdSource;
            for (EtcdGateway.Member m : etcd.members()) {
                URI u = m.clientUrls().isEmpty() ? null : uri(m.clientUrls().get(0));
                if (u != null) {
                    etcdMembers.add(new String[]{m.name(), u.getHost() + ":" + (u.getPort() > 0 ? u.getPort() : 2379)});
                }
            }
        } else {
            etcdMembersSource = null;
        }
        etcdMembers.sort(java.util.Comparator.comparing(a -> a[0]));
        for (String[] e : etcdMembers) {
            d.found("etcd.members." + e[0], e[1], etcdMembersSource);
        }

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
        for (Member m : members.values()) {
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
        for (Member m : members.values()) {
            if (m.address() != null) {
                memberAddresses.add(m.address());
                if (m.name.equals(leaderName)) {
                    leaderAddress = m.address();
                } else {
                    replicaAddresses.add(m.address());
                }
            }
        }
        HaproxyFacts haproxy = haproxy(r, cfg, live, memberAddresses, leaderAddress, replicaAddresses, d);
        if (haproxy.section() != null) {
            file.put("haproxy", haproxy.section());
        } else {
            d.missing("haproxy", "no HAProxy source given (--haproxy-config, --haproxy-socket, --haproxy-stats); connect's defaults stand");
        }
        Map<String, Object> pgbouncer = pgbouncer(r, ini, haproxy, memberAddresses, live, d);
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
        List<DiscoveryReport.Check> checks = validate(content, members, leaderName, haproxy, pgbouncer, live, d);
        return new DiscoveryReport(null, null, content, List.copyOf(d.found), List.copyOf(d.missing), secrets, checks,
                List.copyOf(d.warnings));
    }

    private static void noAnswer(Draft d, String source, ConnectError e) {
        if (e.kind() == ConnectError.Kind.UNREACHABLE) {
            d.unreachable.add(e);
        }
        d.missing(source, e.getMessage());
    }

    // ---- sections ----

    private Map<String, Object> postgresql(PatroniYml yml, String ymlSource, LiveSources.PatroniAnswer rest, String restSource,
                                           PgbouncerIni ini, Map<String, Member> members, Draft d) {
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
            putIf(pg, "ssl_root_cert", yml.sslRootCert());
            putIf(pg, "ssl_cert", yml.sslCert());
            putIf(pg, "ssl_key", yml.sslKey());
        }
        d.missing("postgresql.app_user", "no source names the application's user; the default (the database's name) stands");
        return pg;
    }

    private Map<String, Object> etcdSection(PatroniYml yml, String ymlSource, List<String[]> etcdMembers, Draft d) {
        Map<String, Object> e = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (String[] m : etcdMembers) {
            HostPort hp = HostPort.parse(m[1]);
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", validName(m[0]) ? m[0] : m[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-"));
            mm.put("host", hp == null ? m[1] : hp.host());
            mm.put("client_port", hp == null ? 2379 : hp.port());
            list.add(mm);
        }
        e.put("members", list);
        if (yml != null && "https".equals(yml.etcdProtocol())) {
            Map<String, Object> tls = new LinkedHashMap<>();
            putIf(tls, "ca_file", yml.etcdCaFile());
            putIf(tls, "cert_file", yml.etcdCertFile());
            putIf(tls, "key_file", yml.etcdKeyFile());
            e.put("tls", tls);
            d.found("etcd.tls", "https" + (yml.etcdCertFile() != null ? " with a client certificate" : ""), ymlSource);
        }
        return e;
    }

    private Map<String, Object> patroniSection(PatroniYml yml, String ymlSource, LiveSources.PatroniAnswer rest, String restSource,
                                               LiveSources.EtcdAnswer etcd, String etcdSource, String namespace, String scope,
                                               Map<String, Member> members, DiscoveryRequest r, Draft d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("scope", scope);
        p.put("namespace", namespace);
        // how Patroni runs: the live /config first, what it bootstrapped with only when nothing live answered
        JsonNode config = rest != null ? rest.config() : null;
        String configSource = restSource + " /config";
        if (config == null && etcd != null) {
            String key = namespace + "/" + scope + "/config";
            config = etcd.keys().stream().filter(kv -> kv.key().equals(key)).findFirst().map(kv -> json(kv.value())).orElse(null);
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
                putIf(tls, "ca_file", yml.restCaFile());
                putIf(tls, "cert_file", yml.restCertFile());
                putIf(tls, "key_file", yml.restKeyFile());
            }
            p.put("rest_api_tls", tls);
            d.found("patroni.rest_api_tls", "https" + (tls.containsKey("ca_file") ? " with CA " + tls.get("ca_file") : ""),
                    yml != null ? ymlSource : "the members' api_url");
        }
        return p;
    }

    /** HAProxy's section, and what validation needs to know of it. */
    private record HaproxyFacts(Map<String, Object> section, Set<String> liveBackends, String host, Integer writePort) {
    }

    private HaproxyFacts haproxy(DiscoveryRequest r, HaproxyCfg cfg, LiveSources live, Set<String> memberAddresses,
                                 String leaderAddress, Set<String> replicaAddresses, Draft d) {
        if (cfg == null && r.haproxySocket() == null && r.haproxyStatsUrl() == null) {
            return new HaproxyFacts(null, null, null, null);
        }
        String cfgSource = cfg == null ? null : "haproxy.cfg " + r.haproxyConfig();
        Path socket = r.haproxySocket();
        boolean socketFromCfg = false;
        if (socket == null && cfg != null && cfg.statsSocket() != null && Files.isWritable(Path.of(cfg.statsSocket()))) {
            socket = Path.of(cfg.statsSocket());
            socketFromCfg = true;
        }
        List<LiveSources.ServerLine> lines = null;
        String liveSource = null;
        if (socket != null) {
            liveSource = "HAProxy socket " + socket + (socketFromCfg ? " (from haproxy.cfg)" : "");
            try {
                lines = live.haproxySocket(socket);
            } catch (ConnectError e) {
                noAnswer(d, liveSource, e);
            }
        }
        if (lines == null && r.haproxyStatsUrl() != null) {
            liveSource = "HAProxy stats " + r.haproxyStatsUrl();
            try {
                String user = cfg != null && cfg.statsUser() != null ? cfg.statsUser() : "stats";
                lines = live.haproxyStatsPage(r.haproxyStatsUrl(), user, secretValue(r, SecretName.haproxy_stats));
            } catch (ConnectError e) {
                noAnswer(d, liveSource, e);
            }
        }
        Map<String, BackendChoice.Backend> backends = new TreeMap<>();
        Map<String, HaproxyCfg.Proxy> cfgBackends = cfg == null ? Map.of() : cfg.backends();
        for (HaproxyCfg.Proxy p : cfgBackends.values()) {
            backends.put(p.name(), new BackendChoice.Backend(p.name(), p.servers().stream().map(HaproxyCfg.Server::address).toList(),
                    null, p.checkUri()));
        }
        Set<String> liveBackends = null;
        if (lines != null) {
            liveBackends = new java.util.TreeSet<>();
            Map<String, List<LiveSources.ServerLine>> byBackend = new TreeMap<>();
            for (LiveSources.ServerLine l : lines) {
                byBackend.computeIfAbsent(l.backend(), k -> new ArrayList<>()).add(l);
                liveBackends.add(l.backend());
            }
            for (var e : byBackend.entrySet()) {
                List<String> addresses = e.getValue().stream().map(LiveSources.ServerLine::address).toList();
                List<String> up = e.getValue().stream().filter(LiveSources.ServerLine::up).map(LiveSources.ServerLine::address).sorted().toList();
                HaproxyCfg.Proxy p = cfgBackends.get(e.getKey());
                backends.put(e.getKey(), new BackendChoice.Backend(e.getKey(), addresses, up, p == null ? null : p.checkUri()));
            }
        }
        BackendChoice.Choice choice = BackendChoice.decide(List.copyOf(backends.values()), memberAddresses, leaderAddress, replicaAddresses);
        d.warnings.addAll(choice.warnings());
        String decidedBy = lines != null ? liveSource : cfgSource;
        Map<String, Object> h = new LinkedHashMap<>();
        String host = null;
        Integer writePort = null;
        if (choice.write().backend() != null) {
            d.found("haproxy.write_backend", choice.write().backend(), decidedBy + ": " + choice.write().rule());
            HostPort bind = firstBind(cfgBackends.get(choice.write().backend()));
            if (bind != null) {
                host = bind.host();
                writePort = bind.port();
            }
        } else {
            d.missing("haproxy.write_backend", "no backend sends only to the leader, checks /primary or is named for writes; default write stands");
        }
        Integer readPort = null;
        if (choice.read().backend() != null) {
            d.found("haproxy.read_backend", choice.read().backend(), decidedBy + ": " + choice.read().rule());
            HostPort bind = firstBind(cfgBackends.get(choice.read().backend()));
            if (bind != null) {
                readPort = bind.port();
                if (host == null) {
                    host = bind.host();
                } else if (!host.equals(bind.host()) && !isWildcard(bind.host())) {
                    d.warnings.add("HAProxy's read port binds " + bind.host() + ", its write port " + host
                            + "; the cluster file has one haproxy.host, " + host);
                }
            }
        } else {
            d.missing("haproxy.read_backend", "no backend balances over the replicas, checks /replica or is named for reads; default read stands");
        }
        if (host != null && isWildcard(host)) {
            d.warnings.add("HAProxy binds every address (" + host + "); haproxy.host is 127.0.0.1: change it to the address clients use");
            host = "127.0.0.1";
        }
        if (host != null) {
            h.put("host", host);
            d.found("haproxy.host", host, cfgSource);
        }
        if (writePort != null) {
            h.put("write_port", writePort);
            d.found("haproxy.write_port", writePort, cfgSource);
        } else if (choice.write().backend() != null) {
            d.missing("haproxy.write_port", "HAProxy's live servers do not say its ports; give --haproxy-config");
        }
        if (readPort != null) {
            h.put("read_port", readPort);
            d.found("haproxy.read_port", readPort, cfgSource);
        }
        String statsBind = cfg == null ? null : cfg.statsBind();
        HostPort stats = HostPort.parse(statsBind);
        String statsSource = cfgSource;
        if (r.haproxyStatsUrl() != null) {
            URI u = uri(r.haproxyStatsUrl());
            stats = u == null ? stats : new HostPort(u.getHost(), u.getPort() > 0 ? u.getPort() : 80);
            statsSource = "--haproxy-stats";
        }
        if (stats != null) {
            String statsHost = isWildcard(stats.host()) ? "127.0.0.1" : stats.host();
            h.put("stats_host", statsHost);
            h.put("stats_port", stats.port());
            d.found("haproxy.stats", statsHost + ":" + stats.port(), statsSource);
        }
        Path statsSocket = r.haproxySocket() != null ? r.haproxySocket() : cfg != null && cfg.statsSocket() != null ? Path.of(cfg.statsSocket()) : null;
        if (statsSocket != null) {
            h.put("stats_socket", statsSocket.toAbsolutePath().normalize().toString());
            d.found("haproxy.stats_socket", statsSocket, r.haproxySocket() != null ? "--haproxy-socket" : cfgSource);
        }
        if (cfg != null && cfg.statsUser() != null) {
            h.put("stats_user", cfg.statsUser());
        }
        HaproxyCfg.Proxy w = choice.write().backend() == null ? null : cfgBackends.get(choice.write().backend());
        if (w != null) {
            if (w.inter() != null) {
                // HAProxy reads a bare number as milliseconds; the cluster file as seconds
                h.put("check_interval", w.inter().matches("\\d+") ? w.inter() + "ms" : w.inter());
            }
            putIf(h, "fall", w.fall());
            putIf(h, "rise", w.rise());
        }
        if (cfg != null && cfg.maxconn() != null) {
            h.put("maxconn", cfg.maxconn());
        }
        h.put("write_backend", choice.write().backend() != null ? choice.write().backend() : "write");
        h.put("read_backend", choice.read().backend() != null ? choice.read().backend() : "read");
        return new HaproxyFacts(h, liveBackends == null ? Set.copyOf(cfgBackends.keySet()) : liveBackends, host, writePort);
    }

    private Map<String, Object> pgbouncer(DiscoveryRequest r, PgbouncerIni ini, HaproxyFacts haproxy, Set<String> memberAddresses,
                                          LiveSources live, Draft d) {
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
                host = isWildcard(first) ? null : first;
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
            String password = secretValue(r, SecretName.pgbouncer_admin);
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
            putIf(b, "default_pool_size", ini.defaultPoolSize());
            putIf(b, "max_client_conn", ini.maxClientConn());
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
            putIf(b, "target", target);
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

    /** The secrets the file expects: every one but rest_api when the REST API asks for none. */
    private static List<DiscoveryReport.Secret> secrets(DiscoveryRequest r, Map<String, Object> file, boolean restAuthNone) {
        Map<?, ?> pg = (Map<?, ?>) file.get("postgresql");
        Map<?, ?> patroni = (Map<?, ?>) file.get("patroni");
        Map<?, ?> haproxy = (Map<?, ?>) file.get("haproxy");
        Map<?, ?> pgbouncer = (Map<?, ?>) file.get("pgbouncer");
        Map<SecretName, String> users = new LinkedHashMap<>();
        users.put(SecretName.superuser, str(pg.get("superuser"), "postgres"));
        users.put(SecretName.replication, str(pg.get("replication_user"), "replicator"));
        users.put(SecretName.app, str(pg.get("database"), "app"));
        if (!restAuthNone) {
            users.put(SecretName.rest_api, str(patroni.get("rest_user"), "patroni"));
        }
        users.put(SecretName.pgbouncer_admin, pgbouncer == null ? "pgbouncer_admin" : str(pgbouncer.get("admin_user"), "pgbouncer_admin"));
        users.put(SecretName.haproxy_stats, haproxy == null ? "stats" : str(haproxy.get("stats_user"), "stats"));
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

    // ---- validation ----

    private List<DiscoveryReport.Check> validate(String content, Map<String, Member> members, String leaderName, HaproxyFacts haproxy,
                                                 Map<String, Object> pgbouncer, LiveSources live, Draft d) {
        List<DiscoveryReport.Check> checks = new ArrayList<>();
        LoadedCluster loaded;
        Path tmp = null;
        try {
            tmp = Files.createTempFile("connect-discover-", ".yaml");
            Files.writeString(tmp, content);
            loaded = new ClusterFileLoader(environment).load(tmp);
        } catch (io.connectha.cluster.ClusterFileException e) {
            String problem = e.problems().get(0).path() + ": " + e.problems().get(0).message();
            throw new ConnectError(ConnectError.Kind.FAILURE, "the discovered cluster file does not load (" + problem + "); nothing written");
        } catch (IOException e) {
            throw ConnectError.io("write a temporary file for", Path.of(System.getProperty("java.io.tmpdir")), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file left behind harms nothing
                }
            }
        }
        checks.add(new DiscoveryReport.Check("the file loads", true, loaded.spec().members().size() + " members"));
        for (ClusterFileProblem w : loaded.warnings()) {
            d.warnings.add(w.path() + ": " + w.message());
        }
        int answering = 0;
        for (Member m : members.values()) {
            if (m.host == null) {
                continue;
            }
            boolean pg = live.answers(m.host, m.port);
            checks.add(new DiscoveryReport.Check("member " + m.name + " PostgreSQL at " + m.address(), pg, pg ? "answers" : "no answer"));
            if (m.restPort != null) {
                boolean rest = live.answers(m.host, m.restPort);
                checks.add(new DiscoveryReport.Check("member " + m.name + " REST API at " + m.host + ":" + m.restPort, rest,
                        rest ? "answers" : "no answer"));
            }
            answering += pg ? 1 : 0;
        }
        checks.add(new DiscoveryReport.Check("the leader", leaderName != null, leaderName != null ? leaderName : "no source names a leader"));
        if (haproxy.section() != null && haproxy.liveBackends() != null) {
            for (String key : List.of("write_backend", "read_backend")) {
                String name = (String) haproxy.section().get(key);
                boolean ok = haproxy.liveBackends().contains(name);
                checks.add(new DiscoveryReport.Check("HAProxy backend " + name + " (" + key + ")", ok, ok ? "exists" : "HAProxy has no such backend"));
            }
        }
        if (pgbouncer != null && pgbouncer.get("host") != null) {
            boolean ok = live.answers((String) pgbouncer.get("host"), (Integer) pgbouncer.get("port"));
            checks.add(new DiscoveryReport.Check("PgBouncer at " + pgbouncer.get("host") + ":" + pgbouncer.get("port"), ok, ok ? "answers" : "no answer"));
        }
        if (answering == 0) {
            throw new ConnectError(ConnectError.Kind.UNREACHABLE, "no member answers on its PostgreSQL address ("
                    + String.join(", ", members.values().stream().map(Member::address).filter(java.util.Objects::nonNull).toList())
                    + "); the discovered file was not written");
        }
        return checks;
    }

    // ---- small helpers ----

    /** {@code host:port}; null for text that is not one. */
    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            if (text == null) {
                return null;
            }
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                return null;
            }
            try {
                String host = text.substring(0, colon);
                return new HostPort(host.isEmpty() ? "*" : host, Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private static HostPort firstBind(HaproxyCfg.Proxy p) {
        return p == null || p.binds().isEmpty() ? null : HostPort.parse(p.binds().get(0));
    }

    private static boolean isWildcard(String host) {
        return host.equals("*") || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
    }

    private static void apiUrl(Member m, String apiUrl) {
        URI u = uri(apiUrl);
        if (u != null && u.getHost() != null) {
            m.restHost = u.getHost();
            m.restPort = u.getPort() > 0 ? u.getPort() : 8008;
            m.restScheme = u.getScheme();
        }
    }

    private static URI uri(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new URI(text);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String etcdName(LiveSources.EtcdAnswer etcd, String hostPort) {
        if (etcd == null) {
            return null;
        }
        for (EtcdGateway.Member m : etcd.members()) {
            for (String url : m.clientUrls()) {
                if (url.replaceFirst("^https?://", "").replaceFirst("/$", "").equals(hostPort)) {
                    return m.name();
                }
            }
        }
        return null;
    }

    private static String dataDirRoot(Map<String, Member> members) {
        for (Member m : members.values()) {
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

    private static String clusterName(String scope, Draft d) {
        if (validName(scope)) {
            return scope;
        }
        String name = scope.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-").replaceFirst("^[-_]+", "");
        d.warnings.add("the scope " + scope + " is no cluster-file name; the cluster is named " + name);
        return name.isEmpty() ? "cluster" : name;
    }

    private static void putIf(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String str(Object value, String otherwise) {
        return value == null ? otherwise : value.toString();
    }

    /** Bad input, refused before anything is asked: a URL that is not one, a socket that is not there. */
    private static void checkInput(DiscoveryRequest r) {
        url("--patroni", r.patroniUrl());
        url("--etcd", r.etcdUrl());
        url("--haproxy-stats", r.haproxyStatsUrl());
        if (r.pgbouncerAddress() != null) {
            HostPort hp = HostPort.parse(r.pgbouncerAddress());
            if (hp == null || hp.host().equals("*") || hp.port() < 1 || hp.port() > 65535) {
                throw ConnectError.invalidInput("--pgbouncer " + r.pgbouncerAddress() + ": give HOST:PORT, such as 10.0.1.10:6432");
            }
        }
        if (r.haproxySocket() != null && !Files.exists(r.haproxySocket())) {
            throw ConnectError.invalidInput("--haproxy-socket " + r.haproxySocket() + ": no such socket");
        }
        if (r.secretsDir() != null && Files.exists(r.secretsDir()) && !Files.isDirectory(r.secretsDir())) {
            throw ConnectError.invalidInput("--secrets-dir " + r.secretsDir() + ": not a directory");
        }
        if (r.patroniConfig() == null && r.patroniUrl() == null && r.etcdUrl() == null) {
            throw ConnectError.invalidInput("nothing to discover the members from: give --patroni-config FILE, --patroni URL or --etcd URL");
        }
    }

    private static void url(String option, String text) {
        if (text == null) {
            return;
        }
        URI u = uri(text);
        if (u == null || u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw ConnectError.invalidInput(option + " " + text + ": not an http(s) URL; give one such as http://10.0.1.11:8008");
        }
    }
}
