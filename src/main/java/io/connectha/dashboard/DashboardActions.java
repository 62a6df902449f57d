package io.connectha.dashboard;

import java.time.Duration;

/** What the dashboard can change, behind a confirmation: kept as an interface so the loop needs no Patroni client of its own. */
public interface DashboardActions {

    /** Who would hand over to whom; throws, with the reason, when a switchover is not safe now. */
    record SwitchoverPlan(String leader, String candidate) {
    }

    SwitchoverPlan planSwitchover();

    /** Switches over and waits until the candidate leads; returns how long it took. */
    Duration switchover(SwitchoverPlan plan);

    void pausePatroni(boolean pause);
}
