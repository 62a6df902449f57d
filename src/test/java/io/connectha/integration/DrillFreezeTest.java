package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import io.connectha.lab.LabProcess;
import io.connectha.support.CommandRun;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabSql;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.connectha.integration.DrillTest.drill;
import static io.connectha.integration.DrillTest.patroniLeader;
import static io.connectha.integration.DrillTest.rowsOn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The held faults a loopback lab can make (no partitions: those need hosts of their own), each once on the fast profile
 * (ttl 10 s, loop_wait 2 s): a frozen Patroni, a frozen PostgreSQL, an etcd outage. Each held until the leader settles
 * (at least ttl + loop_wait) and then thawed; each report checked against what the test sees in the cluster, and no
 * process of the lab left stopped. The frozen PostgreSQL goes last: Patroni 3.0.2 can leave the cluster split by it,
 * and the test then rebuilds the replica the drill leaves behind.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrillFreezeTest {

    /** What a command's own deadline may be exceeded by in the drill's JVM, on a loaded 2-core machine. */
    private static final long SLACK_MS = 1_500;

    @TempDir
    Path reports;

    private static long ttlMs(RunningLab lab) {
        return lab.cluster().spec().patroni().ttl() * 1000L;
    }

    private static long minHoldMs(RunningLab lab) {
        return (lab.cluster().spec().patroni().ttl() + lab.cluster().spec().patroni().loopWait()) * 1000L;
    }

    /** Every lab process and every descendant of one (PostgreSQL's backends), with its state from /proc; none may be 'T'. */
    private static Map<Long, Character> labProcessStates(RunningLab lab) throws IOException {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Character> state = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(d.getFileName().toString());
                    state.put(pid, rest[0].charAt(0));
                    parent.put(pid, Long.parseLong(rest[1]));
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        }
        List<Long> roots = lab.lab().status().processes().stream().map(LabProcess::pid).filter(p -> p != null).toList();
        assertThat(roots).as("lab processes").hasSizeGreaterThanOrEqualTo(6);
        Map<Long, Character> found = new HashMap<>();
        List<Long> todo = new ArrayList<>(roots);
        while (!todo.isEmpty()) {
            long pid = todo.remove(todo.size() - 1);
            if (state.containsKey(pid) && found.put(pid, state.get(pid)) == null) {
                parent.forEach((child, p) -> {
                    if (p == pid) {
                        todo.add(child);
                    }
                });
            }
        }
        return found;
    }

    private static void assertNothingStopped(RunningLab lab) throws IOException {
        Map<Long, Character> states = labProcessStates(lab);
        assertThat(states.size()).as("lab processes and PostgreSQL's backends").isGreaterThan(10);
        assertThat(states).as("no lab process left stopped (T)").doesNotContainValue('T');
    }

    private static void assertStatusDuringFault(JsonNode r, String problem) {
        JsonNode s = r.path("status_during_fault");
        assertThat(s.isObject()).as("status was asked during the fault").isTrue();
        assertThat(s.path("exit_code").asInt()).as("status exits non-zero: something did not answer").isEqualTo(5);
        List<String> problems = new ArrayList<>();
        s.path("problems").forEach(p -> problems.add(p.asText()));
        assertThat(problems).contains(problem);
        assertThat(s.path("names_target").asBoolean()).as("a problem names " + r.path("target").asText()).isTrue();
        assertThat(s.path("deadline_ms").asLong()).isEqualTo(3_500);
        assertThat(s.path("took_ms").asLong()).isPositive().isLessThanOrEqualTo(s.path("deadline_ms").asLong() + SLACK_MS);
        assertThat(s.path("at_ms").asLong()).isBetween(3_000L, 3_000L + SLACK_MS);
        assertThat(s.path("at_ms").asLong() + s.path("took_ms").asLong()).as("answered while the fault was held")
                .isLessThan(r.path("restored_at_ms").asLong());
    }

    private static long criterion(JsonNode r, String name, boolean passed) {
        return java.util.stream.StreamSupport.stream(r.path("criteria").spliterator(), false)
                .filter(c -> c.path("name").asText().equals(name) && c.path("passed").asBoolean() == passed).count();
    }

    @Test
    @Order(0)
    void on_a_loopback_lab_partitions_and_a_hold_for_a_fault_that_is_not_held_are_refused_before_anything_happens(RunningLab lab) {
        String leader = patroniLeader(lab);
        CommandRun partition = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "failover", "--fault", "partition-leader",
                "--yes");
        assertThat(partition.exitCode()).isEqualTo(2);
        assertThat(partition.err().strip()).startsWith("connect: --fault partition-leader ").endsWith("the network between hosts, so it needs a lab in "
                + "network namespaces (lab up --network namespaces) or a drill_fault_command").doesNotContain("Exception");
        CommandRun held = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "drill", "failover", "--fault", "patroni-kill",
                "--fault-for", "5s", "--yes");
        assertThat(held.exitCode()).isEqualTo(2);
        assertThat(held.err()).contains("--fault-for holds a partition, a freeze or an etcd outage; patroni-kill is done once applied");
        // nothing happened: the same leader, no drill table
        assertThat(patroniLeader(lab)).isEqualTo(leader);
        Boolean noTable = LabSql.one(lab, leader, "app", "SELECT to_regclass('connect_drill') IS NULL", rs -> rs.getBoolean(1));
        assertThat(noTable).isTrue();
    }

    @Test
    @Order(1)
    void a_frozen_patroni_loses_its_key_after_the_ttl_while_its_postgres_goes_on_acknowledging_its_own_sides_writes(RunningLab lab)
            throws Exception {
        JsonNode r = drill(lab, reports, "freeze-patroni");
        System.err.println(r.toPrettyString());
        new ProcessBuilder("cp", "-r", lab.lab().layout().logs().toString(), "/tmp/held-logs-" + r.path("fault").asText()).start().waitFor();
        String oldLeader = r.path("old_leader").asText();
        String newLeader = r.path("new_leader").asText();
        assertThat(r.path("target").asText()).isEqualTo(oldLeader);
        assertThat(newLeader).isNotEqualTo(oldLeader);
        // who leads after the thaw: the new leader, as a rule; once in four runs the thawed Patroni, which had been stopped in
        // the middle of its cycle, took the key back (see docs/drills.md); the rows are counted on whoever leads
        String leaderNow = patroniLeader(lab);
        // the key is left to expire: not before the lease could; at most ttl after its last renewal, then a loop_wait for a
        // replica to notice and the time its request to the frozen member's API takes to time out (13.6 to 15.1 s measured)
        assertThat(r.path("new_leader_key_ms").asLong()).isBetween(ttlMs(lab) / 2, ttlMs(lab) + 8_000);
        // held until the new leader settled and at least ttl + loop_wait, then thawed
        assertThat(r.path("fault_for_ms").isNull()).isTrue();
        assertThat(r.path("held_ms").asLong()).isGreaterThanOrEqualTo(minHoldMs(lab) - 100);
        assertThat(r.path("restored_at_ms").asLong()).isGreaterThanOrEqualTo(r.path("held_ms").asLong())
                .isGreaterThanOrEqualTo(r.path("haproxy_ms").asLong()).isLessThan(r.at("/configuration/max_rto_ms").asLong() + 30_000);
        // no watchdog in the lab: the old PostgreSQL stays a writable primary until its Patroni is thawed and demotes it
        assertThat(r.path("leader_side_clients").asInt()).isEqualTo(2);
        assertThat(r.path("write_window_ms").asLong()).isGreaterThan(r.path("writable_ms").asLong());
        long window = r.path("window_writes").asLong();
        assertThat(window).as("writes the old leader took after the new one's first").isPositive();
        assertThat(r.path("window_writes_survived").asLong() + r.path("window_writes_lost").asLong()).isEqualTo(window);
        assertThat(r.path("window_lost_wal_bytes").asLong()).isNotNegative();
        assertThat(r.at("/configuration/synchronous_mode").asBoolean()).isFalse();
        assertThat(criterion(r, "old leader's window writes lost", true)).isEqualTo(1);
        assertThat(Files.readString(reports.resolve("junit.xml"))).contains("name=\"old leader's window writes lost\"");
        if (leaderNow.equals(oldLeader)) {
            // 3 of 6 runs measured: thawed in the middle of its cycle, the old leader's Patroni took the key back and the new
            // leader demoted itself; both had taken writes: split brain, reported and failed
            assertThat(r.path("split_brain_writes").asLong()).isPositive();
            assertThat(criterion(r, "no split brain", false)).isEqualTo(1);
        }
        if (leaderNow.equals(newLeader)) {
            // HAProxy stopped routing to the frozen API, and cut its sessions: the drill's own clients never wrote to both
            assertThat(r.path("split_brain_writes").asLong()).isZero();
            assertThat(r.path("lost_writes").asLong()).isZero();
            // asynchronous: the old leader's window writes are rewound away when it rejoins; reported exactly, not failed
            assertThat(r.path("window_writes_lost").asLong()).isPositive();
        }
        assertStatusDuringFault(r, "patroni_unreachable");
        long sideRows = LabSql.one(lab, leaderNow, "app", "SELECT count(*) FROM connect_drill WHERE seq >= 1000000000", rs -> rs.getLong(1));
        assertThat(sideRows).as("the leader-side writes the new leader has").isGreaterThanOrEqualTo(r.path("window_writes_survived").asLong());
        assertThat(rowsOn(lab, leaderNow)).isEqualTo(r.path("rows_present").asLong());
        assertNothingStopped(lab);
        rebuildWhatCannotStream(lab, leaderNow);
    }

    @Test
    @Order(2)
    void an_etcd_outage_demotes_the_leader_until_etcd_is_back_and_the_rto_runs_to_the_first_write_after_the_heal(RunningLab lab)
            throws Exception {
        JsonNode r = drill(lab, reports, "dcs-outage");
        System.err.println(r.toPrettyString());
        new ProcessBuilder("cp", "-r", lab.lab().layout().logs().toString(), "/tmp/held-logs-" + r.path("fault").asText()).start().waitFor();
        // one etcd member: its majority is itself
        assertThat(r.path("target").asText()).isEqualTo("etcd1");
        assertThat(r.at("/configuration/failsafe_mode").asBoolean()).isFalse();
        assertThat(r.path("held_ms").asLong()).isGreaterThanOrEqualTo(minHoldMs(lab) - 100);
        long restored = r.path("restored_at_ms").asLong();
        // without failsafe_mode Patroni demotes the leader when it cannot renew its key: clients fail, and write again only
        // once etcd is back
        assertThat(r.path("failed").asLong()).isPositive();
        assertThat(r.path("client_rto_ms").asLong()).isGreaterThan(restored);
        assertThat(r.path("writable_ms").asLong()).isGreaterThanOrEqualTo(restored);
        assertThat(lab.cluster().spec().member(r.path("new_leader").asText())).isPresent();
        // no leader's window: the fault is on etcd
        assertThat(r.path("leader_side_clients").asInt()).isZero();
        assertThat(r.path("write_window_ms").isNull()).isTrue();
        assertThat(r.path("window_writes").isNull()).isTrue();
        assertThat(r.path("etcd_leader_ms").isNull()).isTrue();
        assertThat(r.path("lost_writes").asLong()).isZero();
        assertThat(r.path("split_brain_writes").asLong()).isZero();
        assertStatusDuringFault(r, "etcd_unreachable");
        assertThat(rowsOn(lab, patroniLeader(lab))).isEqualTo(r.path("rows_present").asLong());
        assertNothingStopped(lab);
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
    }

    @Test
    @Order(3)
    void a_frozen_postgres_blocks_its_patroni_a_replica_is_promoted_and_what_follows_the_thaw_is_reported(RunningLab lab)
            throws Exception {
        JsonNode r = drill(lab, reports, "freeze-postgres", "--max-rejoin", "20s");
        System.err.println(r.toPrettyString());
        new ProcessBuilder("cp", "-r", lab.lab().layout().logs().toString(), "/tmp/held-logs-" + r.path("fault").asText()).start().waitFor();
        String oldLeader = r.path("old_leader").asText();
        String newLeader = r.path("new_leader").asText();
        // Patroni's loop waits on its frozen PostgreSQL, so the key is not renewed and expires: a replica is promoted
        assertThat(newLeader).isNotEqualTo(oldLeader);
        assertThat(r.path("new_leader_key_ms").asLong()).isBetween(ttlMs(lab) / 2, ttlMs(lab) + 8_000);
        assertStatusDuringFault(r, "postgres_unreachable");
        // frozen, the old leader acknowledged nothing; its backends' in-flight writes time out on the clients
        assertThat(r.path("leader_side_clients").asInt()).isEqualTo(2);
        assertThat(r.path("window_writes_survived").asLong() + r.path("window_writes_lost").asLong())
                .isEqualTo(r.path("window_writes").asLong());
        String leaderNow = patroniLeader(lab);
        if (leaderNow.equals(oldLeader)) {
            // what Patroni 3.0.2 did in every run measured: thawed, the old leader's Patroni finishes the cycle it was in, takes
            // the key back, and the promoted replica demotes itself; both took writes in between: split brain, reported and failed
            assertThat(r.path("split_brain_writes").asLong()).isPositive();
            assertThat(criterion(r, "no split brain", false)).isEqualTo(1);
            assertThat(r.path("window_writes").asLong()).as("the old leader took its own side's writes again").isPositive();
            assertThat(r.path("write_window_ms").asLong()).isGreaterThan(r.path("restored_at_ms").asLong());
        } else {
            assertThat(leaderNow).isEqualTo(newLeader);
            assertThat(r.path("split_brain_writes").asLong()).isZero();
        }
        assertNothingStopped(lab);
        rebuildWhatCannotStream(lab, leaderNow);
        assertNothingStopped(lab);
    }

    /**
     * A member left on a diverged timeline (a leader that lost the key it had taken) cannot stream again by itself: after a
     * while to do so, each replica is rebuilt, as an operator would (patroni reinit), and the lab must be healthy.
     */
    private static void rebuildWhatCannotStream(RunningLab lab, String leader) {
        try {
            Health.awaitHealthy(lab, Duration.ofSeconds(30));
            return;
        } catch (AssertionError e) {
            // replica_not_streaming: rebuilt below
        }
        for (var m : lab.cluster().spec().members()) {
            if (!m.name().equals(leader)) {
                CommandRun reinit = CommandRun.of("ha", "-c", lab.clusterFile().toString(), "patroni", "reinit", m.name(), "--yes", "--force");
                assertThat(reinit.exitCode()).as(reinit.err()).isZero();
            }
        }
        Health.awaitHealthy(lab, Duration.ofSeconds(120));
    }
}
