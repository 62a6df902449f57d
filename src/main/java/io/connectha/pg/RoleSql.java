package io.connectha.pg;

import io.connectha.cluster.ClusterSpec;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * SQL (for psql) that creates or updates the application role and its databases. The password is a
 * SCRAM verifier, never clear text, and the same one PgBouncer's userlist.txt holds: PgBouncer can
 * then pass SCRAM authentication through to PostgreSQL.
 */
public final class RoleSql {

    private RoleSql() {
    }

    public static String render(String header, ClusterSpec spec, String appVerifier) {
        String app = spec.postgresql().appUser();
        Set<String> databases = new LinkedHashSet<>();
        databases.add(spec.postgresql().database());
        spec.pgbouncer().databases().forEach(db -> databases.add(db.dbname()));
        StringBuilder sb = new StringBuilder();
        sb.append("-- ").append(header).append('\n');
        sb.append("-- Run with psql as the superuser; safe to run again.\n");
        sb.append("SELECT format('CREATE ROLE %I LOGIN', ").append(literal(app))
                .append(") WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ").append(literal(app)).append(")\\gexec\n");
        sb.append("ALTER ROLE ").append(ident(app)).append(" LOGIN PASSWORD ").append(literal(appVerifier)).append(";\n");
        for (String db : databases) {
            sb.append("SELECT format('CREATE DATABASE %I OWNER %I', ").append(literal(db)).append(", ").append(literal(app))
                    .append(") WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = ").append(literal(db)).append(")\\gexec\n");
        }
        return sb.toString();
    }

    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
