package io.connectha.support;

import io.connectha.lab.ProcessController;
import io.connectha.status.ClusterStatus;
import io.connectha.status.StatusService;

import java.time.Duration;

/** Waits until the shared lab is healthy again after a test disturbed it. */
public final class Health {

    private Health() {
    }

    public static ClusterStatus awaitHealthy(LabExtension.RunningLab lab, Duration deadline) {
        StatusService service = new StatusService(lab.cluster(), lab.secrets(),
                new StatusService.Options(Duration.ofSeconds(1), Duration.ofSeconds(2), 16L << 20));
        ClusterStatus[] last = new ClusterStatus[1];
        try {
            ProcessController.awaitReady("lab healthy again", deadline, Duration.ofMillis(500), () -> {
                last[0] = service.check();
                return last[0].healthy();
            });
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + "; last problems: " + (last[0] == null ? "none" : last[0].problems()), e);
        }
        return last[0];
    }
}
