package io.connectha.haproxy;

import io.connectha.cluster.ClusterFileLoader;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.Problem;
import io.connectha.support.TestClusters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The problems haproxy status finds, from HAProxy's word and the write-port connection; no HAProxy needed. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HaproxyStatusServiceTest {

    private static ClusterSpec spec;

    @BeforeAll
    static void cluster(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, TestClusters.minimal(dir));
        spec = new ClusterFileLoader().load(file).spec();
    }

    @Test
    void one_writer_reached_and_primary_is_healthy() {
        HaproxyStatus s = HaproxyStatusService.assemble(spec, reading("UP", "DOWN", "DOWN", "UP"), new HaproxyStatusService.Reach("pg1", true), null);
        assertThat(s.problems()).isEmpty();
        assertThat(s.healthy()).isTrue();
        assertThat(s.upInWrite()).isEqualTo(1);
        assertThat(s.write()).extracting(HaproxyServer::server).containsExactly("pg1", "pg2");
        assertThat(s.read()).extracting(HaproxyServer::server).containsExactly("pg1", "pg2");
        assertThat(s.writeReaches()).isEqualTo("pg1");
        assertThat(s.source()).isEqualTo("socket /run/haproxy/test.sock");
    }

    @Test
    void two_servers_up_in_write_are_a_critical_problem() {
        HaproxyStatus s = HaproxyStatusService.assemble(spec, reading("UP", "UP 1/2", "DOWN", "UP"), new HaproxyStatusService.Reach("pg1", true), null);
        assertThat(codes(s)).containsExactly("haproxy_multiple_writers");
        assertThat(s.problems().get(0).severity()).isEqualTo(Problem.Severity.critical);
        assertThat(s.problems().get(0).message()).contains("[pg1, pg2]");
    }

    @Test
    void no_server_up_in_write_and_a_failed_write_port_are_both_said() {
        HaproxyStatus s = HaproxyStatusService.assemble(spec, reading("MAINT", "DOWN", "UP", "UP"), null, "closed");
        assertThat(codes(s)).containsExactly("haproxy_no_writer", "haproxy_write_unreachable");
        assertThat(s.problems().get(0).message()).isEqualTo("no server is UP in the write backend: pg1 MAINT, pg2 DOWN");
        assertThat(s.writeReaches()).isNull();
        assertThat(s.writeReachError()).isEqualTo("closed");
    }

    @Test
    void a_write_port_that_reaches_a_replica_is_critical() {
        HaproxyStatus s = HaproxyStatusService.assemble(spec, reading("UP", "DOWN", "UP", "DOWN"), new HaproxyStatusService.Reach("pg2", false), null);
        assertThat(codes(s)).containsExactly("haproxy_write_not_primary");
        assertThat(s.problems().get(0).member()).isEqualTo("pg2");
    }

    @Test
    void no_reader_is_a_warning() {
        HaproxyStatus s = HaproxyStatusService.assemble(spec, reading("UP", "DOWN", "DOWN", "MAINT"), new HaproxyStatusService.Reach("pg1", true), null);
        assertThat(s.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("haproxy_no_reader");
            assertThat(p.severity()).isEqualTo(Problem.Severity.warning);
        });
    }

    @Test
    void show_stat_is_read_by_its_header_with_frontends_and_backend_totals_left_out() {
        // columns as HAProxy 2.6 sends them, trimmed after check_status; lastchg is empty for a server in MAINT from the start
        String csv = """
                # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,
                write,FRONTEND,,,0,1,1000,1,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,3,0,,,,0,0,0,1,,
                write,pg1,0,0,2,3,,5,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,87,0,,1,3,1,,1,,2,0,,1,L7OK,
                write,pg2,0,0,0,0,,0,0,0,,0,,0,0,0,0,MAINT,1,1,0,1,1,,87,,1,3,2,,0,,2,0,,0,,
                write,pg3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DRAIN 1/2,1,1,0,1,1,3,0,,1,3,3,,0,,2,0,,0,L7STS,
                write,BACKEND,0,0,2,3,100,5,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,87,0,,1,3,0,,1,,1,0,,1,,
                """;
        List<HaproxyServer> servers = HaproxyStats.parse(csv);
        assertThat(servers).containsExactly(
                new HaproxyServer("write", "pg1", "UP", "L7OK", 2, Duration.ofSeconds(87)),
                new HaproxyServer("write", "pg2", "MAINT", "", 0, Duration.ZERO),
                new HaproxyServer("write", "pg3", "DRAIN 1/2", "L7STS", 0, Duration.ofSeconds(3)));
        assertThat(servers.get(1).inMaintenance()).isTrue();
        assertThat(servers.get(2).draining()).isTrue();
        assertThat(servers.get(2).up()).isFalse();
    }

    /** A hand-written haproxy.cfg: its own backend and server names, two members on one host with their own ports. */
    private static final String HAND_WRITTEN = """
            # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo
            stats,FRONTEND,,,0,1,1000,1,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,http,
            stats,BACKEND,0,0,0,0,100,0,0,0,0,0,,0,0,0,0,UP,0,0,0,,0,87,,,1,2,0,,0,,1,0,,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,http,roundrobin
            pg_primary,FRONTEND,,,1,1,1000,1,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,3,0,,,,0,0,0,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,tcp,
            pg_primary,pg_node1,0,0,1,1,,1,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,87,0,,1,3,1,,1,,2,0,,1,L7OK,200,2,,,,,,,,,,,,,,,,,,,,,,,,,,,Layer7 check passed,,2,3,4,,,,127.0.0.1:5432,,tcp,
            pg_primary,pg_node2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,80,80,,1,3,2,,0,,2,0,,0,L7STS,503,2,,,,,,,,,,,,,,,,,,,,,,,,,,,Layer7 wrong status,,2,3,0,,,,127.0.0.1:5433,,tcp,
            pg_primary,BACKEND,0,0,1,1,100,1,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,87,0,,1,3,0,,1,,1,0,,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,tcp,first
            pg_replicas,FRONTEND,,,0,0,1000,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,4,0,,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,tcp,
            pg_replicas,pg_node1,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,80,80,,1,4,1,,0,,2,0,,0,L7STS,503,2,,,,,,,,,,,,,,,,,,,,,,,,,,,Layer7 wrong status,,2,3,0,,,,127.0.0.1:5432,,tcp,
            pg_replicas,pg_node2,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,87,0,,1,4,2,,0,,2,0,,0,L7OK,200,2,,,,,,,,,,,,,,,,,,,,,,,,,,,Layer7 check passed,,2,3,4,,,,127.0.0.1:5433,,tcp,
            pg_replicas,BACKEND,0,0,0,0,100,0,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,87,0,,1,4,0,,0,,1,0,,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,tcp,roundrobin
            """;

    private static ClusterSpec handWritten(Path dir, String writeBackend, String readBackend) throws IOException {
        Path file = dir.resolve("hand-" + writeBackend + ".yaml");
        Files.writeString(file, TestClusters.minimal(dir)
                .replace("""
                          - name: pg1
                            host: 10.1.0.11
                          - name: pg2
                            host: 10.1.0.12
                        """, """
                          - {name: db-a, host: 127.0.0.1, port: 5432, patroni_port: 8008}
                          - {name: db-b, host: 127.0.0.1, port: 5433, patroni_port: 8009}
                        """)
                .replace("haproxy:\n  host: 10.1.0.10\n", "haproxy:\n  host: 10.1.0.10\n  write_backend: " + writeBackend
                        + "\n  read_backend: " + readBackend + "\n"));
        ClusterSpec s = new ClusterFileLoader().load(file).spec();
        assertThat(s.members()).extracting(m -> m.address()).containsExactly("127.0.0.1:5432", "127.0.0.1:5433");
        return s;
    }

    @Test
    void show_stat_gives_every_backend_and_each_servers_address() {
        assertThat(HaproxyStats.backends(HAND_WRITTEN)).containsExactly("stats", "pg_primary", "pg_replicas");
        assertThat(HaproxyStats.parse(HAND_WRITTEN)).extracting(HaproxyServer::backend, HaproxyServer::server, HaproxyServer::address)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pg_primary", "pg_node1", "127.0.0.1:5432"),
                        org.assertj.core.groups.Tuple.tuple("pg_primary", "pg_node2", "127.0.0.1:5433"),
                        org.assertj.core.groups.Tuple.tuple("pg_replicas", "pg_node1", "127.0.0.1:5432"),
                        org.assertj.core.groups.Tuple.tuple("pg_replicas", "pg_node2", "127.0.0.1:5433"));
    }

    @Test
    void backends_named_in_the_cluster_file_are_read_and_servers_are_members_by_address_and_port(@TempDir Path dir) throws IOException {
        ClusterSpec hand = handWritten(dir, "pg_primary", "pg_replicas");
        HaproxyStatus s = HaproxyStatusService.assemble(hand, HaproxyStats.Reading.of(HAND_WRITTEN, "socket /tmp/h.sock"),
                new HaproxyStatusService.Reach("db-a", true), null);
        assertThat(s.problems()).isEmpty();
        assertThat(s.writeBackend()).isEqualTo("pg_primary");
        // one host, two ports: the port tells the members apart
        assertThat(s.write()).extracting(HaproxyServer::server, HaproxyServer::member, HaproxyServer::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pg_node1", "db-a", "UP"),
                        org.assertj.core.groups.Tuple.tuple("pg_node2", "db-b", "DOWN"));
        assertThat(s.read()).extracting(HaproxyServer::label).containsExactly("pg_node1 (db-a)", "pg_node2 (db-b)");
        assertThat(s.upInWrite()).isEqualTo(1);
    }

    @Test
    void a_backend_haproxy_does_not_have_is_critical_and_names_the_ones_it_has_with_no_false_no_writer(@TempDir Path dir) throws IOException {
        ClusterSpec wrong = handWritten(dir, "write", "pg_replicas");
        HaproxyStatus s = HaproxyStatusService.assemble(wrong, HaproxyStats.Reading.of(HAND_WRITTEN, "socket /tmp/h.sock"),
                new HaproxyStatusService.Reach("db-a", true), null);
        assertThat(codes(s)).containsExactly("haproxy_backend_missing");
        assertThat(s.problems().get(0).severity()).isEqualTo(Problem.Severity.critical);
        assertThat(s.problems().get(0).message()).isEqualTo("HAProxy has no backend 'write' (haproxy.write_backend in the cluster file);"
                + " its backends are: stats, pg_primary, pg_replicas");
        assertThat(s.write()).isEmpty();
        assertThat(s.backends()).containsExactly("stats", "pg_primary", "pg_replicas");
    }

    private static HaproxyStats.Reading reading(String write1, String write2, String read1, String read2) {
        List<HaproxyServer> servers = new ArrayList<>();
        servers.add(new HaproxyServer("write", "pg1", write1, "L7OK", 0, Duration.ofSeconds(5)));
        servers.add(new HaproxyServer("write", "pg2", write2, "L7STS", 0, Duration.ofSeconds(5)));
        servers.add(new HaproxyServer("read", "pg1", read1, "L7STS", 0, Duration.ofSeconds(5)));
        servers.add(new HaproxyServer("read", "pg2", read2, "L7OK", 0, Duration.ofSeconds(5)));
        servers.add(new HaproxyServer("stats", "other", "UP", "", 0, Duration.ZERO));
        return new HaproxyStats.Reading(servers, List.of("stats", "write", "read"), "socket /run/haproxy/test.sock");
    }

    private static List<String> codes(HaproxyStatus s) {
        return s.problems().stream().map(Problem::code).toList();
    }
}
