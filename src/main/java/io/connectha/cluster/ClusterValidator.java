package io.connectha.cluster;

import com.fasterxml.jackson.core.JsonLocation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules a cluster file must meet beyond its types. Each problem points at the field it concerns. */
public final class ClusterValidator {

    private static final Pattern NAME = FieldValues.NAME;
    private static final Set<String> MANAGED_PARAMETERS = Set.of("listen_addresses", "port", "unix_socket_directories",
            "cluster_name", "primary_conninfo", "primary_slot_name", "hba_file", "data_directory", "config_file",
            "password_encryption", "wal_level", "max_connections", "max_wal_senders", "max_replication_slots", "wal_keep_size",
            "shared_buffers", "effective_cache_size", "work_mem", "maintenance_work_mem", "recovery_target_timeline",
            "synchronous_standby_names", "ident_file", "hot_standby");

    private final Path file;
    private final java.util.function.Supplier<Map<String, JsonLocation>> locations;
    private final Map<String, String> environment;
    private final List<ClusterFileProblem> problems = new ArrayList<>();
    /** What a running cluster may well have but connect would not generate: said, never refused. */
    private final List<ClusterFileProblem> warnings = new ArrayList<>();
    private final Map<String, String> listeners = new HashMap<>();

    /** For a lower layer's rule that callers above need too; see {@link #timingRule}. */
    ClusterValidator(Path file, java.util.function.Supplier<Map<String, JsonLocation>> locations, Map<String, String> environment) {
        this.file = file;
        this.locations = locations;
        this.environment = environment;
    }

    List<ClusterFileProblem> validate(ClusterSpec spec) {
        if (spec.name() == null) {
            problem("/name", "the cluster needs a name");
        } else {
            FieldValues.name(spec.name(), "cluster name").ifPresent(why -> problem("/name", why));
        }
        validatePostgres(spec.postgresql());
        validateMembers(spec.members());
        validateEtcd(spec.etcd());
        validatePatroni(spec.patroni());
        validateHaproxy(spec.haproxy());
        validatePgbouncer(spec.pgbouncer());
        validateRoles(spec);
        validateChecks(spec.checks());
        validateSecrets(spec.secrets());
        validateRtoTarget(spec.rtoTarget());
        if (spec.drillFaultCommand() != null && !spec.drillFaultCommand().startsWith("/")) {
            problem("/drill_fault_command", "'" + spec.drillFaultCommand() + "' is not an absolute path: a drill runs this command "
                    + "to kill processes, so it must not depend on PATH");
        }
        problems.sort(ClusterFileProblem.BY_POSITION);
        if (problems.isEmpty()) {
            collectWarnings(spec);
        }
        return problems;
    }

    /**
     * What a running cluster may well have but connect would not generate: told on stderr, never refused.
     * Only from the model, and cheap: run on every load, the kept model's too.
     */
    private void collectWarnings(ClusterSpec spec) {
        timingRule(spec.patroni()).ifPresent(why -> warning("/patroni/ttl", why));
        for (int i = 0; i < spec.members().size(); i++) {
            ephemeral("/members/" + i + "/port", spec.members().get(i).port());
            ephemeral("/members/" + i + "/patroni_port", spec.members().get(i).patroniPort());
        }
        for (int i = 0; i < spec.etcd().members().size(); i++) {
            ephemeral("/etcd/members/" + i + "/client_port", spec.etcd().members().get(i).clientPort());
            ephemeral("/etcd/members/" + i + "/peer_port", spec.etcd().members().get(i).peerPort());
        }
        ephemeral("/haproxy/write_port", spec.haproxy().writePort());
        ephemeral("/haproxy/read_port", spec.haproxy().readPort());
        ephemeral("/haproxy/stats_port", spec.haproxy().statsPort());
        ephemeral("/pgbouncer/port", spec.pgbouncer().port());
    }

    private void ephemeral(String at, int port) {
        if (isEphemeral(port)) {
            warning(at, "port " + port + " is in Linux's ephemeral range (" + EPHEMERAL_FIRST + "-" + EPHEMERAL_LAST
                    + "): an outgoing connection can take it while its listener is down, and the listener then cannot start");
        }
    }

    public static boolean isEphemeral(int port) {
        return port >= EPHEMERAL_FIRST && port <= EPHEMERAL_LAST;
    }

    /**
     * Only the checks whose outcome depends on more than the file: secret files (mode, placeholder)
     * and environment variables (placeholder). For a model validated whole before, from the same bytes.
     */
    List<ClusterFileProblem> validateSecretSources(ClusterSpec spec) {
        validateSecrets(spec.secrets());
        problems.sort(ClusterFileProblem.BY_POSITION);
        if (problems.isEmpty()) {
            collectWarnings(spec);
        }
        return problems;
    }

