package io.connectha.render;

import io.connectha.discover.DiscoveryReport;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiscoveryViewTest {

    private static final DiscoveryReport REPORT = new DiscoveryReport("/etc/connect/orders.yaml", "created", "name: orders\n",
            List.of(new DiscoveryReport.Found("haproxy.write_backend", "pg_primary",
                    "HAProxy socket /run/haproxy/admin.sock: only its UP server is the leader (10.0.1.11:5432)")),
            List.of(new DiscoveryReport.Missing("postgresql.app_user", "no source names the application's user")),
            List.of(new DiscoveryReport.Secret("superuser", "dba", "env CONNECT_SUPERUSER_PASSWORD"),
                    new DiscoveryReport.Secret("app", "orders", "file /etc/connect/secrets/app.password")),
            List.of(new DiscoveryReport.Check("member b PostgreSQL at 10.0.1.12:5432", false, "no answer")),
            List.of("HAProxy binds every address (*)"));

    @Test
    void stderr_has_one_line_per_finding_secret_check_and_warning_then_what_was_done() {
        StringWriter err = new StringWriter();
        DiscoveryView.summary(new PrintWriter(err), REPORT);
        assertThat(err.toString().lines()).containsExactly(
                "found    haproxy.write_backend = pg_primary  (from HAProxy socket /run/haproxy/admin.sock: only its UP server is the leader (10.0.1.11:5432))",
                "missing  postgresql.app_user: no source names the application's user",
                "secret   superuser (password of dba): set CONNECT_SUPERUSER_PASSWORD",
                "secret   app (password of orders): put it in /etc/connect/secrets/app.password (first line, mode 0600)",
                "check    FAILED member b PostgreSQL at 10.0.1.12:5432: no answer",
                "warning: HAProxy binds every address (*)",
                "wrote /etc/connect/orders.yaml (created)");
    }

    @Test
    void stdout_has_the_file_only_when_it_was_not_written_to_one() {
        StringWriter out = new StringWriter();
        DiscoveryView.print(new PrintWriter(out, true), REPORT);
        assertThat(out.toString()).isEmpty();
        DiscoveryReport printed = new DiscoveryReport(null, "printed", "name: orders\n", List.of(), List.of(), List.of(), List.of(), List.of());
        DiscoveryView.print(new PrintWriter(out, true), printed);
        assertThat(out.toString()).isEqualTo("name: orders\n");
    }

    @Test
    void the_json_report_has_the_documented_fields() {
        assertThat(Renderer.json(REPORT)).contains("\"file\" : \"/etc/connect/orders.yaml\"", "\"action\" : \"created\"",
                "\"found\" : [ {", "\"item\" : \"haproxy.write_backend\"", "\"missing\" : [ {", "\"secrets\" : [ {",
                "\"source\" : \"env CONNECT_SUPERUSER_PASSWORD\"", "\"checks\" : [ {", "\"ok\" : false", "\"warnings\" : [ \"HAProxy binds");
    }
}
