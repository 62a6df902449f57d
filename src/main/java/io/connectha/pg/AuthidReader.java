package io.connectha.pg;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads SCRAM verifiers from pg_authid on a live member ({@code config generate --from-server}),
 * so that PgBouncer's userlist holds exactly what PostgreSQL holds.
 */
public final class AuthidReader {

    private final PgConnector connector;
    private final SecretResolver secrets;

    public AuthidReader(PgConnector connector, SecretResolver secrets) {
        this.connector = connector;
        this.secrets = secrets;
    }

    /** Verifiers by role, for those of {@code roles} that have a SCRAM password; from the first member that answers. */
    public Map<String, String> verifiers(ClusterSpec spec, List<String> roles) {
        String password = secrets.password(SecretName.superuser);
        ConnectError last = null;
        for (MemberSpec m : spec.members()) {
            PgConnector.Endpoint endpoint = Endpoints.memberAsSuperuser(spec, m);
            java.sql.Connection c = null;
            try {
                c = connector.connect(endpoint, password);
                Map<String, String> found = new LinkedHashMap<>();
                Sql.list(c, "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(?)",
                                rs -> Map.entry(rs.getString(1), String.valueOf(rs.getString(2))), (Object) roles.toArray(String[]::new))
                        .forEach(e -> {
                            if (ScramVerifier.isVerifier(e.getValue())) {
                                found.put(e.getKey(), e.getValue());
                            }
                        });
                return found;
            } catch (ConnectError e) {
                if (e.kind() != ConnectError.Kind.UNREACHABLE) {
                    throw e;
                }
                last = e;
            } finally {
                Sql.close(c);
            }
        }
        throw last != null ? last : ConnectError.invalidInput("the cluster has no members");
    }
}
