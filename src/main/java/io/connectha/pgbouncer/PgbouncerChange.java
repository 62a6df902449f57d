package io.connectha.pgbouncer;

import java.time.Duration;

/**
 * What a PAUSE, RESUME or RELOAD did.
 *
 * @param command  the console command, such as {@code PAUSE app}
 * @param database null for the whole PgBouncer
 * @param sent     whether the command was sent (not with --dry-run, nor when the state already was the one asked for)
 * @param took     how long PgBouncer took to answer; PAUSE waits for running transactions to finish
 */
public record PgbouncerChange(String address, String command, String database, boolean dryRun, boolean sent,
                              Outcome outcome, Duration took) {

    public enum Outcome { paused, already_paused, resumed, already_running, reloaded, dry_run }
}
