package io.connectha.pg;

import java.sql.Connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

/**
 * The catalog queries behind status, lag checks and replication status. LSNs come back as
 * numbers ({@code lsn - '0/0'}), so arithmetic happens here once and never on strings.
 */
public final class ReplicationQueries {

    private ReplicationQueries() {
    }

    public static NodeState nodeState(Connection c) {
        return Sql.one(c, """
                        SELECT pg_is_in_recovery() AS in_recovery,
                               CASE WHEN pg_is_in_recovery() THEN NULL ELSE (pg_current_wal_lsn() - '0/0')::bigint END AS current_lsn,
                               (pg_last_wal_receive_lsn() - '0/0')::bigint AS receive_lsn,
                               (pg_last_wal_replay_lsn() - '0/0')::bigint AS replay_lsn,
                               pg_last_xact_replay_timestamp() AS last_replay,
                               (SELECT timeline_id FROM pg_control_checkpoint()) AS checkpoint_timeline,
                               (SELECT received_tli FROM pg_stat_wal_receiver) AS received_timeline,
                               (SELECT status FROM pg_stat_wal_receiver) AS receiver_status,
                               CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END AS replay_paused
                        """,
                rs -> new NodeState(rs.getBoolean("in_recovery"), longOrNull(rs, "current_lsn"),
                        longOrNull(rs, "receive_lsn"), longOrNull(rs, "replay_lsn"), instant(rs.getTimestamp("last_replay")),
                        timeline(rs), rs.getString("receiver_status"), rs.getBoolean("replay_paused")));
    }

    /** pg_stat_replication, on a primary. */
    public static List<ReplicationConnection> replication(Connection c) {
        return Sql.list(c, """
                        SELECT application_name, host(client_addr) AS client_addr, state, sync_state,
                               (sent_lsn - '0/0')::bigint AS sent, (write_lsn - '0/0')::bigint AS write,
                               (flush_lsn - '0/0')::bigint AS flush, (replay_lsn - '0/0')::bigint AS replay,
                               pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes,
                               (extract(epoch FROM write_lag) * 1000000)::bigint AS write_lag_us,
                               (extract(epoch FROM flush_lag) * 1000000)::bigint AS flush_lag_us,
                               (extract(epoch FROM replay_lag) * 1000000)::bigint AS replay_lag_us
                        FROM pg_stat_replication ORDER BY application_name
                        """,
                rs -> new ReplicationConnection(rs.getString("application_name"), rs.getString("client_addr"),
                        rs.getString("state"), rs.getString("sync_state"), longOrNull(rs, "sent"), longOrNull(rs, "write"),
                        longOrNull(rs, "flush"), longOrNull(rs, "replay"), longOrNull(rs, "lag_bytes"),
                        micros(rs, "write_lag_us"), micros(rs, "flush_lag_us"), micros(rs, "replay_lag_us")));
    }

    /** Replication slots and the WAL each retains on this server. */
    public static List<ReplicationSlot> slots(Connection c) {
        return Sql.list(c, """
                        SELECT slot_name, slot_type, active, (restart_lsn - '0/0')::bigint AS restart,
                               CASE WHEN restart_lsn IS NULL THEN NULL
                                    ELSE pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                                              ELSE pg_current_wal_lsn() END, restart_lsn)::bigint END AS retained,
                               wal_status
                        FROM pg_replication_slots ORDER BY slot_name
                        """,
                rs -> new ReplicationSlot(rs.getString("slot_name"), rs.getString("slot_type"), rs.getBoolean("active"),
                        longOrNull(rs, "restart"), longOrNull(rs, "retained"), rs.getString("wal_status")));
    }

    /** Whether the server is a standby (in recovery) rather than a primary. */
    public static boolean inRecovery(Connection c) {
        return Sql.one(c, "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1));
    }

    /** The member a connection actually reached: its server address and port. */
    public static String serverAddress(Connection c) {
        return Sql.one(c, "SELECT host(inet_server_addr()) || ':' || inet_server_port()", rs -> rs.getString(1));
    }

    private static Integer timeline(ResultSet rs) throws SQLException {
        long received = rs.getLong("received_timeline");
        if (!rs.wasNull() && received > 0) {
            return (int) received;
        }
        long checkpoint = rs.getLong("checkpoint_timeline");
        return rs.wasNull() ? null : (int) checkpoint;
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Duration micros(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofNanos(v * 1000);
    }

    private static java.time.Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
