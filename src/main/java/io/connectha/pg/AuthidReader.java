package io.connectha.pg;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.net.FirstAnswer;

import java.time.Duration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads SCRAM verifiers from pg_authid on a live member ({@code config generate --from-server}),
 * so that PgBouncer's userlist holds exactly what PostgreSQL holds.
 */
public final class AuthidReader {

    /** For the threads and the query beyond the connector's timeouts. */
    private static final Duration MARGIN = Duration.ofMillis(500);

    private final PgConnector connector;
    private final SecretResolver secrets;

    public AuthidReader(PgConnector connector, SecretResolver secrets) {
        this.connector = connector;
        this.secrets = secrets;
    }

    /**
     * Verifiers by role, for those of {@code roles} that have a SCRAM password: every member is asked at
     * once and the first to answer wins (they all hold the same pg_authid), all within the connector's
     * connect + read timeout.
     */
    public Map<String, String> verifiers(ClusterSpec spec, List<String> roles) {
        String password = secrets.password(SecretName.superuser);
        Duration timeout = connector.connectTimeout().plus(connector.readTimeout());
        return FirstAnswer.among(spec.members(), m -> read(Endpoints.memberAsSuperuser(spec, m), password, roles),
                m -> ConnectError.unreachable(Endpoints.memberAsSuperuser(spec, m).component(), m.address(), timeout,
                        "no answer (timed out)", null),
                timeout.plus(MARGIN));
    }

    private Map<String, String> read(PgConnector.Endpoint endpoint, String password, List<String> roles) {
        java.sql.Connection c = connector.connect(endpoint, password);
        try {
            Map<String, String> found = new LinkedHashMap<>();
            Sql.list(c, "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(?)",
                            rs -> Map.entry(rs.getString(1), String.valueOf(rs.getString(2))), (Object) roles.toArray(String[]::new))
                    .forEach(e -> {
                        if (ScramVerifier.isVerifier(e.getValue())) {
                            found.put(e.getKey(), e.getValue());
                        }
                    });
            return found;
        } finally {
            Sql.close(c);
        }
    }
}
