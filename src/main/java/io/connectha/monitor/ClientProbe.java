package io.connectha.monitor;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.pg.Endpoints;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The client's-eye probe: every interval it moves a heartbeat through the application's write path (HAProxy's write port
 * or PgBouncer) and reads it back through the read path, as the application's own user, and keeps what it saw in
 * {@link ProbeFigures}. Each path has its own thread and its own kept connection, so a hung read never delays a write; a
 * connection that failed is made again after a quarter interval while the path fails, so a recovery is seen within that.
 */
public final class ClientProbe implements AutoCloseable {

    public enum Via { haproxy, pgbouncer }

    /**
     * @param interval time between the starts of two requests on a path
     * @param timeout  the bound on each request (connect and read)
     * @param slo      the objective, as a percentage (99.9)
     * @param probeId  this monitor's row in the heartbeat table; two monitors on one cluster need two ids
     */
    public record Options(Via via, Duration interval, Duration timeout, double slo, String probeId) {
    }

    /** Called from the probe's own thread; the lead's implementation only queues, so it never blocks the probe. */
    public interface Listener {
        /** {@code path}: "write" or "read"; {@code at} is when the outage began. */
        void failing(Instant at, String path, String error);

        void recovered(Instant at, String path, Duration outage);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClientProbe.class);

    /** How often set-up is tried again while the cluster does not let it happen. */
    static final Duration SETUP_RETRY = Duration.ofSeconds(3);
    /** How long close() waits for the threads once their connections are aborted. */
    static final Duration STOP_WAIT = Duration.ofMillis(500);
    static final String WRITE = "write";
    static final String READ = "read";

    private final ClusterSpec spec;
    private final SecretResolver secrets;
    private final Options options;
    private final Listener listener;
    private final Clock clock;
    private final ProbePath writePath;
    private final ProbePath readPath;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean running;
    private ProbeSchema schema;
    /** Null until start() has started them; close() may run on another thread (a shutdown hook). */
    private volatile Worker writer;
    private volatile Worker reader;
    /** Set by the write thread (and start()); read by the read thread. */
    private volatile boolean schemaReady;
    private volatile boolean schemaEverReady;
    private volatile Instant schemaSetUpAt;
    private volatile String setupError;
    private long nextSetupNanos;
    private boolean setupFailureLogged;

    public ClientProbe(LoadedCluster cluster, SecretResolver secrets, Options options, Listener listener, Clock clock) {
        if (options.via() == null || options.interval() == null || options.interval().isNegative() || options.interval().isZero()
                || options.timeout() == null || options.timeout().isNegative() || options.timeout().isZero()
                || !(options.slo() > 0 && options.slo() <= 100) || options.probeId() == null || options.probeId().isBlank()) {
            throw ConnectError.invalidInput("the client probe needs a path, a positive interval and timeout, an objective above 0 "
                    + "and up to 100 %, and a probe id; got path " + options.via() + ", interval " + options.interval() + ", timeout "
                    + options.timeout() + ", objective " + options.slo() + ", probe id " + options.probeId());
        }
        this.spec = cluster.spec();
        this.secrets = secrets;
        this.options = options;
        this.listener = listener;
        this.clock = clock;
        this.writePath = new ProbePath(WRITE, clock);
        this.readPath = new ProbePath(READ, clock);
    }

    /**
     * Sets up the schema, then starts the threads. A set-up the cluster cannot take now (down, no leader, read-only) is
     * logged once and tried again on the write thread, the paths counting as failing meanwhile; one that cannot work
     * (a missing secret, refused credentials, a missing privilege) throws a one-line {@link ConnectError}.
     */
    public void start() {
        if (closed.get() || !started.compareAndSet(false, true)) {
            return;
        }
        String appPassword = secrets.password(SecretName.app);
        String superuserPassword = secrets.password(SecretName.superuser);
        String database = spec.postgresql().database();
        String app = spec.postgresql().appUser();
        PgConnector pg = new PgConnector(options.timeout(), options.timeout()).named("connect-probe");
        PgConnector setupPg = new PgConnector(options.timeout(), setupTimeout()).named("connect-probe");
        PgConnector.Endpoint writeEndpoint;
        PgConnector.Mode writeMode;
        if (options.via() == Via.pgbouncer) {
            writeEndpoint = Endpoints.pgbouncer(spec, database, app);
            // prepareThreshold=0 in transaction and statement mode: a named statement would meet another client's server connection
            writeMode = spec.pgbouncer().poolMode() == PgbouncerSpec.PoolMode.session ? PgConnector.Mode.DIRECT
                    : PgConnector.Mode.TRANSACTION_POOLED;
        } else {
            writeEndpoint = Endpoints.haproxyWrite(spec, database, app);
            writeMode = PgConnector.Mode.DIRECT;
        }
        // one member: HAProxy's read port has no replica to send to
        boolean oneMember = spec.members().size() < 2;
        PgConnector.Endpoint readEndpoint = oneMember ? writeEndpoint : Endpoints.haproxyRead(spec, database, app);
        PgConnector.Mode readMode = oneMember ? writeMode : PgConnector.Mode.DIRECT;

        schema = new ProbeSchema(setupPg, Endpoints.haproxyWrite(spec, database, spec.postgresql().superuser()), superuserPassword, spec,
                options.probeId(), setupTimeout());
        trySetup(true);

        synchronized (this) {
            // closed while the set-up ran: no thread may outlive close(), and the row just set up goes again
            if (closed.get()) {
                if (schemaEverReady) {
                    cleanup();
                }
                return;
            }
            running = true;
            writer = new Worker(writePath, pg, writeEndpoint, writeMode, appPassword, true);
            reader = new Worker(readPath, pg, readEndpoint, readMode, appPassword, false);
            writer.start();
            reader.start();
        }
    }

