package io.connectha.render;

import io.connectha.units.Units;

import io.connectha.pgbouncer.PgbouncerChange;
import io.connectha.pgbouncer.PgbouncerListing;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.pgbouncer.PgbouncerPools;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** {@code connect ha pgbouncer ...} for people. */
public final class PgbouncerView {

    private PgbouncerView() {
    }

    public static void print(PrintWriter out, PgbouncerPools pools) {
        // the database each pool reaches, only when some pool is an alias: otherwise it repeats the first column
        boolean aliases = pools.pools().stream().anyMatch(PgbouncerPool::isAlias);
        Table t = aliases
                ? new Table("DATABASE", "REACHES", "USER", "CL ACTIVE", "CL WAITING", "SV ACTIVE", "SV IDLE", "SV USED", "MAX WAIT", "MODE")
                : new Table("DATABASE", "USER", "CL ACTIVE", "CL WAITING", "SV ACTIVE", "SV IDLE", "SV USED", "MAX WAIT", "MODE");
        for (PgbouncerPool p : pools.pools()) {
            if (aliases) {
                t.row(p.database(), p.dbname() == null ? "" : p.dbname(), p.user(), p.clActive(), p.clWaiting(), p.svActive(), p.svIdle(),
                        p.svUsed(), Units.humanDuration(p.maxWait()), p.poolMode());
            } else {
                t.row(p.database(), p.user(), p.clActive(), p.clWaiting(), p.svActive(), p.svIdle(), p.svUsed(),
                        Units.humanDuration(p.maxWait()), p.poolMode());
            }
        }
        t.print(out);
    }

    /** Whatever columns PgBouncer returned, under its own names. */
    public static void print(PrintWriter out, PgbouncerListing listing) {
        Table t = new Table(listing.columns().stream().map(c -> c.toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (Map<String, Object> row : listing.rows()) {
            t.row(listing.columns().stream().map(row::get).toArray());
        }
        t.print(out);
    }

    public static void print(PrintWriter out, PgbouncerChange c) {
        out.println(message(c));
    }

    static String message(PgbouncerChange c) {
        String what = c.database() == null ? "PgBouncer at " + c.address() : "database " + c.database() + " on PgBouncer at " + c.address();
        String resumeHint = "connect ha pgbouncer resume" + (c.database() == null ? "" : " " + c.database());
        return switch (c.outcome()) {
            case paused -> "Paused " + what + " (" + c.command() + ", " + Units.humanDuration(c.took())
                    + "): new queries wait until `" + resumeHint + "`.";
            case already_paused -> capitalise(what) + " was already paused: nothing changed.";
            case resumed -> "Resumed " + what + " (" + c.command() + "): waiting queries go ahead.";
            case already_running -> capitalise(what) + " was not paused: nothing changed.";
            case reloaded -> capitalise(what) + " reloaded its configuration (" + c.command() + ").";
            case dry_run -> "Would send " + c.command() + " to " + what + " (dry run: nothing sent).";
        };
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
