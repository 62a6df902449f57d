package io.connectha.drill;

import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N clients writing through the write path, each row with a unique sequence number, each outcome and
 * latency recorded. Every acknowledged write goes into the ledger with the member that acknowledged it
 * ({@code inet_server_addr()}). Clients reconnect at once after a failure, with short timeouts: a slow
 * client would make the RTO look worse than the cluster's.
 */
final class WriteLoad {

    /**
     * An acknowledged write: sent and acknowledged at (System.nanoTime), by which member address, and
     * that member's WAL insert position after the row, before its commit record (for RPO in bytes).
     */
    record Ack(long seq, int client, long sentNanos, long ackNanos, String member, long lsn) {
    }

    /** A write that failed: not acknowledged, so never counted as lost. */
    record Failure(long seq, int client, long atNanos, String message) {
    }

    private final PgConnector pg;
    private final PgConnector.Endpoint endpoint;
    private final String password;
    private final PgConnector.Mode mode;
    private final String table;
    private final AtomicLong sequence;
    private final int firstClient;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<List<Ack>> acks = new ArrayList<>();
    private final List<List<Failure>> failures = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    WriteLoad(PgConnector pg, PgConnector.Endpoint endpoint, String password, PgConnector.Mode mode) {
        this(pg, endpoint, password, mode, "connect_drill");
    }

    /** Into {@code table} (seq bigint PRIMARY KEY, client int), for a drill that keeps its own table. */
    WriteLoad(PgConnector pg, PgConnector.Endpoint endpoint, String password, PgConnector.Mode mode, String table) {
        this(pg, endpoint, password, mode, table, 0, 0);
    }

    /**
     * Writers whose rows do not collide with another load's on the same table: sequence numbers after {@code seqsFrom},
     * client numbers from {@code firstClient}.
     */
    WriteLoad(PgConnector pg, PgConnector.Endpoint endpoint, String password, PgConnector.Mode mode, String table, long seqsFrom,
              int firstClient) {
        this.pg = pg;
        this.endpoint = endpoint;
        this.password = password;
        this.mode = mode;
        this.table = table;
        this.sequence = new AtomicLong(seqsFrom);
        this.firstClient = firstClient;
    }

    void start(int clients) {
        for (int i = 0; i < clients; i++) {
            List<Ack> a = new ArrayList<>();
            List<Failure> f = new ArrayList<>();
            acks.add(a);
            failures.add(f);
            int client = firstClient + i;
            Thread t = new Thread(() -> write(client, a, f), "drill-client-" + client);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void write(int client, List<Ack> acked, List<Failure> failed) {
        Connection c = null;
        PreparedStatement insert = null;
        while (running.get()) {
            long seq = sequence.incrementAndGet();
            long sent = System.nanoTime();
            try {
                if (c == null) {
                    c = pg.connect(endpoint, password, mode);
                    insert = c.prepareStatement("INSERT INTO " + table + " (seq, client) VALUES (?, ?) "
                            + "RETURNING host(inet_server_addr()) || ':' || inet_server_port(), pg_current_wal_insert_lsn() - '0/0'::pg_lsn");
                }
                insert.setLong(1, seq);
                insert.setInt(2, client);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    long ack = System.nanoTime();
                    acked.add(new Ack(seq, client, sent, ack, rs.getString(1), rs.getLong(2)));
                }
            } catch (Exception e) {
                failed.add(new Failure(seq, client, System.nanoTime(), e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().lines().findFirst().orElse("")));
                Sql.close(c);
                c = null;
                pause(20);
            }
        }
        Sql.close(c);
    }

    void stop() {
        running.set(false);
        join(threads);
    }

    /** Waits for client threads to finish their current statement (each has a 2 s read timeout). */
    static void join(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<Ack> acks() {
        List<Ack> all = new ArrayList<>();
        acks.forEach(all::addAll);
        return all;
    }

    List<List<Ack>> acksByClient() {
        return acks;
    }

    List<Failure> failures() {
        List<Failure> all = new ArrayList<>();
        failures.forEach(all::addAll);
        return all;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