    private void validatePostgres(PostgresSpec pg) {
        if (pg.version() < 13) {
            problem("/postgresql/version", "PostgreSQL " + pg.version() + " is not supported (13 or later)");
        }
        port("/postgresql/port", pg.port());
        if (pg.memory() != null && pg.memory().bytes() == 0) {
            problem("/postgresql/memory", "memory must be more than 0");
        }
        positive("/postgresql/max_connections", pg.maxConnections());
        positive("/postgresql/max_wal_senders", pg.maxWalSenders());
        positive("/postgresql/max_replication_slots", pg.maxReplicationSlots());
        name("/postgresql/superuser", pg.superuser(), "role name");
        name("/postgresql/replication_user", pg.replicationUser(), "role name");
        name("/postgresql/app_user", pg.appUser(), "role name");
        name("/postgresql/database", pg.database(), "database name");
        for (String key : pg.parameters().keySet()) {
            if (MANAGED_PARAMETERS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
                problem("/postgresql/parameters/" + key, key + " is managed by connect (from the cluster file's fields, "
                        + "memory sizing, or fixed for HA); remove it from parameters");
            }
        }
        if (pg.superuser().equals(pg.replicationUser())) {
            problem("/postgresql/replication_user", "the replication user must not be the superuser");
        }
        cidrs("/postgresql/networks/", pg.networks());
        cidrs("/postgresql/admin_networks/", pg.adminNetworks());
    }

    private void validateMembers(List<MemberSpec> members) {
        if (members.isEmpty()) {
            problem("/members", "the cluster needs at least one member");
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            String at = "/members/" + i;
            MemberSpec m = members.get(i);
            if (m == null) {
                problem(at, "empty member");
                continue;
            }
            if (m.name() == null) {
                problem(at, "a member needs a name");
            } else if (!NAME.matcher(m.name()).matches()) {
                name(at + "/name", m.name(), "member name");
            } else {
                Integer earlier = names.putIfAbsent(m.name(), i);
                if (earlier != null) {
                    problem(at + "/name", "duplicate member name '" + m.name() + "' (also members[" + earlier + "])");
                }
            }
            if (host(at, m.host())) {
                listener(at + "/port", m.host(), m.port());
                listener(at + "/patroni_port", m.host(), m.patroniPort());
            }
        }
    }

    private void validateEtcd(EtcdSpec etcd) {
        tls("/etcd/tls", etcd.tls());
        List<EtcdSpec.EtcdMemberSpec> members = etcd.members();
        if (members.isEmpty()) {
            problem("/etcd", "etcd needs at least one member");
            return;
        }
        if (members.size() % 2 == 0) {
            problem("/etcd/members", members.size() + " etcd members: use an odd number (1, 3 or 5); "
                    + "an even count adds no fault tolerance");
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            String at = "/etcd/members/" + i;
            EtcdSpec.EtcdMemberSpec m = members.get(i);
            if (m == null) {
                problem(at, "empty etcd member");
                continue;
            }
            if (m.name() == null) {
                problem(at, "an etcd member needs a name");
            } else if (!NAME.matcher(m.name()).matches()) {
                name(at + "/name", m.name(), "etcd member name");
            } else if (names.putIfAbsent(m.name(), i) != null) {
                problem(at + "/name", "duplicate etcd member name '" + m.name() + "'");
            }
            if (host(at, m.host())) {
                listener(at + "/client_port", m.host(), m.clientPort());
                listener(at + "/peer_port", m.host(), m.peerPort());
            }
        }
    }

    private void validateRtoTarget(String rtoTarget) {
        try {
            if (rtoTarget != null && Quantities.parseDuration(rtoTarget).toMillis() < 1000) {
                problem("/rto_target", "an RTO target under 1 s cannot be met: Patroni's ttl alone is whole seconds");
            }
        } catch (IllegalArgumentException e) {
            problem("/rto_target", e.getMessage());
        }
    }

    private void validatePatroni(PatroniSpec p) {
        positive("/patroni/ttl", p.ttl());
        positive("/patroni/loop_wait", p.loopWait());
        positive("/patroni/retry_timeout", p.retryTimeout());
        if (p.scope() != null) {
            name("/patroni/scope", p.scope(), "scope");
        }
        FieldValues.namespace(p.namespace()).ifPresent(why -> problem("/patroni/namespace", why));
        FieldValues.userName(p.restUser()).ifPresent(why -> problem("/patroni/rest_user", why));
        tls("/patroni/rest_api_tls", p.restApiTls());
    }

    /**
     * Patroni's rule for its timings. A cluster that runs with them broken is told, not refused: Patroni
     * itself accepts them. {@code config generate} and the lab refuse them.
     */
    public static java.util.Optional<String> timingRule(PatroniSpec p) {
        return timingRule(p.ttl(), p.loopWait(), p.retryTimeout());
    }

