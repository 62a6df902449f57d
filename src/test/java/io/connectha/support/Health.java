package io.connectha.support;

import io.connectha.process.ProcessController;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.time.Duration;

/** Waits until the shared lab is healthy again after a test disturbed it. */
public final class Health {

    private Health() {
    }

    /**
     * Maintenance mode on or off through whichever member's Patroni answers: one may be the one a
     * test stopped, or still starting.
     */
    public static void setPause(LabExtension.RunningLab lab, boolean pause) {
        try (io.connectha.net.Http http = new io.connectha.net.Http(Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            io.connectha.patroni.PatroniClient patroni = io.connectha.patroni.PatroniClient.authenticated(http, lab.cluster().spec(), lab.secrets());
            ProcessController.awaitReady((pause ? "pause" : "resume") + " through any Patroni", Duration.ofSeconds(30), Duration.ofMillis(300), () -> {
                for (var m : lab.cluster().spec().members()) {
                    try {
                        patroni.pause(m, pause);
                        return true;
                    } catch (io.connectha.error.ConnectError e) {
                        // the next member
                    }
                }
                return false;
            });
        }
    }

    /**
     * Holds every replica's replay back by {@code delay} (null: not at all), through Patroni's dynamic
     * configuration, and waits until {@code replica} has it. Neither pg_wal_replay_pause() nor ALTER
     * SYSTEM holds on a Patroni cluster: Patroni resumes paused replay (PostgreSQL 14+) and restores the
     * recovery parameters it manages within a loop.
     */
    public static void setReplayDelay(LabExtension.RunningLab lab, String replica, String delay) {
        var spec = lab.cluster().spec();
        try (io.connectha.net.Http http = new io.connectha.net.Http(Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            io.connectha.patroni.PatroniClient patroni = io.connectha.patroni.PatroniClient.authenticated(http, spec, lab.secrets());
            patroni.editConfig(spec.members().get(0) , "{\"postgresql\": {\"parameters\": {\"recovery_min_apply_delay\": "
                    + (delay == null ? "null" : "\"" + delay + "\"") + "}}}");
        }
        var m = spec.member(replica).orElseThrow();
        io.connectha.pg.PgConnector pg = new io.connectha.pg.PgConnector(Duration.ofSeconds(2), Duration.ofSeconds(5));
        String expected = delay == null ? "0" : delay;
        ProcessController.awaitReady("recovery_min_apply_delay " + expected + " on " + replica, Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            java.sql.Connection c = pg.connect(new io.connectha.pg.PgConnector.Endpoint("PostgreSQL on " + replica, m.host(), m.port(),
                    "postgres", spec.postgresql().superuser()), lab.secrets().password(io.connectha.cluster.SecretName.superuser));
            try {
                return io.connectha.pg.Sql.one(c, "SHOW recovery_min_apply_delay", rs -> rs.getString(1)).equals(expected);
            } finally {
                io.connectha.pg.Sql.close(c);
            }
        });
    }

    /**
     * Until the lab is healthy, as PostgreSQL itself says, and still is one Patroni loop later: right
     * after a disturbance a leader that looked settled may yet be demoted (seen once in a clean-clone
     * run: healthy, then every member in recovery 0.7 s later).
     */
    public static ClusterStatus awaitHealthy(LabExtension.RunningLab lab, Duration deadline) {
        StatusService service = new StatusService(lab.cluster(), lab.secrets(),
                new StatusService.Options(Duration.ofSeconds(1), Duration.ofSeconds(2), 16L << 20));
        Duration settle = Duration.ofSeconds(lab.cluster().spec().patroni().loopWait()).plusMillis(500);
        ClusterStatus[] last = new ClusterStatus[1];
        long[] healthySince = {-1};
        try {
            ProcessController.awaitReady("lab healthy again", deadline, Duration.ofMillis(500), () -> {
                last[0] = service.check();
                if (!last[0].healthy()) {
                    healthySince[0] = -1;
                    return false;
                }
                long now = System.nanoTime();
                if (healthySince[0] < 0) {
                    healthySince[0] = now;
                }
                return now - healthySince[0] >= settle.toNanos();
            });
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "; last problems: " + (last[0] == null ? "none" : last[0].problems()), e);
        }
        return last[0];
    }

    /**
     * Until the lab's process {@code name} accepts connections on its address. {@code Lab.startProcess}
     * returns once the process is started, not once it listens: a status run right after it may still
     * find the process down (seen once in a clean-clone run, for HAProxy).
     */
    public static void awaitAnswering(LabExtension.RunningLab lab, String name, Duration deadline) {
        ProcessController.awaitReady(name + " answering", deadline, Duration.ofMillis(100),
                () -> lab.lab().status().processes().stream().anyMatch(p -> p.name().equals(name) && p.answering()));
    }
}
