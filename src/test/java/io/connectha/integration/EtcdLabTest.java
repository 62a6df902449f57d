package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.connectha.cli.ExitCodes;
import io.connectha.cluster.EtcdSpec;
import io.connectha.net.Http;
import io.connectha.patroni.PatroniClient;
import io.connectha.patroni.PatroniCluster;
import io.connectha.support.CommandRun;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The etcd commands against the lab's real etcd, holding what the lab's real Patronis wrote. */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EtcdLabTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static CommandRun etcd(RunningLab lab, String... args) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString(), "etcd"));
        all.addAll(List.of(args));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CommandRun run) throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static String patroniLeader(RunningLab lab) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            PatroniCluster cluster = new PatroniClient(http).cluster(lab.cluster().spec().members().get(0));
            return cluster.leader().orElseThrow().name();
        }
    }

    @Test
    void status_shows_the_endpoint_up_and_the_leader_key_held_by_the_leader_patroni_names(RunningLab lab) throws IOException {
        JsonNode status = json(etcd(lab, "status", "-o", "json"));
        EtcdSpec.EtcdMemberSpec etcd1 = lab.cluster().spec().etcd().members().get(0);
        assertThat(status.at("/endpoints/0/endpoint").asText()).isEqualTo(etcd1.clientUrl());
        assertThat(status.at("/endpoints/0/reachable").asBoolean()).isTrue();
        assertThat(status.at("/endpoints/0/member").asText()).isEqualTo("etcd1");
        assertThat(status.at("/endpoints/0/version").asText()).startsWith("3.");
        assertThat(status.at("/endpoints/0/db_size_bytes").asLong()).isPositive();
        assertThat(status.at("/endpoints/0/raft_index").asLong()).isPositive();
        assertThat(status.at("/raft_leader").asText()).isEqualTo("etcd1");

        assertThat(status.at("/patroni_leader/key").asText()).isEqualTo("/service/lab/leader");
        assertThat(status.at("/patroni_leader/holder").asText()).isEqualTo(patroniLeader(lab));
        long ttl = lab.cluster().spec().patroni().ttl();
        assertThat(status.at("/patroni_leader/lease/granted_ttl_seconds").asLong()).isEqualTo(ttl);
        assertThat(status.at("/patroni_leader/lease/ttl_left_seconds").asLong()).isBetween(1L, ttl);

        CommandRun table = etcd(lab, "status");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.err()).isEmpty();
        assertThat(table.out()).contains("etcd1").contains(" up ").contains("Patroni leader: " + patroniLeader(lab) + " (/service/lab/leader, ");
    }

    @Test
    void members_lists_etcd1_with_its_urls_as_the_raft_leader(RunningLab lab) throws IOException {
        JsonNode members = json(etcd(lab, "members", "-o", "json"));
        EtcdSpec.EtcdMemberSpec etcd1 = lab.cluster().spec().etcd().members().get(0);
        assertThat(members).hasSize(1);
        assertThat(members.at("/0/name").asText()).isEqualTo("etcd1");
        assertThat(members.at("/0/id").asText()).matches("[0-9a-f]{1,16}");
        assertThat(members.at("/0/client_urls/0").asText()).isEqualTo(etcd1.clientUrl());
        assertThat(members.at("/0/peer_urls/0").asText()).isEqualTo(etcd1.peerUrl());
        assertThat(members.at("/0/is_leader").asBoolean()).isTrue();
        assertThat(etcd(lab, "members").out()).contains("etcd1").contains(etcd1.clientUrl());
    }

    @Test
    void keys_lists_the_leader_key_and_every_member_key_sorted_with_their_leases(RunningLab lab) throws IOException {
        JsonNode listing = json(etcd(lab, "keys", "-o", "json"));
        assertThat(listing.get("prefix").asText()).isEqualTo("/service/lab/");
        List<String> keys = StreamSupport.stream(listing.get("keys").spliterator(), false).map(k -> k.get("key").asText()).toList();
        assertThat(keys).contains("/service/lab/leader", "/service/lab/members/pg1", "/service/lab/members/pg2",
                "/service/lab/members/pg3", "/service/lab/config", "/service/lab/initialize").isSorted();
        for (JsonNode k : listing.get("keys")) {
            String key = k.get("key").asText();
            assertThat(k.get("value_size_bytes").asLong()).as(key).isPositive();
            boolean leased = key.equals("/service/lab/leader") || key.startsWith("/service/lab/members/");
            assertThat(k.get("lease").isNull()).as(key + " has a lease").isEqualTo(!leased);
        }
        CommandRun table = etcd(lab, "keys");
        assertThat(table.out()).contains("/service/lab/members/pg3").contains(keys.size() + " keys under /service/lab/");
        assertThat(json(etcd(lab, "keys", "--all", "-o", "json")).get("keys").size()).isGreaterThanOrEqualTo(keys.size());
    }

    @Test
    void get_of_a_member_key_decodes_patronis_json(RunningLab lab) throws IOException {
        CommandRun table = etcd(lab, "get", "members/pg1");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("KEY              /service/lab/members/pg1").contains("VALUE            JSON")
                .contains("\"conn_url\" : \"postgres://127.0.0.11:").contains("\"state\" : ");

        JsonNode entry = json(etcd(lab, "get", "/service/lab/members/pg1", "-o", "json"));
        assertThat(entry.get("value").isObject()).isTrue();
        assertThat(entry.at("/value/conn_url").asText()).startsWith("postgres://127.0.0.11:");
        assertThat(entry.at("/value/api_url").asText()).startsWith("http://127.0.0.11:");
        assertThat(entry.get("value_format").asText()).isEqualTo("json");
        assertThat(entry.get("mod_revision").asLong()).isGreaterThanOrEqualTo(entry.get("create_revision").asLong());
        assertThat(entry.at("/lease/ttl_left_seconds").asLong()).isPositive();
    }

    @Test
    void get_of_the_leader_key_is_the_leaders_name_as_text(RunningLab lab) throws IOException {
        JsonNode entry = json(etcd(lab, "get", "leader", "-o", "json"));
        assertThat(entry.get("value").asText()).isEqualTo(patroniLeader(lab));
        assertThat(entry.get("value_format").asText()).isEqualTo("text");
        assertThat(json(etcd(lab, "get", "config", "-o", "json")).at("/value/ttl").asInt()).isEqualTo(lab.cluster().spec().patroni().ttl());
    }

    @Test
    void get_of_a_missing_key_fails_with_one_line_and_exit_1(RunningLab lab) {
        CommandRun run = etcd(lab, "get", "no-such-key");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("connect: no key /service/lab/no-such-key in etcd" + System.lineSeparator());
    }

    @Test
    void with_one_member_refusing_and_one_hung_status_shows_both_down_within_the_deadline_and_reads_still_work(RunningLab lab) throws IOException {
        int refusing;
        try (ServerSocket s = io.connectha.support.TimedRun.listen(InetAddress.getByName("127.0.0.21"), 1)) {
            refusing = s.getLocalPort();
        }
        // accepts into the backlog and never answers: an etcd that hangs
        try (ServerSocket hung = io.connectha.support.TimedRun.listen(InetAddress.getByName("127.0.0.22"), 50)) {
            Path cluster = labClusterWithEtcd(lab, List.of(
                    member("etcd-hung", "127.0.0.22", hung.getLocalPort()),
                    member("etcd-refusing", "127.0.0.21", refusing),
                    lab.cluster().spec().etcd().members().get(0)));

            long start = System.nanoTime();
            CommandRun status = CommandRun.of("ha", "-c", cluster.toString(), "etcd", "status");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(took).isLessThan(Duration.ofSeconds(4));
            assertThat(status.err().lines()).hasSize(1);
            assertThat(status.err()).startsWith("connect: could not reach etcd at 127.0.0.22:" + hung.getLocalPort() + ", 127.0.0.21:" + refusing)
                    .contains("no answer (127.0.0.22:" + hung.getLocalPort() + ")").contains("connection refused (127.0.0.21:" + refusing + ")");
            assertThat(status.out()).contains("Patroni leader: " + patroniLeader(lab));
            assertThat(status.out().lines().filter(l -> l.contains(" down ")).count()).isEqualTo(2);

            start = System.nanoTime();
            CommandRun get = CommandRun.of("ha", "-c", cluster.toString(), "etcd", "get", "leader");
            assertThat(get.exitCode()).as(get.err()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a read does not wait for the hung member").isLessThan(Duration.ofSeconds(1));
            assertThat(get.out()).contains(patroniLeader(lab));
        }
    }

    @Test
    void with_etcd_unreachable_every_command_exits_5_with_one_line_naming_etcd_and_the_address(RunningLab lab) throws IOException {
        int unused;
        try (ServerSocket s = io.connectha.support.TimedRun.listen(InetAddress.getByName("127.0.0.21"), 1)) {
            unused = s.getLocalPort();
        }
        Path cluster = labClusterWithEtcd(lab, List.of(member("etcd1", "127.0.0.21", unused)));
        for (String[] command : List.of(new String[]{"status"}, new String[]{"members"}, new String[]{"get", "leader"}, new String[]{"keys"})) {
            List<String> args = new ArrayList<>(List.of("ha", "-c", cluster.toString(), "etcd"));
            args.addAll(List.of(command));
            long start = System.nanoTime();
            CommandRun run = CommandRun.of(args.toArray(String[]::new));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(command[0]).isLessThan(Duration.ofSeconds(3));
            assertThat(run.exitCode()).as(command[0] + ": " + run.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(run.err()).as(command[0])
                    .isEqualTo("connect: could not reach etcd at 127.0.0.21:" + unused + " within 2000 ms: connection refused" + System.lineSeparator());
        }
    }

    private static EtcdSpec.EtcdMemberSpec member(String name, String host, int clientPort) throws IOException {
        try (ServerSocket s = io.connectha.support.TimedRun.listen(InetAddress.getByName(host), 1)) {
            return new EtcdSpec.EtcdMemberSpec(name, host, clientPort, s.getLocalPort());
        }
    }

    /** A copy of the lab's cluster file with other etcd members: the rest, secrets included, is the lab's. */
    private Path labClusterWithEtcd(RunningLab lab, List<EtcdSpec.EtcdMemberSpec> members) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode root = (ObjectNode) yaml.readTree(lab.clusterFile().toFile());
        ArrayNode list = ((ObjectNode) root.get("etcd")).putArray("members");
        for (EtcdSpec.EtcdMemberSpec m : members) {
            list.addObject().put("name", m.name()).put("host", m.host()).put("client_port", m.clientPort()).put("peer_port", m.peerPort());
        }
        Path file = dir.resolve("cluster.yaml");
        yaml.writeValue(file.toFile(), root);
        return file;
    }
}