    /** The same rule for timings from anywhere (Patroni's live configuration): why it is broken, or empty. */
    public static java.util.Optional<String> timingRule(int ttl, int loopWait, int retryTimeout) {
        int needed = loopWait + 2 * retryTimeout;
        if (ttl >= needed) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("ttl " + ttl + " is smaller than loop_wait + 2 x retry_timeout = "
                + loopWait + " + 2 x " + retryTimeout + " = " + needed
                + "; the leader could lose its key while retrying");
    }

    private void tls(String at, TlsSpec tls) {
        if (tls == null) {
            return;
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            problem(at + (tls.certFile() == null ? "/key_file" : "/cert_file"),
                    "a client certificate needs both cert_file and key_file");
        }
    }

    private void validateHaproxy(HaproxySpec h) {
        if (host("/haproxy/host", h.host())) {
            listener("/haproxy/write_port", h.host(), h.writePort());
            listener("/haproxy/read_port", h.host(), h.readPort());
        }
        if (host("/haproxy/stats_host", h.statsHost())) {
            listener("/haproxy/stats_port", h.statsHost(), h.statsPort());
        }
        try {
            if (Quantities.parseDuration(h.checkInterval()).toMillis() < 100) {
                problem("/haproxy/check_interval", "checks more often than every 100 ms would load Patroni");
            }
        } catch (IllegalArgumentException e) {
            problem("/haproxy/check_interval", e.getMessage());
        }
        positive("/haproxy/fall", h.fall());
        positive("/haproxy/rise", h.rise());
        positive("/haproxy/maxconn", h.maxconn());
        FieldValues.haproxyName(h.writeBackend()).ifPresent(why -> problem("/haproxy/write_backend", why));
        FieldValues.haproxyName(h.readBackend()).ifPresent(why -> problem("/haproxy/read_backend", why));
        FieldValues.userName(h.statsUser()).ifPresent(why -> problem("/haproxy/stats_user", why));
        if (!h.statsSocket().startsWith("/")) {
            problem("/haproxy/stats_socket", "the stats socket needs an absolute path");
        }
    }

    private void validateRoles(ClusterSpec spec) {
        String app = spec.postgresql().appUser();
        if (app.equals(spec.pgbouncer().adminUser())) {
            problem("/pgbouncer/admin_user", "PgBouncer's admin user must not be the app user '" + app + "'");
        }
        if (app.equals(spec.postgresql().superuser()) || app.equals(spec.postgresql().replicationUser())) {
            problem("/postgresql/app_user", "the app user must be a role of its own, not '" + app + "'");
        }
    }

    private void validateChecks(ChecksSpec c) {
        for (String[] t : new String[][]{{"lag_warning_time", c.lagWarningTime()}, {"lag_critical_time", c.lagCriticalTime()},
                {"timeout", c.timeout()}}) {
            try {
                if (Quantities.parseDuration(t[1]).isZero()) {
                    problem("/checks/" + t[0], t[0] + " must be more than 0");
                }
            } catch (IllegalArgumentException e) {
                problem("/checks/" + t[0], e.getMessage());
            }
        }
        // a value at or above a threshold reaches it: a threshold of 0 would always be reached
        for (Object[] t : new Object[][]{{"lag_warning", c.lagWarning()}, {"lag_critical", c.lagCritical()},
                {"slot_warning", c.slotWarning()}, {"slot_critical", c.slotCritical()}}) {
            if (((ByteSize) t[1]).bytes() == 0) {
                problem("/checks/" + t[0], t[0] + " must be more than 0");
            }
        }
        if (c.lagWarning().bytes() > c.lagCritical().bytes()) {
            problem("/checks/lag_warning", "lag_warning (" + c.lagWarning() + ") is above lag_critical (" + c.lagCritical() + ")");
        }
        if (c.slotWarning().bytes() > c.slotCritical().bytes()) {
            problem("/checks/slot_warning", "slot_warning (" + c.slotWarning() + ") is above slot_critical (" + c.slotCritical() + ")");
        }
    }

    private void validatePgbouncer(PgbouncerSpec b) {
        if (host("/pgbouncer/host", b.host())) {
            listener("/pgbouncer/port", b.host(), b.port());
        }
        positive("/pgbouncer/default_pool_size", b.defaultPoolSize());
        positive("/pgbouncer/max_client_conn", b.maxClientConn());
        Map<String, Integer> pools = new HashMap<>();
        for (int i = 0; i < b.databases().size(); i++) {
            PgbouncerDatabase db = b.databases().get(i);
            if (db == null || db.name() == null) {
                problem("/pgbouncer/databases/" + i, "a database needs a name");
                continue;
            }
            String at = "/pgbouncer/databases/" + i + (db.isAlias() ? "/name" : "");
            name(at, db.name(), "database name");
            if (db.isAlias()) {
                name("/pgbouncer/databases/" + i + "/dbname", db.dbname(), "database name");
            }
            Integer earlier = pools.putIfAbsent(db.name(), i);
            if (earlier != null) {
                problem(at, "duplicate PgBouncer database '" + db.name() + "' (also databases[" + earlier + "])");
            }
        }
        name("/pgbouncer/admin_user", b.adminUser(), "role name");
    }

