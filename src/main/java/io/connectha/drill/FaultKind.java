package io.connectha.drill;

/** What the drill does to the leader. */
public enum FaultKind {
    /** kill -9 of the postmaster: a crash; Patroni restarts it or fails over. */
    POSTMASTER_KILL("postmaster-kill"),
    /** kill -9 of Patroni and of its PostgreSQL, which would otherwise outlive it writable until the key expires: node loss. */
    PATRONI_KILL("patroni-kill"),
    /** A planned switchover through Patroni's API. */
    SWITCHOVER("switchover");

    private final String option;

    FaultKind(String option) {
        this.option = option;
    }

    public String option() {
        return option;
    }

    public static FaultKind of(String option) {
        for (FaultKind k : values()) {
            if (k.option.equals(option)) {
                return k;
            }
        }
        throw io.connectha.error.ConnectError.invalidInput("--fault: '" + option + "' is not one of postmaster-kill, patroni-kill, switchover");
    }

    /** Whether the fault acts on processes, so needs to know them (a lab). */
    public boolean killsProcesses() {
        return this != SWITCHOVER;
    }
}
