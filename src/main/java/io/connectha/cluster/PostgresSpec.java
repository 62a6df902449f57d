package io.connectha.cluster;

import java.util.List;
import java.util.Map;

/**
 * PostgreSQL settings shared by every member.
 *
 * @param memory             the memory of the target machines, for sizing; {@code config generate --memory} overrides it
 * @param networks           client networks (CIDR) where the app user may connect from directly
 * @param adminNetworks      networks (CIDR) where the superuser may connect from, for operators and monitoring
 * @param replicationPassfile where a standby finds the replication password (libpq passfile, mode 0600)
 * @param parameters         extra postgresql.conf settings, applied last
 * @param sslmode            libpq's sslmode for every connection connect makes to PostgreSQL; null: pgjdbc's default (prefer)
 * @param sslRootCert        the CA that signed the servers' certificates (for verify-ca and verify-full)
 * @param sslCert            a client certificate, when the servers ask for one
 * @param sslKey             the client certificate's private key
 */
public record PostgresSpec(
        Integer version,
        String binDir,
        String dataDirRoot,
        String database,
        String superuser,
        String replicationUser,
        String appUser,
        Integer port,
        Integer maxConnections,
        ByteSize memory,
        Storage storage,
        ByteSize walKeepSize,
        Integer maxWalSenders,
        Integer maxReplicationSlots,
        List<String> networks,
        List<String> adminNetworks,
        String unixSocketDir,
        String replicationPassfile,
        Map<String, String> parameters,
        SslMode sslmode,
        String sslRootCert,
        String sslCert,
        String sslKey) {

    public enum Storage { ssd, hdd }

    /** libpq's sslmode values, as pgjdbc takes them. */
    public enum SslMode {
        disable, allow, prefer, require,
        @com.fasterxml.jackson.annotation.JsonProperty("verify-ca") verify_ca,
        @com.fasterxml.jackson.annotation.JsonProperty("verify-full") verify_full;

        /** As libpq and pgjdbc spell it. */
        public String libpqName() {
            return name().replace('_', '-');
        }
    }

    static final PostgresSpec EMPTY = new PostgresSpec(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    PostgresSpec resolvedAgainst(java.nio.file.Path clusterFile) {
        return new PostgresSpec(version, binDir, dataDirRoot, database, superuser, replicationUser, appUser, port, maxConnections,
                memory, storage, walKeepSize, maxWalSenders, maxReplicationSlots, networks, adminNetworks, unixSocketDir,
                replicationPassfile, parameters, sslmode, TlsSpec.resolve(clusterFile, sslRootCert),
                TlsSpec.resolve(clusterFile, sslCert), TlsSpec.resolve(clusterFile, sslKey));
    }

    PostgresSpec withDefaults() {
        int v = version == null ? 15 : version;
        String root = dataDirRoot == null ? "/var/lib/postgresql/" + v : dataDirRoot;
        String db = database == null ? "app" : database;
        return new PostgresSpec(v,
                binDir == null ? "/usr/lib/postgresql/" + v + "/bin" : binDir,
                root,
                db,
                superuser == null ? "postgres" : superuser,
                replicationUser == null ? "replicator" : replicationUser,
                appUser == null ? db : appUser,
                port == null ? 5432 : port,
                maxConnections == null ? 200 : maxConnections,
                memory,
                storage == null ? Storage.ssd : storage,
                walKeepSize == null ? ByteSize.ofMegabytes(1024) : walKeepSize,
                maxWalSenders == null ? 10 : maxWalSenders,
                maxReplicationSlots == null ? 10 : maxReplicationSlots,
                networks == null ? List.of() : List.copyOf(networks),
                adminNetworks == null ? List.of() : List.copyOf(adminNetworks),
                unixSocketDir == null ? "/var/run/postgresql" : unixSocketDir,
                replicationPassfile == null ? root + "/replication.pgpass" : replicationPassfile,
                // file order, and the same order every run: Map.copyOf's iteration order changes between JVMs
                parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters)),
                sslmode, sslRootCert, sslCert, sslKey);
    }
}
