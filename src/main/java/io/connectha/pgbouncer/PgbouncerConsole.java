package io.connectha.pgbouncer;

import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.PgbouncerSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.pg.PgConnector;
import io.connectha.pgbouncer.ConsoleCommand.Verb;
import io.connectha.pgbouncer.PgbouncerChange.Outcome;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code connect ha pgbouncer} asks of PgBouncer's admin console: one console connection per
 * call, with the connect and read timeouts given. Changes are safe to repeat: PgBouncer refuses a
 * second PAUSE and a RESUME when not paused, and those refusals read as "already so".
 */
public final class PgbouncerConsole {

    /** PgBouncer's words (1.18) when the state asked for is already the state it is in. */
    static final String ALREADY_PAUSED = "already suspended/paused";
    static final String NOT_PAUSED = "pooler is not paused/suspended";
    static final String DATABASE_NOT_PAUSED = "is not paused";

    private static final String COMPONENT = "PgBouncer admin console";

    private final PgbouncerSpec spec;
    private final SecretResolver secrets;
    private final PgbouncerAdmin admin;
    private final Duration readTimeout;

    public PgbouncerConsole(LoadedCluster cluster, SecretResolver secrets, Duration connectTimeout, Duration readTimeout) {
        this.spec = cluster.spec().pgbouncer();
        this.secrets = secrets;
        this.admin = new PgbouncerAdmin(new PgConnector(connectTimeout, readTimeout));
        this.readTimeout = readTimeout;
    }

    public PgbouncerPools pools() {
        return new PgbouncerPools(spec.address(), withConsole(c -> PgbouncerAdmin.pools(c)));
    }

    /** A SHOW command's rows, without those of the console's own pseudo-database. */
    public PgbouncerListing show(PgbouncerShow what) {
        PgbouncerAdmin.Answer answer = withConsole(c -> PgbouncerAdmin.show(c, what));
        List<Map<String, Object>> rows = answer.rows().stream()
                .filter(r -> !PgbouncerAdmin.CONSOLE_DATABASE.equals(r.get("database")))
                .toList();
        return new PgbouncerListing(spec.address(), what.sql(), answer.columns(), rows);
    }

    /**
     * PAUSE: PgBouncer stops handing out server connections; new queries wait (cl_waiting) until
     * RESUME. It answers only once running transactions have finished, so {@code wait} bounds that.
     */
    public PgbouncerChange pause(String database, Duration wait, boolean dryRun) {
        ConsoleCommand command = new ConsoleCommand(Verb.PAUSE, database);
        return withConsole(c -> {
            if (database != null && databasePaused(c, database)) {
                return unchanged(command, dryRun, Outcome.already_paused);
            }
            if (dryRun) {
                return unchanged(command, true, Outcome.dry_run);
            }
            Instant start = Instant.now();
            Optional<String> refusal;
            try {
                refusal = PgbouncerAdmin.command(c, command, wait);
            } catch (PgbouncerAdmin.ConsoleException e) {
                if (e.timedOut()) {
                    throw new ConnectError(ConnectError.Kind.FAILURE, "PgBouncer at " + spec.address() + " had not finished "
                            + command.sql() + " within " + wait.toMillis() + " ms: transactions are still running; it stays pausing"
                            + " (new queries wait) until `connect ha pgbouncer resume" + (database == null ? "" : " " + database) + "`", e);
                }
                throw e;
            }
            Duration took = Duration.between(start, Instant.now());
            return refusal.map(message -> refusalOutcome(command, message))
                    .orElseGet(() -> new PgbouncerChange(spec.address(), command.sql(), database, false, true, Outcome.paused, took));
        });
    }

