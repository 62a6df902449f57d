package io.connectha.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.etcd.EtcdEndpointStatus;
import io.connectha.etcd.EtcdEntry;
import io.connectha.etcd.EtcdKey;
import io.connectha.etcd.EtcdKeyListing;
import io.connectha.etcd.EtcdLease;
import io.connectha.etcd.EtcdMember;
import io.connectha.etcd.EtcdStatus;
import io.connectha.etcd.EtcdValue;
import io.connectha.etcd.PatroniLeaderKey;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EtcdViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EtcdLease LEASE = new EtcdLease("46dda206e8a9f00c", Duration.ofSeconds(10), Duration.ofSeconds(8));

    private static String render(Consumer<PrintWriter> view) {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            view.accept(out);
        }
        return s.toString();
    }

    private static EtcdEntry member(String document) {
        EtcdValue v = EtcdValue.decode(document.getBytes(StandardCharsets.UTF_8), true);
        return new EtcdEntry("/service/lab/members/pg1", v.value(), v.format(), document.length(), 2, 116, 13, LEASE);
    }

    private static EtcdStatus status() {
        return new EtcdStatus(List.of(
                new EtcdEndpointStatus("http://127.0.0.21:2379", true, null, "34c56b55d23746dd", "etcd1", "3.4.23",
                        57_344L, "34c56b55d23746dd", "etcd1", 2L, 224L),
                EtcdEndpointStatus.unreachable("http://127.0.0.22:2379", "connection refused")),
                "etcd1", new PatroniLeaderKey("/service/lab/leader", "pg1", LEASE));
    }

    @Test
    void status_shows_each_endpoint_up_or_down_with_sizes_for_people_and_the_patroni_leader_with_its_lease() {
        String out = render(w -> EtcdView.print(w, status()));
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).startsWith("ENDPOINT").contains("DB SIZE", "LEADER", "RAFT TERM", "RAFT INDEX");
        assertThat(lines.get(2)).contains("http://127.0.0.21:2379", "etcd1", "up", "3.4.23", "56.0 kB", "224");
        assertThat(lines.get(3)).contains("http://127.0.0.22:2379", "down").endsWith("connection refused");
        assertThat(out).contains("Raft leader:    etcd1")
                .contains("Patroni leader: pg1 (/service/lab/leader, 46dda206e8a9f00c: 8 s left of 10 s)");
    }

    @Test
    void status_says_so_when_no_one_holds_the_leader_key_or_etcd_could_not_be_read() {
        EtcdStatus vacant = new EtcdStatus(status().endpoints(), "etcd1", new PatroniLeaderKey("/service/lab/leader", null, null));
        assertThat(render(w -> EtcdView.print(w, vacant))).contains("Patroni leader: none: /service/lab/leader is not held");
        EtcdStatus unread = new EtcdStatus(List.of(EtcdEndpointStatus.unreachable("http://127.0.0.21:2379", "no answer")), null, null);
        assertThat(render(w -> EtcdView.print(w, unread))).contains("Raft leader:    none").contains("Patroni leader: unknown");
    }

    @Test
    void status_in_json_keeps_bytes_as_numbers_and_ttls_in_whole_seconds() throws Exception {
        JsonNode json = JSON.readTree(Renderer.json(status()));
        assertThat(json.at("/endpoints/0/db_size_bytes").asLong()).isEqualTo(57_344L);
        assertThat(json.at("/endpoints/0/raft_index").asLong()).isEqualTo(224L);
        assertThat(json.at("/endpoints/1/reachable").asBoolean()).isFalse();
        assertThat(json.at("/endpoints/1/error").asText()).isEqualTo("connection refused");
        assertThat(json.at("/patroni_leader/holder").asText()).isEqualTo("pg1");
        assertThat(json.at("/patroni_leader/lease/id").asText()).isEqualTo("46dda206e8a9f00c");
        assertThat(json.at("/patroni_leader/lease/ttl_left_seconds").isIntegralNumber()).isTrue();
        assertThat(json.at("/patroni_leader/lease/ttl_left_seconds").asLong()).isEqualTo(8);
        assertThat(json.at("/patroni_leader/lease/granted_ttl_seconds").asLong()).isEqualTo(10);
    }

    @Test
    void get_pretty_prints_a_patroni_document_below_the_key_revisions_and_lease() {
        String out = render(w -> EtcdView.print(w, member("{\"conn_url\":\"postgres://127.0.0.11:5432/postgres\",\"state\":\"running\"}")));
        assertThat(out).contains("KEY              /service/lab/members/pg1")
                .contains("CREATE REVISION  2").contains("MOD REVISION     116")
                .contains("LEASE            46dda206e8a9f00c: 8 s left of 10 s")
                .contains("VALUE            JSON");
        assertThat(out).contains("\n  \"conn_url\" : \"postgres://127.0.0.11:5432/postgres\",\n  \"state\" : \"running\"\n}");
    }

    @Test
    void get_in_json_embeds_the_document_as_an_object_not_a_string() throws Exception {
        JsonNode json = JSON.readTree(Renderer.json(member("{\"conn_url\":\"postgres://127.0.0.11:5432/postgres\",\"state\":\"running\"}")));
        assertThat(json.get("value").isObject()).isTrue();
        assertThat(json.at("/value/state").asText()).isEqualTo("running");
        assertThat(json.get("value_format").asText()).isEqualTo("json");
        assertThat(json.get("create_revision").asLong()).isEqualTo(2);
        assertThat(json.at("/lease/ttl_left_seconds").asLong()).isEqualTo(8);
        assertThat(Renderer.yaml(member("{\"state\":\"running\"}"))).contains("value:\n  state: running");
    }

    @Test
    void get_of_a_key_without_lease_shows_its_text_as_it_is() {
        EtcdEntry initialize = new EtcdEntry("/service/lab/initialize", com.fasterxml.jackson.databind.node.TextNode.valueOf("7711236861307103316"),
                EtcdValue.Format.text, 19, 5, 11, 2, null);
        String out = render(w -> EtcdView.print(w, initialize));
        assertThat(out).contains("LEASE            none").contains("VALUE            text").endsWith("7711236861307103316" + System.lineSeparator());
    }

    @Test
    void get_shows_a_text_value_line_by_line_with_escape_codes_made_visible() {
        EtcdEntry hostile = new EtcdEntry("/service/lab/x", com.fasterxml.jackson.databind.node.TextNode.valueOf("red\u001b[31m\nsecond\u0007"),
                EtcdValue.Format.text, 18, 5, 11, 2, null);
        String out = render(w -> EtcdView.print(w, hostile));
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007")
                .endsWith("red\\e[31m" + System.lineSeparator() + "second\\x07" + System.lineSeparator());
    }

    @Test
    void keys_lists_size_lease_and_time_left_then_a_count() {
        EtcdKeyListing listing = new EtcdKeyListing("/service/lab/", List.of(
                new EtcdKey("/service/lab/config", 1111, 12, 12, 1, null),
                new EtcdKey("/service/lab/leader", 3, 13, 13, 1, LEASE)));
        String out = render(w -> EtcdView.print(w, listing));
        assertThat(out.lines().toList().get(2)).startsWith("/service/lab/config").contains("1.1 kB");
        assertThat(out.lines().toList().get(3)).startsWith("/service/lab/leader").contains("3 B", "46dda206e8a9f00c", "8 s left");
        assertThat(out).contains("2 keys under /service/lab/");
        assertThat(render(w -> EtcdView.print(w, new EtcdKeyListing(null, List.of())))).contains("0 keys in the whole keyspace");
    }

    @Test
    void members_mark_the_leader_and_members_that_have_not_started() throws Exception {
        List<EtcdMember> members = List.of(
                new EtcdMember("34c56b55d23746dd", "etcd1", List.of("http://127.0.0.21:2380"), List.of("http://127.0.0.21:2379"), true, false),
                new EtcdMember("8e9e05c52164694d", "", List.of("http://127.0.0.22:2380"), List.of(), false, false));
        String out = render(w -> EtcdView.print(w, members));
        assertThat(out.lines().toList().get(2)).contains("34c56b55d23746dd", "etcd1", "http://127.0.0.21:2379").endsWith("yes");
        assertThat(out.lines().toList().get(3)).contains("(not started)");
        JsonNode json = JSON.readTree(Renderer.json(members));
        assertThat(json.get(0).get("id").asText()).isEqualTo("34c56b55d23746dd");
        assertThat(json.get(0).get("is_leader").asBoolean()).isTrue();
        assertThat(json.get(1).get("is_leader").asBoolean()).isFalse();
        assertThat(json.get(0).get("client_urls").get(0).asText()).isEqualTo("http://127.0.0.21:2379");
    }
}
