package io.connectha.render;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.connectha.patroni.SwitchoverResult;
import io.connectha.status.PooledSwitchoverResult;
import io.connectha.units.Units;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** {@code patroni switchover --pause-pooler}: the switchover's own line, then how long PgBouncer held the clients. */
public final class PooledSwitchoverView {

    private PooledSwitchoverView() {
    }

    /**
     * The JSON: the switchover's fields as they are without --pause-pooler, then {@code pooler}, {@code phases} and
     * {@code steering}.
     */
    public record Json(@JsonUnwrapped SwitchoverResult switchover, Pooler pooler, List<Phase> phases,
                       PooledSwitchoverResult.Steering steering) {
    }

    /** @param pausedMs how long clients were held, from the first PAUSE sent to the RESUME's answer; null in a dry run */
    public record Pooler(String address, List<String> databases, List<String> paths, boolean viaHaproxy, Long pausedMs,
                         boolean resumed) {
    }

    public record Phase(String phase, long tookMs) {
    }

    public static Json json(PooledSwitchoverResult r) {
        PooledSwitchoverResult.Pooler p = r.pooler();
        return new Json(r.switchover(), new Pooler(p.address(), p.databases(), p.paths(), p.viaHaproxy(),
                p.paused() == null ? null : p.paused().toMillis(), p.resumed()),
                r.phases().stream().map(f -> new Phase(f.name(), f.took().toMillis())).toList(), r.steering());
    }

    public static void table(PrintWriter out, PooledSwitchoverResult r) {
        PatroniView.switchover(out, r.switchover());
        PooledSwitchoverResult.Pooler p = r.pooler();
        String databases = String.join(", ", p.databases());
        String paths = String.join(", ", p.paths()) + (p.viaHaproxy() ? " (HAProxy's write port)" : "");
        if (r.switchover().dryRun()) {
            out.println("Would PAUSE " + databases + " on PgBouncer at " + p.address() + ", switch over, wait until its path "
                    + paths + " reaches " + r.switchover().to() + ", then RESUME.");
            return;
        }
        out.println("PgBouncer held " + databases + " for " + Units.humanDuration(p.paused()) + " ("
                + String.join(", ", r.phases().stream().map(f -> f.name() + " " + took(f.took())).toList())
                + "); its path " + paths + " reaches " + r.switchover().to() + ".");
        if (r.steering() != null) {
            out.println("HAProxy steered: " + String.join("; ", r.steering().commands()) + ".");
        }
    }

    private static String took(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : Units.humanDuration(d);
    }
}
