package io.connectha.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A chaos campaign: what it ran with, each cycle, and what the set checker found at the end. The flat JSON view
 * (report.json) is made in render; see docs/drills.md for its fields.
 *
 * @param interrupted  Ctrl-C ended it early: the cycles so far, the set checker on what was written until then
 * @param endError     why the campaign ended before its duration (a cycle that did not heal, a failure); null otherwise
 * @param setCheck     null when the rows could not be read back (no leader at the end)
 * @param checkError   why the rows could not be read back; null when they were
 */
public record ChaosReport(String cluster, long seed, Options options, Instant startedAt, Duration ran, boolean interrupted, String endError,
                          List<ChaosCycle> cycles, SetChecker.Result setCheck, String checkError, Configuration configuration) {

    /** What the campaign ran with. */
    /**
     * @param rebuildDiverged rebuild (patroni reinit) a replica that cannot stream again by itself, as an operator would,
     *                        rather than end the campaign on it
     */
    public record Options(List<FaultKind> faults, Duration duration, Duration faultFor, Duration healFor, Duration maxHeal, long seed,
                          int clients, FailoverDrill.Via via, boolean keepTable, boolean rebuildDiverged) {

        public Options(List<FaultKind> faults, Duration duration, Duration faultFor, Duration healFor, Duration maxHeal, long seed,
                       int clients, FailoverDrill.Via via, boolean keepTable) {
            this(faults, duration, faultFor, healFor, maxHeal, seed, clients, via, keepTable, false);
        }
    }

    /** Patroni's timings as its dynamic configuration had them when the campaign began (null: not known), and who applied the faults. */
    public record Configuration(Integer ttlSeconds, Integer loopWaitSeconds, Integer retryTimeoutSeconds, Boolean synchronousMode,
                                Long maximumLagOnFailoverBytes, String faultsBy) {
    }

    public long splitBrainWrites() {
        return cycles.stream().mapToLong(ChaosCycle::splitBrainWrites).sum();
    }

    public long unhealed() {
        return cycles.stream().filter(c -> !c.didHeal()).count();
    }

    /** No violation: nothing lost, unexpected or duplicated, no two leaders at once, every cycle healed, the rows read back. */
    public boolean passed() {
        return setCheck != null && setCheck.passed() && splitBrainWrites() == 0 && unhealed() == 0 && endError == null;
    }
}
