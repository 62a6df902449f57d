package io.connectha.pgbouncer;

/** The console's SHOW commands this tool reads. Only these fixed words reach the console. */
public enum PgbouncerShow {
    POOLS, STATS, CLIENTS, SERVERS, DATABASES;

    public String sql() {
        return "SHOW " + name();
    }
}