    /** A consistent snapshot per path; never waits on I/O. */
    public ProbeFigures figures() {
        return new ProbeFigures(options.slo(), List.of(writePath.snapshot(options.slo(), false), readPath.snapshot(options.slo(), true)));
    }

    /**
     * Stops the threads (their connections aborted, so within {@link #STOP_WAIT} whatever the database does), then removes
     * this probe's row, and the schema when no other probe's row is left, within the request timeout. A clean-up that fails
     * is logged, never thrown.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            running = false;
        }
        if (writer == null) {
            // never started, or start() is still setting up and will clean up itself when it sees closed
            return;
        }
        writer.stop();
        reader.stop();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        writer.join(deadline);
        reader.join(deadline);
        if (schemaEverReady) {
            cleanup();
        }
    }

    private void cleanup() {
        Thread t = new Thread(() -> {
            try {
                schema.cleanup();
            } catch (RuntimeException e) {
                LOG.warn("client probe: could not remove its heartbeat row: {}", oneLine(e));
            }
        }, "probe-cleanup");
        t.setDaemon(true);
        t.start();
        try {
            t.join(Math.max(1, options.timeout().toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("client probe: gave up removing its heartbeat row after {} ms", options.timeout().toMillis());
        }
    }

    /** DDL may wait a moment for the advisory lock or a checkpoint: at least a second, whatever the probe's timeout. */
    private Duration setupTimeout() {
        return options.timeout().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : options.timeout();
    }

    /** Called by start() and then only by the write thread. */
    private boolean trySetup(boolean atStart) {
        long now = System.nanoTime();
        if (!atStart && now - nextSetupNanos < 0) {
            return false;
        }
        try {
            schema.setup();
            schemaSetUpAt = clock.instant();
            schemaReady = true;
            schemaEverReady = true;
            if (setupFailureLogged) {
                LOG.warn("client probe: its table is set up now");
            }
            setupFailureLogged = false;
            setupError = null;
            return true;
        } catch (ConnectError e) {
            if (atStart && fatal(e)) {
                throw new ConnectError(e.kind(), "client probe: cannot set up its table: " + e.getMessage(), e.getCause());
            }
            setupError = "its table is not set up: " + oneLine(e);
            nextSetupNanos = System.nanoTime() + SETUP_RETRY.toNanos();
            if (!setupFailureLogged) {
                LOG.warn("client probe: cannot set up its table ({}); trying again every {} s, the probe counting as failing meanwhile",
                        oneLine(e), SETUP_RETRY.toSeconds());
                setupFailureLogged = true;
            }
            return false;
        }
    }

    /** What no retry will mend: a missing secret, refused credentials, a missing privilege or a wrong statement. */
    static boolean fatal(ConnectError e) {
        return switch (e.kind()) {
            case INVALID_INPUT, AUTHENTICATION_FAILED, MISSING_PROGRAM -> true;
            case UNREACHABLE -> false;
            case FAILURE -> {
                String state = sqlState(e);
                yield state != null && (state.startsWith("42") || state.startsWith("28"));
            }
        };
    }

    private static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private void tell(ProbePath.Change change, String path) {
        if (change == null || listener == null) {
            return;
        }
        try {
            if (change instanceof ProbePath.Failing f) {
                listener.failing(f.at(), path, f.error());
            } else if (change instanceof ProbePath.Recovered r) {
                listener.recovered(r.at(), path, r.outage());
            }
        } catch (RuntimeException e) {
            LOG.warn("client probe: its listener failed: {}", oneLine(e));
        }
    }

    /** What one request gave: success, or the error in one line; for a read, the heartbeat's time (null: no row). */
    private record Outcome(boolean ok, String error, Instant heartbeatAt) {
        static Outcome failed(String error) {
            return new Outcome(false, error, null);
        }
    }

    /** One path's thread, its kept connection and its statement. */
    private final class Worker {
        private final ProbePath path;
        private final PgConnector pg;
        private final PgConnector.Endpoint endpoint;
        private final PgConnector.Mode mode;
        private final String password;
        private final boolean writes;
        private final Thread thread;
        private volatile Connection connection;
        private PreparedStatement statement;
        private long seq;

