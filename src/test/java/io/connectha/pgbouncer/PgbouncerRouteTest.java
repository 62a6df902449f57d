package io.connectha.pgbouncer;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgbouncerRouteTest {

    private static Map<String, Object> row(String name, String database, String host, Object port, Object paused) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("host", host);
        r.put("port", port);
        r.put("database", database);
        r.put("pool_size", 20);
        r.put("paused", paused);
        return r;
    }

    @Test
    void show_databases_rows_become_routes_without_the_console_and_with_paused_read_as_a_number() {
        List<PgbouncerRoute> routes = PgbouncerRoute.of(List.of(
                row("orders_rw", "orders", "127.0.0.10", 23640, 1),
                row("pgbouncer", "pgbouncer", null, 6432, 0),
                row("app", "app", "10.0.0.5", "5000", "0")));
        assertThat(routes).containsExactly(new PgbouncerRoute("orders_rw", "orders", "127.0.0.10", 23640, true),
                new PgbouncerRoute("app", "app", "10.0.0.5", 5000, false));
        assertThat(routes.get(0).address()).isEqualTo("127.0.0.10:23640");
        assertThat(new PgbouncerRoute("x", "x", null, 5432, false).overTcp()).isFalse();
    }
}
