package io.connectha.config;

import io.connectha.pg.ConnectionStrings;

import io.connectha.config.DsnService;

/**
 * A connection string for the application user, and what it leads to.
 *
 * @param member            the member it names, for {@code --via direct}; null through a proxy
 * @param transactionPooled whether a transaction-pooling PgBouncer is in the way (no server-side prepared statements)
 * @param containsPassword  whether {@code dsn} holds the password
 */
public record Dsn(String dsn, ConnectionStrings.Format format, DsnService.Role role, DsnService.Via via, String member,
                  String host, int port, String database, String user, boolean transactionPooled, boolean containsPassword) {
}