        Worker(ProbePath path, PgConnector pg, PgConnector.Endpoint endpoint, PgConnector.Mode mode, String password, boolean writes) {
            this.path = path;
            this.pg = pg;
            this.endpoint = endpoint;
            this.mode = mode;
            this.password = password;
            this.writes = writes;
            this.thread = new Thread(this::loop, "probe-" + path.name());
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        /** Fixed rate: the next request starts one interval after the previous one started, or at once if that has passed. */
        private void loop() {
            long interval = options.interval().toNanos();
            long next = System.nanoTime();
            try {
                while (running) {
                    for (long wait = next - System.nanoTime(); wait > 0 && running; wait = next - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (!running) {
                        break;
                    }
                    long startNanos = System.nanoTime();
                    Instant start = clock.instant();
                    Outcome outcome = request();
                    long took = System.nanoTime() - startNanos;
                    if (!running) {
                        // cut short by close(): says nothing about the cluster
                        break;
                    }
                    if (outcome.ok() && !writes) {
                        if (outcome.heartbeatAt() == null && schemaSetUpAt != null) {
                            path.heartbeatNotBefore(schemaSetUpAt);
                        }
                    }
                    tell(path.record(start, took, outcome.ok(), outcome.error(), outcome.heartbeatAt()), path.name());
                    // during an outage the path is tried again after a quarter interval, as an application retrying at
                    // once would find it back: the recovery is then seen within that, not within a whole interval
                    next = outcome.ok() ? next + interval : Math.max(next, startNanos + Math.max(interval / 4, 1_000_000L));
                    long now = System.nanoTime();
                    if (next - now < 0) {
                        next = now;
                    }
                }
            } finally {
                disconnect();
            }
        }

        private Outcome request() {
            if (writes && !schemaReady && !trySetup(false)) {
                return Outcome.failed(setupError);
            }
            try {
                if (connection == null) {
                    connect();
                }
                if (writes) {
                    statement.setLong(1, ++seq);
                    statement.setString(2, options.probeId());
                    if (statement.executeUpdate() == 0) {
                        // the row is gone (a failover lost the set-up, or someone deleted it): the write still reached a
                        // writable leader, and the row is put back before the next one
                        schemaReady = false;
                        nextSetupNanos = System.nanoTime();
                    }
                    return new Outcome(true, null, null);
                }
                statement.setString(1, options.probeId());
                try (ResultSet rs = statement.executeQuery()) {
                    Instant at = rs.next() ? rs.getObject(2, OffsetDateTime.class).toInstant() : null;
                    return new Outcome(true, null, at);
                }
            } catch (ConnectError e) {
                disconnect();
                return Outcome.failed(oneLine(e));
            } catch (SQLException e) {
                disconnect();
                String state = e.getSQLState();
                if (writes && ("42P01".equals(state) || "3F000".equals(state))) {
                    schemaReady = false;
                    nextSetupNanos = System.nanoTime();
                }
                return Outcome.failed((writes ? "write" : "read") + " through " + endpoint.component() + " at " + endpoint.address()
                        + " failed: " + reason(e));
            } catch (RuntimeException e) {
                disconnect();
                return Outcome.failed(oneLine(e));
            }
        }

        private void connect() throws SQLException {
            Connection c = pg.connect(endpoint, password, mode);
            connection = c;
            // the socket's timeout to the millisecond (the connector's is in whole seconds)
            c.setNetworkTimeout(Runnable::run, (int) Math.max(1, options.timeout().toMillis()));
            if (mode == PgConnector.Mode.DIRECT) {
                // the server gives up too, rather than holding a lock for a client that left
                Sql.execute(c, "SET statement_timeout = " + Math.max(1, options.timeout().toMillis()));
            }
            statement = c.prepareStatement(writes
                    ? "UPDATE " + ProbeSchema.TABLE + " SET seq = ?, at = now() WHERE probe_id = ?"
                    : "SELECT seq, at FROM " + ProbeSchema.TABLE + " WHERE probe_id = ?");
            if (!running) {
                disconnect();
            }
        }

        private void disconnect() {
            Connection c = connection;
            connection = null;
            statement = null;
            Sql.close(c);
        }

        /** Aborts the kept connection: a request blocked on a black-holed network returns at once. */
        void stop() {
            Connection c = connection;
            if (c != null) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    // already closed: nothing to abort
                }
            }
            LockSupport.unpark(thread);
        }

        void join(long deadlineNanos) {
            try {
                long left = deadlineNanos - System.nanoTime();
                if (left > 0) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A JDBC failure in one line: a broken connection by its cause (timed out, reset), a refusal by the server's words. */
    private static String reason(SQLException e) {
        String state = e.getSQLState();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        if (state != null && state.startsWith("08") && root != e) {
            message = root.getMessage() != null ? root.getMessage()
                    : root instanceof java.io.EOFException ? "the connection was closed before an answer came" : message;
        }
        return firstLine(message == null ? "no reason given" : message);
    }

    private static String oneLine(Throwable e) {
        return firstLine(e.getMessage() == null ? "no reason given" : e.getMessage());
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s);
    }
}
