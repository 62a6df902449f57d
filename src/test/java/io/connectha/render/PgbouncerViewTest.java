package io.connectha.render;

import io.connectha.pgbouncer.PgbouncerChange;
import io.connectha.pgbouncer.PgbouncerChange.Outcome;
import io.connectha.pgbouncer.PgbouncerListing;
import io.connectha.pgbouncer.PgbouncerPool;
import io.connectha.pgbouncer.PgbouncerPools;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PgbouncerViewTest {

    private static final PgbouncerPools POOLS = new PgbouncerPools("127.0.0.10:6432",
            List.of(new PgbouncerPool("app", "app", 1, 2, 3, 4, 5, Duration.ofMillis(1500), "transaction")));

    @Test
    void pools_show_every_typed_field_with_the_wait_for_people() {
        String table = render(out -> PgbouncerView.print(out, POOLS));
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table).startsWith("DATABASE  USER  CL ACTIVE  CL WAITING  SV ACTIVE  SV IDLE  SV USED  MAX WAIT  MODE");
        assertThat(table.lines().skip(2).findFirst().orElseThrow().split("\\s+"))
                .containsExactly("app", "app", "1", "2", "3", "4", "5", "1.5", "s", "transaction");
    }

    @Test
    void pools_json_has_snake_case_fields_and_the_wait_in_seconds() {
        String json = Renderer.json(POOLS);
        assertThat(json).contains("\"address\" : \"127.0.0.10:6432\"", "\"cl_active\" : 1", "\"cl_waiting\" : 2", "\"sv_active\" : 3",
                "\"sv_idle\" : 4", "\"sv_used\" : 5", "\"max_wait\" : 1.5", "\"pool_mode\" : \"transaction\"");
    }

    @Test
    void a_listing_keeps_pgbouncers_columns_in_its_order_whatever_they_are() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("type", "C");
        row.put("user", "app");
        row.put("zzz_new_in_a_later_version", 42);
        row.put("link", null);
        PgbouncerListing listing = new PgbouncerListing("b:6432", "SHOW CLIENTS", List.of("type", "user", "zzz_new_in_a_later_version", "link"),
                List.of(row));
        String table = render(out -> PgbouncerView.print(out, listing));
        assertThat(table.lines().findFirst().orElseThrow()).isEqualTo("TYPE  USER  ZZZ_NEW_IN_A_LATER_VERSION  LINK");
        assertThat(table.lines().skip(2).findFirst().orElseThrow()).isEqualTo("C     app   42");
        assertThat(Renderer.json(listing)).contains("\"zzz_new_in_a_later_version\" : 42", "\"columns\" : [ \"type\"");
    }

    @Test
    void an_empty_listing_still_shows_its_columns() {
        PgbouncerListing listing = new PgbouncerListing("b:6432", "SHOW SERVERS", List.of("type", "user"), List.of());
        assertThat(render(out -> PgbouncerView.print(out, listing))).isEqualTo("TYPE  USER\n----------\n");
    }

    @Test
    void each_outcome_says_what_happened_in_one_line() {
        assertThat(PgbouncerView.message(change("PAUSE", null, Outcome.paused, Duration.ofMillis(2500))))
                .isEqualTo("Paused PgBouncer at b:6432 (PAUSE, 2.5 s): new queries wait until `connect ha pgbouncer resume`.");
        assertThat(PgbouncerView.message(change("PAUSE app", "app", Outcome.paused, Duration.ofMillis(3))))
                .endsWith("until `connect ha pgbouncer resume app`.");
        assertThat(PgbouncerView.message(change("PAUSE", null, Outcome.already_paused, Duration.ZERO)))
                .isEqualTo("PgBouncer at b:6432 was already paused: nothing changed.");
        assertThat(PgbouncerView.message(change("RESUME app", "app", Outcome.already_running, Duration.ZERO)))
                .isEqualTo("Database app on PgBouncer at b:6432 was not paused: nothing changed.");
        assertThat(PgbouncerView.message(change("RELOAD", null, Outcome.dry_run, Duration.ZERO)))
                .isEqualTo("Would send RELOAD to PgBouncer at b:6432 (dry run: nothing sent).");
        for (Outcome o : Outcome.values()) {
            assertThat(PgbouncerView.message(change("PAUSE", null, o, Duration.ZERO))).doesNotContain("\n").isNotBlank();
        }
    }

    private static PgbouncerChange change(String command, String database, Outcome outcome, Duration took) {
        return new PgbouncerChange("b:6432", command, database, outcome == Outcome.dry_run, outcome != Outcome.dry_run, outcome, took);
    }

    private static String render(Consumer<PrintWriter> view) {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        view.accept(out);
        out.flush();
        return s.toString();
    }
}
