package io.connectha.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.connectha.process.ProcessController;
import io.connectha.support.Health;
import io.connectha.support.LabExtension;
import io.connectha.support.LabExtension.RunningLab;
import io.connectha.support.LabSql;
import io.connectha.support.TimedRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd frozen (every member SIGSTOPped: it keeps its sockets and never answers) until Patroni demotes
 * the leader, as the operator saw it: status names the etcd outage first and then the
 * symptoms it explains, with {@code no_leader}; status, check, patroni list and lag check each return
 * within their own deadline, measured against the timeouts they are given. etcd is always thawed.
 */
@Tag("integration")
@ExtendWith(LabExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FrozenEtcdTest {

    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration READ = Duration.ofSeconds(2);
    /** What a command's own deadline may be exceeded by in the test JVM: loading the file, rendering, a loaded 2-core machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);

    private final List<Long> frozen = new ArrayList<>();

    private static List<Long> etcdPids(RunningLab lab) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var files = Files.list(lab.lab().layout().run())) {
            for (Path p : files.filter(f -> f.getFileName().toString().matches("etcd\\d+\\.pid")).sorted().toList()) {
                pids.add(Long.parseLong(Files.readString(p).strip()));
            }
        }
        return pids;
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    @AfterEach
    void thaw_etcd() throws IOException, InterruptedException {
        for (long pid : frozen) {
            signal("CONT", pid);
        }
        frozen.clear();
    }

    private static boolean everyMemberInRecovery(RunningLab lab) {
        for (var m : lab.cluster().spec().members()) {
            try {
                if (!LabSql.one(lab, m.name(), "postgres", "SELECT pg_is_in_recovery()", rs -> rs.getBoolean(1))) {
                    return false;
                }
            } catch (RuntimeException e) {
                // restarting as a replica: not yet a witness either way
                return false;
            }
        }
        return true;
    }

    private static String[] timeouts() {
        return new String[] {"--connect-timeout", CONNECT.toMillis() + "ms", "--read-timeout", READ.toMillis() + "ms"};
    }

    private static String[] args(RunningLab lab, String... command) {
        List<String> all = new ArrayList<>(List.of("ha", "-c", lab.clusterFile().toString()));
        all.addAll(List.of(command));
        return all.toArray(String[]::new);
    }

    @Test
    void status_names_the_frozen_etcd_first_then_what_it_explains_and_every_command_keeps_its_deadline(RunningLab lab)
            throws Exception {
        Health.awaitHealthy(lab, Duration.ofSeconds(90));
        // each command once on the healthy lab, so that the timings below are the commands' and not this JVM's first class loading
        TimedRun.of(concat(args(lab, "status", "-o", "json"), timeouts()));
        TimedRun.of(concat(args(lab, "check"), timeouts()));
        TimedRun.of(concat(args(lab, "patroni", "list"), timeouts()));
        TimedRun.of(args(lab, "lag", "check", "--timeout", "4s"));
        for (long pid : etcdPids(lab)) {
            signal("STOP", pid);
            frozen.add(pid);
        }
        assertThat(frozen).isNotEmpty();
        // Patroni demotes its leader once it cannot renew the key for ttl seconds (lab's fast profile: 10 s)
        int ttl = lab.cluster().spec().patroni().ttl();
        ProcessController.awaitReady("Patroni demotes the leader without etcd", Duration.ofSeconds(3L * ttl + 30), Duration.ofMillis(500),
                () -> everyMemberInRecovery(lab));

        Duration statusDeadline = CONNECT.plus(READ).plusMillis(500);
        String[] statusArgs = concat(args(lab, "status", "-o", "json"), timeouts());
        TimedRun status = TimedRun.of(statusArgs);
        JsonNode json = new ObjectMapper().readTree(status.run().out());
        List<String> codes = new ArrayList<>();
        json.get("problems").forEach(p -> codes.add(p.get("code").asText()));
        assertThat(status.run().exitCode()).as(status.run().err()).isEqualTo(5);
        assertThat(codes.get(0)).as("the cause comes first: " + codes).isEqualTo("etcd_unreachable");
        assertThat(codes).contains("no_leader");
        int lastEtcd = codes.lastIndexOf("etcd_unreachable");
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i).startsWith("patroni_") || codes.get(i).startsWith("postgres_") || codes.get(i).equals("no_leader")
                    || codes.get(i).startsWith("replica_") || codes.get(i).startsWith("haproxy_") || codes.get(i).startsWith("pgbouncer_")) {
                assertThat(i).as(codes.get(i) + " after every etcd problem: " + codes).isGreaterThan(lastEtcd);
            }
        }
        // no_leader is a leadership symptom: after each member's Patroni and PostgreSQL, before replication and proxies
        int noLeader = codes.indexOf("no_leader");
        assertThat(codes.subList(noLeader, codes.size())).noneMatch(c -> c.startsWith("patroni_") || c.startsWith("postgres_"));
        assertThat(json.get("leader").isNull()).isTrue();
        assertThat(json.get("dcs_config").get("live").asBoolean()).isFalse();
        assertThat(Duration.ofMillis((long) (json.get("took").asDouble() * 1000))).isLessThanOrEqualTo(statusDeadline.plusMillis(300));
        assertThat(status.took()).as("status within connect + read + 0.5 s").isLessThanOrEqualTo(statusDeadline.plus(SLACK));

        TimedRun check = TimedRun.of(concat(args(lab, "check"), timeouts()));
        assertThat(check.run().exitCode()).as(check.run().out() + check.run().err()).isEqualTo(2);
        assertThat(check.run().out()).contains("✗ a single leader").contains("✗ etcd healthy, with quorum");
        assertThat(check.took()).as("check within connect + read + 0.5 s").isLessThanOrEqualTo(statusDeadline.plus(SLACK));

        TimedRun list = TimedRun.of(concat(args(lab, "patroni", "list"), timeouts()));
        assertThat(list.run().exitCode()).as(list.run().out() + list.run().err()).isEqualTo(5);
        assertThat(list.run().err()).contains("could not reach Patroni on");
        assertThat(list.took()).as("patroni list within connect + read + 0.5 s").isLessThanOrEqualTo(statusDeadline.plus(SLACK));

        Duration lagTimeout = Duration.ofSeconds(4);
        TimedRun lag = TimedRun.of(args(lab, "lag", "check", "--timeout", lagTimeout.toSeconds() + "s"));
        assertThat(lag.run().exitCode()).as(lag.run().out() + lag.run().err()).isEqualTo(3);
        assertThat(lag.run().out()).contains("no leader");
        assertThat(lag.took()).as("lag check within its --timeout").isLessThanOrEqualTo(lagTimeout.plus(SLACK));

        thaw_etcd();
        Health.awaitHealthy(lab, Duration.ofSeconds(120));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
