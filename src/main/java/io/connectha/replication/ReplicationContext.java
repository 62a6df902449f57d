package io.connectha.replication;

import io.connectha.pg.Endpoints;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.LoadedCluster;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.SecretName;
import io.connectha.cluster.SecretResolver;
import io.connectha.error.ConnectError;
import io.connectha.pg.PgConnector;

import java.sql.Connection;
import java.time.Duration;

/**
 * What every replication operation needs: the cluster, its secrets, superuser connections to its
 * members and local control of their servers. Built once per command.
 */
public final class ReplicationContext {

    private final LoadedCluster cluster;
    private final SecretResolver secrets;
    private final PgConnector connector;
    private final PostgresControl control;

    public ReplicationContext(LoadedCluster cluster, SecretResolver secrets, Duration connectTimeout, Duration readTimeout,
                              PostgresControl control) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.connector = new PgConnector(connectTimeout, readTimeout);
        this.control = control;
    }

    public ClusterSpec spec() {
        return cluster.spec();
    }

    public PostgresControl control() {
        return control;
    }

    public String password(SecretName name) {
        return secrets.password(name);
    }

    public MemberSpec member(String name) {
        return spec().member(name).orElseThrow(() -> ConnectError.invalidInput("no member " + name + " in the cluster file; members: "
                + String.join(", ", spec().members().stream().map(MemberSpec::name).toList())));
    }

    /**
     * The member at HOST:PORT, or a member-like stand-in when the address is none of the cluster
     * file's (a primary being set up before the file lists it); null picks the first member.
     */
    public MemberSpec primary(String hostPort) {
        if (hostPort == null) {
            return spec().initialPrimary();
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw ConnectError.invalidInput("--primary " + hostPort + ": expected HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ConnectError.invalidInput("--primary " + hostPort + ": the port is not a number");
        }
        return spec().members().stream().filter(m -> m.host().equals(host) && m.port() == port).findFirst()
                .orElse(new MemberSpec("primary", host, port, 8008, null, null));
    }

    /** A superuser connection to the postgres database of {@code m}; errors name the member and address. */
    public Connection superuser(MemberSpec m) {
        return connector.connect(Endpoints.memberAsSuperuser(spec(), m), password(SecretName.superuser));
    }
}