    private void validateSecrets(SecretsSpec secrets) {
        secrets.byName().forEach((name, source) -> {
            String at = "/secrets/" + name;
            int count = source.sourceCount();
            if (source.inlinePassword() != null) {
                JsonLocation loc = location(at);
                problems.add(ClusterFileLoader.inlinePasswordProblem(loc, "secrets." + name, source.inlinePassword()));
                return;
            }
            if (count != 1) {
                problem(at, "give exactly one of env, file or pgpass: true");
                return;
            }
            if (source.env() != null) {
                java.util.Optional<String> badName = FieldValues.environmentVariableName(source.env());
                if (badName.isPresent()) {
                    problem(at + "/env", badName.get());
                    return;
                }
                String value = environment.get(source.env());
                if (value != null && Placeholders.isPlaceholder(value)) {
                    problem(at + "/env", "environment variable " + source.env() + " holds a placeholder password");
                }
            } else if (source.file() != null) {
                checkSecretFile(at + "/file", SecretResolver.resolvePath(file, source.file()));
            }
        });
    }

    private void checkSecretFile(String at, Path secretFile) {
        if (!Files.isRegularFile(secretFile)) {
            return; // reported when the secret is needed: config show must work without it
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(secretFile);
            if (SecretResolver.notPrivate(secretFile, perms) != null) {
                problem(at, SecretResolver.notPrivate(secretFile, perms));
                return;
            }
            String value = SecretResolver.firstLine(secretFile);
            if (Placeholders.isPlaceholder(value)) {
                problem(at, "secret file " + secretFile + " holds a placeholder password");
            }
        } catch (IOException e) {
            problem(at, "cannot read secret file " + secretFile + ": " + e.getMessage());
        }
    }

    /** {@code at} is the host field itself, or (for members) the entry that holds a {@code host}. */
    private boolean host(String at, String host) {
        String field = at.endsWith("host") ? at : at + "/host";
        java.util.Optional<String> why = FieldValues.host(host);
        why.ifPresent(w -> problem(field, w));
        return why.isEmpty();
    }

    private void listener(String at, String host, int port) {
        if (!port(at, port)) {
            return;
        }
        String address = host + ":" + port;
        String earlier = listeners.putIfAbsent(address, at);
        if (earlier != null) {
            problem(at, "address " + address + " is already used by " + ClusterFileLoader.prettyPath(earlier));
        }
    }

    /** Linux's default {@code net.ipv4.ip_local_port_range}. */
    public static final int EPHEMERAL_FIRST = 32768;
    public static final int EPHEMERAL_LAST = 60999;

    private boolean port(String at, int port) {
        if (port < 1 || port > 65535) {
            problem(at, port + " is out of range (1-65535)");
            return false;
        }
        return true;
    }

    private void positive(String at, int value) {
        if (value < 1) {
            problem(at, "must be at least 1, got " + value);
        }
    }

    private void cidrs(String at, List<String> networks) {
        for (int i = 0; i < networks.size(); i++) {
            String cidr = networks.get(i);
            String element = at + i;
            FieldValues.cidr(cidr).ifPresent(why -> problem(element, why));
        }
    }

    private void name(String at, String value, String what) {
        FieldValues.name(value, what).ifPresent(why -> problem(at, why));
    }

    private void problem(String pointer, String message) {
        JsonLocation at = location(pointer);
        problems.add(new ClusterFileProblem(at.getLineNr(), at.getColumnNr(), ClusterFileLoader.prettyPath(pointer), message));
    }

    private void warning(String pointer, String message) {
        JsonLocation at = location(pointer);
        warnings.add(new ClusterFileProblem(at.getLineNr(), at.getColumnNr(), ClusterFileLoader.prettyPath(pointer), message));
    }

    /** The warnings of the last {@link #validate}, by position. */
    List<ClusterFileProblem> warnings() {
        warnings.sort(ClusterFileProblem.BY_POSITION);
        return warnings;
    }

    /** The location of the field's value, else of its key, else of its nearest parent that the file has. */
    private JsonLocation location(String pointer) {
        JsonLocation value = locations.get().get(ClusterFileLoader.VALUE + pointer);
        if (value != null) {
            return value;
        }
        String p = pointer;
        while (!p.isEmpty()) {
            JsonLocation at = locations.get().get(p);
            if (at != null) {
                return at;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return new JsonLocation(null, -1, 1, 1);
    }
}
