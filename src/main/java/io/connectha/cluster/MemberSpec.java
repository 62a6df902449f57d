package io.connectha.cluster;

/**
 * One PostgreSQL member, managed by its own Patroni.
 *
 * @param host        the address PostgreSQL and Patroni listen on and others connect to
 * @param patroniPort Patroni's REST API port
 */
public record MemberSpec(String name, String host, Integer port, Integer patroniPort, String dataDir, MemberTags tags) {

    MemberSpec withDefaults(PostgresSpec pg) {
        return new MemberSpec(name, host,
                port == null ? pg.port() : port,
                patroniPort == null ? 8008 : patroniPort,
                dataDir == null ? pg.dataDirRoot() + "/" + name : dataDir,
                tags == null ? MemberTags.NONE : tags.withDefaults());
    }

    public String address() {
        return host + ":" + port;
    }

    public String restAddress() {
        return host + ":" + patroniPort;
    }

    /** The physical replication slot this member streams from: Patroni's naming, the member name. */
    public String slotName() {
        return name.replaceAll("[^a-z0-9_]", "_");
    }
}
