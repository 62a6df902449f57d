package io.connectha.support;

import io.connectha.process.ProcessController;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The adopted stack: "orders-prod", PostgreSQL 15 + Patroni + etcd + HAProxy + PgBouncer built by hand
 * from {@code src/test/resources/adopted} by its own {@code start.sh}, with none of connect's generators
 * or conventions (its names, shared addresses, TLS, a REST API without authentication, a PgBouncer
 * alias, timings connect's rule refuses). Started once for the whole run and stopped by
 * {@code stop.sh} when the run ends, passed or failed; {@code stop.sh} also runs first, for what a
 * killed run left. Tests receive it as a {@link Running} parameter.
 *
 * <p>Readiness and every comparison go through psql, curl and etcdctl, never through connect: this
 * stack is the independent witness of what connect reports.
 */
public final class AdoptedStack implements BeforeAllCallback, ParameterResolver {

    public static final Path DIR = Path.of(System.getProperty("connect.test.adopted-dir", "/tmp/connect-test-adopted"));
    public static final int PORT_BASE = Integer.getInteger("connect.test.adopted-port-base", 27000);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AdoptedStack.class);
    private static final String PATH = "/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
    /** Patroni's loop_wait in this stack, plus a margin: a state must hold that long to count as settled. */
    private static final Duration SETTLE = Duration.ofMillis(2500);

    /** What an external program printed, and its exit code. */
    public record Result(int exit, String out, String err) {
        public String value() {
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + err.strip());
            }
            return out.strip();
        }
    }

    /** A PostgreSQL member: its own address and ports, as start.sh laid them out. */
    public record Member(String name, String host, int pgPort, int restPort) {
        public String restUrl(String path) {
            return "https://" + host + ":" + restPort + path;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    private static Running running(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context);
    }

    /** The running stack: where everything is, its secrets, and psql / curl / etcdctl aimed at it. */
    public static final class Running implements ExtensionContext.Store.CloseableResource {

        private final Path dir;
        private final Path scripts;
        private final Map<String, String> env;
        private Duration startedIn;

        private Running(Path dir, Path scripts, Map<String, String> env) {
            this.dir = dir;
            this.scripts = scripts;
            this.env = env;
        }

        static Running start() {
            Path scripts = scriptsDir();
            Path log = DIR.resolveSibling(DIR.getFileName() + ".start.log");
            stop(scripts, DIR);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(scripts, DIR), "adopted-stack-down"));
            long t0 = System.nanoTime();
            Result started = exec(List.of("bash", scripts.resolve("start.sh").toString(), DIR.toString(), Integer.toString(PORT_BASE)),
                    Map.of(), null, Duration.ofMinutes(5));
            writeQuietly(log, started.out() + started.err());
            if (started.exit() != 0) {
                throw new IllegalStateException("the adopted stack did not start (exit " + started.exit() + "); see " + log + "\n"
                        + tail(started.err(), 30));
            }
            Running stack = new Running(DIR, scripts, readEnv(DIR.resolve("stack.env")));
            try {
                stack.awaitReady(Duration.ofSeconds(90));
            } catch (RuntimeException e) {
                stop(scripts, DIR);
                throw e;
            }
            stack.startedIn = Duration.ofNanos(System.nanoTime() - t0);
            System.err.println("adopted stack " + DIR + " ready in " + stack.startedIn.toMillis() + " ms (start.sh: "
                    + started.out().lines().filter(l -> l.contains("ready in")).findFirst().orElse("?").strip() + ")");
            return stack;
        }

        /** stop.sh: every process of the stack gone; safe on a stack already down, half up or gone. */
        @Override
        public void close() {
            stop(scripts, dir);
        }

        private static void stop(Path scripts, Path dir) {
            Result r = exec(List.of("bash", scripts.resolve("stop.sh").toString(), dir.toString()), Map.of(), null, Duration.ofMinutes(2));
            if (r.exit() != 0) {
                throw new IllegalStateException("stop.sh " + dir + " failed (exit " + r.exit() + "): " + r.err().strip());
            }
        }

        /** From bring-up to ready, as the extension measured it (start.sh plus the readiness check). */
        public Duration startedIn() {
            return startedIn;
        }

        public Path dir() {
            return dir;
        }

        public int portBase() {
            return Integer.parseInt(env.get("PORT_BASE"));
        }

        /** The hand-written cluster file (secrets from files of mode 0600, TLS paths relative to it). */
        public Path clusterFile() {
            return Path.of(env.get("CLUSTER_FILE"));
        }

        public String scope() {
            return env.get("SCOPE");
        }

        /** Patroni's namespace, with its slashes: {@code /pg-ha/}. */
        public String namespace() {
            return env.get("NAMESPACE");
        }

        public Path caFile() {
            return Path.of(env.get("CA_FILE"));
        }

        public Path clientCert() {
            return Path.of(env.get("CLIENT_CERT"));
        }

        public Path clientKey() {
            return Path.of(env.get("CLIENT_KEY"));
        }

        public List<Member> members() {
            return Arrays.stream(env.get("MEMBERS").split(" ")).map(this::member).toList();
        }

        public Member member(String name) {
            String k = "DB_" + name.substring(name.indexOf('-') + 1).toUpperCase() + "_";
            if (!env.containsKey(k + "HOST")) {
                throw new IllegalArgumentException("no member " + name);
            }
            return new Member(name, env.get(k + "HOST"), Integer.parseInt(env.get(k + "PG")), Integer.parseInt(env.get(k + "REST")));
        }

        public List<String> etcdMembers() {
            return List.of(env.get("ETCD_MEMBERS").split(" "));
        }

        /** https URLs of the etcd members' client ports. */
        public List<String> etcdEndpoints() {
            return List.of(env.get("ETCD_ENDPOINTS").split(","));
        }

        public String haproxyHost() {
            return env.get("HAPROXY_HOST");
        }

        public int haproxyWritePort() {
            return Integer.parseInt(env.get("HAPROXY_WRITE_PORT"));
        }

        public int haproxyReadPort() {
            return Integer.parseInt(env.get("HAPROXY_READ_PORT"));
        }

        public int haproxyStatsPort() {
            return Integer.parseInt(env.get("HAPROXY_STATS_PORT"));
        }

        public Path haproxySocket() {
            return Path.of(env.get("HAPROXY_SOCKET"));
        }

        public String haproxyWriteBackend() {
            return env.get("HAPROXY_WRITE_BACKEND");
        }

        public String haproxyReadBackend() {
            return env.get("HAPROXY_READ_BACKEND");
        }

        public String pgbouncerHost() {
            return env.get("PGBOUNCER_HOST");
        }

        public int pgbouncerPort() {
            return Integer.parseInt(env.get("PGBOUNCER_PORT"));
        }

        /** The PgBouncer pool the application uses: an alias of the database {@code orders}. */
        public String pgbouncerPool() {
            return env.get("PGBOUNCER_POOL");
        }

        /**
         * The file of a secret, by connect's name for it: superuser (dba), replication (repl), app
         * (orders_app), pgbouncer_admin (pgb_admin), haproxy_stats (monitor). Mode 0600, owned by postgres.
         */
        public Path secretFile(String secret) {
            return dir.resolve("secrets").resolve(secret + ".password");
        }

        public String password(String secret) {
            try {
                return Files.readAllLines(secretFile(secret)).get(0).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The same secrets as connect's environment variables, for a run of bin/connect without the files. */
        public Map<String, String> connectEnv() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String s : List.of("superuser", "replication", "app", "pgbouncer_admin", "haproxy_stats")) {
                m.put("CONNECT_" + s.toUpperCase() + "_PASSWORD", password(s));
            }
            return m;
        }

        private String secretOfUser(String user) {
            return switch (user) {
                case "dba" -> "superuser";
                case "repl" -> "replication";
                case "orders_app" -> "app";
                case "pgb_admin" -> "pgbouncer_admin";
                default -> throw new IllegalArgumentException("no password for " + user);
            };
        }

        /**
         * psql, unaligned, fields separated by |, with a header line unless {@code tuplesOnly}. PostgreSQL
         * (directly or through HAProxy) is asked over TLS with the CA checked; PgBouncer has no TLS for clients.
         */
        public Result psql(String user, String host, int port, String database, String sql, boolean tuplesOnly) {
            boolean pgbouncer = host.equals(pgbouncerHost()) && port == pgbouncerPort();
            String conninfo = "host=" + host + " port=" + port + " dbname=" + database + " user=" + user
                    + (pgbouncer ? " sslmode=disable" : " sslmode=verify-ca sslrootcert=" + caFile());
            List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-A", "-F", "|", "-v", "ON_ERROR_STOP=1"));
            if (tuplesOnly) {
                cmd.add("-t");
            }
            cmd.addAll(List.of("-c", sql, conninfo));
            return exec(cmd, Map.of("PGPASSWORD", password(secretOfUser(user)), "PGCONNECT_TIMEOUT", "3"), null, Duration.ofSeconds(20));
        }

        /** One value, as the superuser, on a member's PostgreSQL. */
        public String sql(Member m, String sql) {
            return psql("dba", m.host(), m.pgPort(), "postgres", sql, true).value();
        }

        /** The rows of a query with a header, each a map from column name to text. */
        public List<Map<String, String>> rows(String user, String host, int port, String database, String sql) {
            List<String> lines = psql(user, host, port, database, sql, false).value().lines().toList();
            List<Map<String, String>> rows = new ArrayList<>();
            if (lines.isEmpty()) {
                return rows;
            }
            String[] header = lines.get(0).split("\\|", -1);
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("(") && line.endsWith(")")) {
                    continue; // "(3 rows)"
                }
                String[] f = line.split("\\|", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length && i < f.length; i++) {
                    row.put(header[i], f[i]);
                }
                rows.add(row);
            }
            return rows;
        }

        /** PgBouncer's SHOW POOLS through its admin console, as pgb_admin. */
        public List<Map<String, String>> pgbouncerPools() {
            return rows("pgb_admin", pgbouncerHost(), pgbouncerPort(), "pgbouncer", "SHOW POOLS");
        }

        /** curl with the stack's CA (and, for etcd, its client certificate): {@code args} are curl's own. */
        public Result curl(String... args) {
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "5", "--cacert", caFile().toString(),
                    "--cert", clientCert().toString(), "--key", clientKey().toString()));
            cmd.addAll(List.of(args));
            return exec(cmd, Map.of(), null, Duration.ofSeconds(10));
        }

        /** A Patroni REST API answer's body (https, no authentication). */
        public String rest(Member m, String path) {
            return curl(m.restUrl(path)).value();
        }

        /** The HTTP status of a Patroni REST API endpoint; 0 when it did not answer. */
        public int restCode(Member m, String path) {
            Result r = curl("-o", "/dev/null", "-w", "%{http_code}", m.restUrl(path));
            try {
                return Integer.parseInt(r.out().strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** HAProxy's statistics as CSV from its stats page, the credentials given on stdin, never on a command line. */
        public List<Map<String, String>> haproxyStats() {
            String config = "user = \"monitor:" + password("haproxy_stats") + "\"\n";
            Result r = exec(List.of("curl", "-sS", "--max-time", "5", "-K", "-",
                    "http://" + haproxyHost() + ":" + haproxyStatsPort() + "/;csv"), Map.of(), config, Duration.ofSeconds(10));
            List<String> lines = r.value().lines().toList();
            String[] header = lines.get(0).replaceFirst("^# ", "").split(",", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length && i < f.length; i++) {
                    row.put(header[i], f[i]);
                }
                rows.add(row);
            }
            return rows;
        }

        /** etcdctl (v3 API) against every member, over TLS with the client certificate. */
        public Result etcdctl(String... args) {
            List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + String.join(",", etcdEndpoints()),
                    "--cacert=" + caFile(), "--cert=" + clientCert(), "--key=" + clientKey(),
                    "--dial-timeout=2s", "--command-timeout=3s"));
            cmd.addAll(List.of(args));
            return exec(cmd, Map.of("ETCDCTL_API", "3"), null, Duration.ofSeconds(15));
        }

        /** The member whose Patroni answers 200 on /primary, or null when none does (or more than one). */
        public Member leader() {
            List<Member> leaders = members().stream().filter(m -> restCode(m, "/primary") == 200).toList();
            return leaders.size() == 1 ? leaders.get(0) : null;
        }

        public List<Member> replicas() {
            Member leader = leader();
            return members().stream().filter(m -> leader == null || !m.name().equals(leader.name())).toList();
        }

        /**
         * Until, as psql, curl and etcdctl say: every etcd member is healthy; one leader; two replicas
         * streaming from it; HAProxy's write port lands on it; PgBouncer's alias reaches the database
         * orders. And still so one Patroni loop later.
         */
        public void awaitReady(Duration deadline) {
            long[] since = {-1};
            ProcessController.awaitReady("adopted stack ready", deadline, Duration.ofMillis(500), () -> {
                String why = notReady();
                if (why != null) {
                    since[0] = -1;
                    throw new IllegalStateException(why);
                }
                if (since[0] < 0) {
                    since[0] = System.nanoTime();
                }
                return System.nanoTime() - since[0] >= SETTLE.toNanos();
            });
        }

        /** Why the stack is not ready now, or null when it is. */
        public String notReady() {
            Result health = etcdctl("endpoint", "health");
            if (health.exit() != 0) {
                return "etcd: " + (health.out() + health.err()).strip();
            }
            Member leader = leader();
            if (leader == null) {
                return "no single member answers 200 on /primary";
            }
            String streaming = sql(leader, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
            if (!streaming.equals("2")) {
                return streaming + " replicas streaming from " + leader.name();
            }
            Result write = psql("dba", haproxyHost(), haproxyWritePort(), "postgres",
                    "SELECT host(inet_server_addr()) || ':' || inet_server_port() || ' ' || pg_is_in_recovery()", true);
            String expected = leader.host() + ":" + leader.pgPort() + " false";
            if (write.exit() != 0 || !write.out().strip().equals(expected)) {
                return "HAProxy's write port: " + (write.out() + write.err()).strip() + ", not " + expected;
            }
            Result pool = psql("orders_app", pgbouncerHost(), pgbouncerPort(), pgbouncerPool(), "SELECT current_database()", true);
            if (pool.exit() != 0 || !pool.out().strip().equals("orders")) {
                return "PgBouncer's " + pgbouncerPool() + ": " + (pool.out() + pool.err()).strip();
            }
            return null;
        }

        /** The pid a program of the stack wrote: dcs-1..3, patroni-db-a.., haproxy, pgbouncer. */
        public long pid(String name) {
            try {
                return Long.parseLong(Files.readAllLines(dir.resolve("run").resolve(name + ".pid")).get(0).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every etcd member stopped where it stands (SIGSTOP): it keeps its sockets and answers nothing. */
        public void freezeEtcd() {
            signal("STOP", etcdMembers());
        }

        public void thawEtcd() {
            signal("CONT", etcdMembers());
        }

        private void signal(String signal, List<String> names) {
            List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
            names.forEach(n -> cmd.add(Long.toString(pid(n))));
            exec(cmd, Map.of(), null, Duration.ofSeconds(5)).value();
        }

        /** Stops HAProxy (SIGTERM) and waits until it has gone. */
        public void stopHaproxy() {
            long pid = pid("haproxy");
            if (!ProcessController.stop(pid, Duration.ofSeconds(5))) {
                throw new IllegalStateException("HAProxy (pid " + pid + ") did not stop");
            }
        }

        public boolean running(String name) {
            try {
                return ProcessController.isAlive(pid(name));
            } catch (UncheckedIOException e) {
                return false;
            }
        }

        /** start.sh's restart of one part with the files it has: haproxy, pgbouncer, db-a.., dcs-1.. */
        public void startPart(String part) {
            Result r = exec(List.of("bash", scripts.resolve("start.sh").toString(), dir.toString(), Integer.toString(portBase()), part),
                    Map.of(), null, Duration.ofMinutes(2));
            if (r.exit() != 0) {
                throw new IllegalStateException("start.sh " + part + " failed (exit " + r.exit() + "): " + tail(r.err(), 10));
            }
        }
    }

    /**
     * Runs a program with a clean environment plus {@code extraEnv}, {@code stdin} fed to it, its output
     * kept in files: start.sh's daemons inherit no pipe of ours, so nothing waits on them.
     */
    static Result exec(List<String> command, Map<String, String> extraEnv, String stdin, Duration timeout) {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("adopted-exec", ".out");
            err = Files.createTempFile("adopted-exec", ".err");
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().put("PATH", PATH);
            pb.environment().put("LANG", "C.UTF-8");
            pb.environment().put("HOME", System.getProperty("user.home"));
            pb.environment().putAll(extraEnv);
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            if (stdin != null) {
                in = Files.createTempFile("adopted-exec", ".in");
                Files.writeString(in, stdin);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(124, Files.readString(out), Files.readString(err) + "\n" + command.get(0) + " timed out after "
                        + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        } finally {
            for (Path p : new Path[]{out, err, in}) {
                if (p != null) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // a temporary file left in /tmp
                    }
                }
            }
        }
    }

    /** The scripts in the source tree (mode bits kept) or, failing that, on the test class path. */
    private static Path scriptsDir() {
        String project = System.getProperty("connect.project.dir");
        if (project != null) {
            Path p = Path.of(project, "src", "test", "resources", "adopted");
            if (Files.isRegularFile(p.resolve("start.sh"))) {
                return p;
            }
        }
        URL url = AdoptedStack.class.getResource("/adopted/start.sh");
        if (url == null) {
            throw new IllegalStateException("adopted/start.sh is not on the test class path");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readEnv(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException ignored) {
            // the log is a convenience; the exception that follows says what failed
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