    public PgbouncerChange resume(String database, boolean dryRun) {
        ConsoleCommand command = new ConsoleCommand(Verb.RESUME, database);
        return withConsole(c -> {
            if (database != null && !databasePaused(c, database)) {
                return unchanged(command, dryRun, Outcome.already_running);
            }
            if (dryRun) {
                return unchanged(command, true, Outcome.dry_run);
            }
            Instant start = Instant.now();
            Optional<String> refusal = PgbouncerAdmin.command(c, command, readTimeout);
            Duration took = Duration.between(start, Instant.now());
            return refusal.map(message -> refusalOutcome(command, message))
                    .orElseGet(() -> new PgbouncerChange(spec.address(), command.sql(), database, false, true, Outcome.resumed, took));
        });
    }

    /** RELOAD: PgBouncer rereads its configuration file and userlist. */
    public PgbouncerChange reload(boolean dryRun) {
        ConsoleCommand command = new ConsoleCommand(Verb.RELOAD, null);
        return withConsole(c -> {
            if (dryRun) {
                return unchanged(command, true, Outcome.dry_run);
            }
            Instant start = Instant.now();
            Optional<String> refusal = PgbouncerAdmin.command(c, command, readTimeout);
            Duration took = Duration.between(start, Instant.now());
            return refusal.map(message -> refusalOutcome(command, message))
                    .orElseGet(() -> new PgbouncerChange(spec.address(), command.sql(), null, false, true, Outcome.reloaded, took));
        });
    }

    private PgbouncerChange refusalOutcome(ConsoleCommand command, String message) {
        return new PgbouncerChange(spec.address(), command.sql(), command.database(), false, true,
                interpretRefusal(command, spec.address(), message), Duration.ZERO);
    }

    /**
     * A refusal that means "already so" (a second PAUSE, a RESUME when not paused) becomes that
     * outcome; any other is a failure that quotes PgBouncer.
     */
    static Outcome interpretRefusal(ConsoleCommand command, String address, String message) {
        boolean alreadySo = switch (command.verb()) {
            case PAUSE -> message.contains(ALREADY_PAUSED);
            case RESUME -> message.contains(command.database() == null ? NOT_PAUSED : DATABASE_NOT_PAUSED);
            case RELOAD -> false;
        };
        if (!alreadySo) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "PgBouncer at " + address + " refused " + command.sql() + ": " + message);
        }
        return command.verb() == Verb.PAUSE ? Outcome.already_paused : Outcome.already_running;
    }

    private PgbouncerChange unchanged(ConsoleCommand command, boolean dryRun, Outcome outcome) {
        return new PgbouncerChange(spec.address(), command.sql(), command.database(), dryRun, false, outcome, Duration.ZERO);
    }

    /** Whether PAUSE db is in effect, from SHOW DATABASES; an unknown database is the caller's mistake. */
    private boolean databasePaused(Connection console, String database) {
        if (database.equals(PgbouncerAdmin.CONSOLE_DATABASE)) {
            throw ConnectError.invalidInput("'" + database + "' is PgBouncer's admin console, not a pool; it cannot be paused");
        }
        List<Map<String, Object>> databases = PgbouncerAdmin.show(console, PgbouncerShow.DATABASES).rows();
        Map<String, Object> row = databases.stream().filter(r -> database.equals(r.get("name"))).findFirst()
                .orElseThrow(() -> ConnectError.invalidInput("PgBouncer at " + spec.address() + " has no database '" + database
                        + "' (it has: " + String.join(", ", databases.stream().map(r -> String.valueOf(r.get("name")))
                        .filter(n -> !n.equals(PgbouncerAdmin.CONSOLE_DATABASE)).toList()) + ")"));
        return row.get("paused") instanceof Number n && n.intValue() != 0;
    }

    private <T> T withConsole(Function<Connection, T> work) {
        Connection console = admin.open(spec, secrets.password(SecretName.pgbouncer_admin));
        try {
            return work.apply(console);
        } catch (PgbouncerAdmin.ConsoleException e) {
            throw ConnectError.unreachable(COMPONENT, spec.address(), readTimeout,
                    e.timedOut() ? "no answer (timed out)" : e.getMessage(), e);
        } finally {
            io.connectha.pg.Sql.close(console);
        }
    }
}
