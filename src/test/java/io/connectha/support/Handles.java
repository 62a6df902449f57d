package io.connectha.support;

import io.connectha.pg.PgConnector;
import io.connectha.pg.PgConnector.Endpoint;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Jdbi handles for the tests, over connect's own connector (its timeouts and one-line errors). connect's
 * main code runs SQL through pg.Sql instead: Jdbi's first query costs ~200 ms of class loading in a fresh JVM.
 */
public final class Handles {

    private Handles() {
    }

    public static Handle open(PgConnector pg, Endpoint endpoint, String password) {
        return Jdbi.open(pg.connect(endpoint, password));
    }

    /** Through a transaction-pooling PgBouncer: no server-side prepared statements. */
    public static Handle openPooled(PgConnector pg, Endpoint endpoint, String password) {
        return Jdbi.open(pg.connect(endpoint, password, PgConnector.Mode.TRANSACTION_POOLED));
    }
}
