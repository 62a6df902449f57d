package io.connectha.cli;

import io.connectha.drill.FaultStatusWatch;
import io.connectha.status.FleetStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The failover drill records the exit code status would have given during a fault: the same as status's own, verdict by verdict. */
class StatusExitCodeTest {

    @Test
    void the_drills_status_exit_code_is_status_commands_for_every_verdict() {
        for (FleetStatus.Verdict v : FleetStatus.Verdict.values()) {
            assertThat(FaultStatusWatch.exitCode(v)).as(v.name()).isEqualTo(StatusCommand.exitCode(v));
        }
        assertThat(FaultStatusWatch.exitCode(FleetStatus.Verdict.unreachable)).isEqualTo(5);
        assertThat(FaultStatusWatch.exitCode(FleetStatus.Verdict.degraded)).isEqualTo(4);
    }
}
