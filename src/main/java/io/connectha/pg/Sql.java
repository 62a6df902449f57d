package io.connectha.pg;

import io.connectha.error.ConnectError;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way connect's own code runs SQL: plain JDBC, one statement, rows mapped, errors made one line.
 * Not Jdbi: its first query costs about 200 ms of class loading in a fresh JVM, most of what a cron
 * check may spend (see PgConnector). The tests use Jdbi, where that cost does not matter.
 */
public final class Sql {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rows(rs, mapper);
        } catch (SQLException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "query failed: " + firstLine(e.getMessage()), e);
        }
    }

    /** A query with parameters ({@code ?}), bound in order; a {@code String[]} is bound as a text array. */
    public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) {
        if (params.length == 0) {
            return list(c, sql, mapper);
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object value = params[i] instanceof String[] texts ? c.createArrayOf("text", texts) : params[i];
                s.setObject(i + 1, value);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rows(rs, mapper);
            }
        } catch (SQLException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "query failed: " + firstLine(e.getMessage()), e);
        }
    }

    private static <T> List<T> rows(ResultSet rs, RowMapper<T> mapper) throws SQLException {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
            rows.add(mapper.map(rs));
        }
        return rows;
    }

    public static <T> T one(Connection c, String sql, RowMapper<T> mapper) {
        List<T> rows = list(c, sql, mapper);
        if (rows.size() != 1) {
            throw new ConnectError(ConnectError.Kind.FAILURE, "expected one row, got " + rows.size() + " from: " + sql);
        }
        return rows.get(0);
    }

    /** Rows as column name to value, in the server's column order: for PgBouncer's SHOW commands. */
    public static List<Map<String, Object>> maps(Connection c, String sql) {
        return list(c, sql, rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
            }
            return row;
        });
    }

    /** Whether the far end runs a query at all; through a pooler, that it handed out a server connection. */
    public static boolean answers(Connection c) {
        return one(c, "SELECT 1", rs -> rs.getInt(1)) == 1;
    }

    public static void execute(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new ConnectError(ConnectError.Kind.FAILURE, firstLine(e.getMessage()), e);
        }
    }

    public static void close(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException ignored) {
            // closing a connection that already broke: nothing to do
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse(s);
    }
}
