package io.connectha.support;

import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.pg.PgConnector;
import io.connectha.pg.Sql;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;

/** SQL straight to one member of the shared lab, as the superuser: what a test sees for itself. */
public final class LabSql {

    private LabSql() {
    }

    public static <T> List<T> list(LabExtension.RunningLab lab, String member, String database, String sql, Sql.RowMapper<T> mapper) {
        Connection c = connect(lab, member, database);
        try {
            return Sql.list(c, sql, mapper);
        } finally {
            Sql.close(c);
        }
    }

    public static <T> T one(LabExtension.RunningLab lab, String member, String database, String sql, Sql.RowMapper<T> mapper) {
        List<T> rows = list(lab, member, database, sql, mapper);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + sql + " on " + member + ", got " + rows.size());
        }
        return rows.get(0);
    }

    /** The one text value the query returns. */
    public static String text(LabExtension.RunningLab lab, String member, String database, String sql) {
        return one(lab, member, database, sql, rs -> rs.getString(1));
    }

    public static void execute(LabExtension.RunningLab lab, String member, String database, String sql) {
        Connection c = connect(lab, member, database);
        try {
            Sql.execute(c, sql);
        } finally {
            Sql.close(c);
        }
    }

    private static Connection connect(LabExtension.RunningLab lab, String member, String database) {
        MemberSpec m = lab.cluster().spec().member(member).orElseThrow();
        return new PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(10)).connect(new PgConnector.Endpoint("PostgreSQL on " + member,
                m.host(), m.port(), database, lab.cluster().spec().postgresql().superuser()), lab.secrets().password(SecretName.superuser));
    }
}
