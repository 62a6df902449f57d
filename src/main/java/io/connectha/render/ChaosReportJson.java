package io.connectha.render;

import io.connectha.drill.ChaosCycle;
import io.connectha.drill.ChaosReport;
import io.connectha.drill.DrillReport;
import io.connectha.drill.FaultKind;
import io.connectha.drill.SetChecker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * report.json of a chaos campaign (and its {@code -o json|yaml}): durations as {@code *_ms} numbers, faults by their
 * option names. docs/drills.md lists the fields; scripts rely on them, so only add.
 */
public record ChaosReportJson(
        String cluster,
        boolean passed,
        long seed,
        Instant startedAt,
        long ranMs,
        boolean interrupted,
        String endError,
        Options options,
        ChaosReport.Configuration configuration,
        List<Cycle> cycles,
        Totals totals,
        SetCheck setCheck,
        List<DrillReport.Criterion> criteria) {

    public record Options(List<String> faults, long durationMs, long faultForMs, long healForMs, long maxHealMs, int clients, String via,
                          boolean keepTable, boolean rebuildDiverged) {
    }

    public record Cycle(int number, String fault, String target, Instant startedAt, boolean applied, String faultError, String oldLeader,
                        String newLeader, boolean leaderChanged, Long leaderKeyChangeMs, Long writableMs, Long clientRtoMs,
                        long acknowledged, long failed, long lost, long splitBrainWrites, boolean healed, Long healedMs,
                        boolean violated, List<String> rebuilt) {
    }

    /**
     * The campaign's totals. {@code present}, {@code rows}, {@code lost}, {@code recovered}, {@code unexpected},
     * {@code duplicated} are null when the rows could not be read back; {@code leader_overlaps} also when not checked.
     */
    public record Totals(int cycles, long attempted, long acknowledged, long failed, Long rows, Long present, Long lost, Long recovered,
                         Long unexpected, Long duplicated, long splitBrainWrites, Long leaderOverlaps, long unhealed, Long maxClientRtoMs) {
    }

    /** The set checker's examples, and why it could not run when it could not. */
    public record SetCheck(boolean ran, String error, List<Long> lostSeqs, List<SetChecker.Overlap> overlaps) {
    }

    public static ChaosReportJson of(ChaosReport r) {
        ChaosReport.Options o = r.options();
        SetChecker.Result c = r.setCheck();
        List<Cycle> cycles = r.cycles().stream().map(ChaosReportJson::cycle).toList();
        long acknowledged = c != null ? c.acknowledged() : cycles.stream().mapToLong(Cycle::acknowledged).sum();
        long failed = c != null ? c.attempted() - c.acknowledged() : cycles.stream().mapToLong(Cycle::failed).sum();
        Long maxRto = r.cycles().stream().map(ChaosCycle::clientRto).filter(d -> d != null).map(Duration::toMillis).max(Long::compare)
                .orElse(null);
        Totals totals = new Totals(cycles.size(), acknowledged + failed, acknowledged, failed, c == null ? null : c.rows(),
                c == null ? null : c.present(), c == null ? null : c.lost(), c == null ? null : c.recovered(),
                c == null ? null : c.unexpected(), c == null ? null : c.duplicated(), r.splitBrainWrites(),
                c == null ? null : c.leaderOverlaps(), r.unhealed(), maxRto);
        return new ChaosReportJson(r.cluster(), r.passed(), r.seed(), r.startedAt(), r.ran().toMillis(), r.interrupted(), r.endError(),
                new Options(o.faults().stream().map(FaultKind::option).toList(), o.duration().toMillis(), o.faultFor().toMillis(),
                        o.healFor().toMillis(), o.maxHeal().toMillis(), o.clients(), o.via().name(), o.keepTable(), o.rebuildDiverged()),
                r.configuration(), cycles, totals,
                new SetCheck(c != null, r.checkError(), c == null ? List.of() : c.lostSeqs(), c == null ? List.of() : c.overlaps()),
                ChaosView.criteria(r));
    }

    private static Cycle cycle(ChaosCycle c) {
        return new Cycle(c.number(), c.fault().option(), c.target(), c.startedAt(), c.applied(), c.faultError(), c.oldLeader(), c.newLeader(),
                c.newLeader() != null && c.oldLeader() != null && !c.newLeader().equals(c.oldLeader()), ms(c.leaderKeyChange()),
                ms(c.writable()), ms(c.clientRto()), c.acknowledged(), c.failed(), c.lost(), c.splitBrainWrites(), c.didHeal(),
                ms(c.healed()), c.violated(), c.rebuilt());
    }

    private static Long ms(Duration d) {
        return d == null ? null : d.toMillis();
    }
}
